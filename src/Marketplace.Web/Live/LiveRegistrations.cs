using System.Text.Json.Serialization;
using StackExchange.Redis;

namespace Marketplace.Web.Live;

public static class LiveRegistrations
{
    /// <summary>SignalR with its hub, the notifier every feature pushes through, and with <c>Redis:Connection</c> the backplane for several nodes.</summary>
    public static IServiceCollection AddLive(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<LiveOptions>().Bind(configuration.GetSection(LiveOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<JobProgressBoard>();
        services.AddSingleton<ILiveNotifier, SignalRLiveNotifier>();

        // Enums by name here too, as in the REST API, so browsers read "Paused", not 3.
        var signalR = services.AddSignalR().AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        if (configuration["Redis:Connection"] is { Length: > 0 } redis)
        {
            // Several nodes: every message goes through Redis so a client hears events caused on any node.
            signalR.AddStackExchangeRedis(redis, o => o.Configuration.ChannelPrefix = RedisChannel.Literal("marketplace"));
        }

        return services;
    }

    public static IEndpointRouteBuilder MapLiveHub(this IEndpointRouteBuilder routes)
    {
        routes.MapHub<LiveHub>(LiveHub.Path);
        return routes;
    }
}
