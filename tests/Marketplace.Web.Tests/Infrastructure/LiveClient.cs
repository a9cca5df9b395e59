using System.Threading.Channels;
using Marketplace.Web.Live;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests.Infrastructure;

/// <summary>A real SignalR client on the test server, signed in with an API token, recording every event it hears.</summary>
public sealed class LiveClient : IAsyncDisposable
{
    private readonly Dictionary<string, Channel<object>> _events = [];

    private LiveClient(HubConnection connection)
    {
        Connection = connection;
        Listen<FeedChange>(nameof(ILiveClient.FeedChanged));
        Listen<LeaseNotice>(nameof(ILiveClient.LeaseExpiring));
        Listen<GoldNotice>(nameof(ILiveClient.GoldScored));
        Listen<TierNotice>(nameof(ILiveClient.TierChanged));
        Listen<JobProgressNotice>(nameof(ILiveClient.JobProgress));
        Listen<JobStatusNotice>(nameof(ILiveClient.JobStatusChanged));
        Listen<EarningsNotice>(nameof(ILiveClient.EarningsChanged));
        Listen<PayoutNotice>(nameof(ILiveClient.PayoutChanged));
        Listen<FundingNotice>(nameof(ILiveClient.FundingConfirmed));
        Listen<PayoutRunNotice>(nameof(ILiveClient.PayoutRunProgress));
        Listen<FraudCaseNotice>(nameof(ILiveClient.FraudCaseOpened));
    }

    public HubConnection Connection { get; }

    /// <summary>Connects as the user. WebSockets send the token in the query string, long polling in the header.</summary>
    public static async Task<LiveClient> ConnectAsync(MarketplaceAppFactory app, string userId, bool webSockets = false)
    {
        var secret = await app.CreateApiTokenAsync(userId);
        var client = new LiveClient(Build(app, webSockets, () => Task.FromResult<string?>(secret)));
        await client.Connection.StartAsync();
        return client;
    }

    public static HubConnection Build(MarketplaceAppFactory app, bool webSockets, Func<Task<string?>>? token) =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(app.Server.BaseAddress, LiveHub.Path.TrimStart('/')), o =>
            {
                if (webSockets)
                {
                    o.Transports = HttpTransportType.WebSockets;
                    o.SkipNegotiation = true;
                    // As the browser's client does: a WebSocket carries no Authorization header, so the token rides in the query.
                    o.WebSocketFactory = async (context, ct) =>
                    {
                        var secret = token is null ? null : await token();
                        var uri = secret is null ? context.Uri : new Uri($"{context.Uri}{(context.Uri.Query.Length > 0 ? "&" : "?")}access_token={Uri.EscapeDataString(secret)}");
                        return await app.Server.CreateWebSocketClient().ConnectAsync(uri, ct);
                    };
                }
                else
                {
                    o.AccessTokenProvider = token;
                    o.Transports = HttpTransportType.LongPolling;
                    o.HttpMessageHandlerFactory = _ => app.Server.CreateHandler();
                }
            })
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()))
            .Build();

    /// <summary>The next event of this kind, or a failure after <paramref name="seconds"/>.</summary>
    public async Task<T> NextAsync<T>(string method, Func<T, bool>? where = null, double seconds = 10)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        try
        {
            while (true)
            {
                var message = (T)await _events[method].Reader.ReadAsync(timeout.Token);
                if (where?.Invoke(message) ?? true)
                {
                    return message;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No {method} matching within {seconds} s.");
        }
    }

    /// <summary>Every event of this kind heard so far (without waiting).</summary>
    public List<T> Heard<T>(string method)
    {
        var heard = new List<T>();
        while (_events[method].Reader.TryRead(out var message))
        {
            heard.Add((T)message);
        }

        return heard;
    }

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync();

    private void Listen<T>(string method)
    {
        var channel = Channel.CreateUnbounded<object>();
        _events[method] = channel;
        Connection.On<T>(method, message => channel.Writer.TryWrite(message!));
    }
}
