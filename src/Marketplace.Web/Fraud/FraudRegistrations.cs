using Marketplace.Web.Domain;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Quartz;

namespace Marketplace.Web.Fraud;

public static class FraudRegistrations
{
    /// <summary>The scan (a Quartz job every <see cref="FraudOptions.ScanSeconds"/>), the case services, and fingerprints at sign-in.</summary>
    public static IServiceCollection AddFraud(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<FraudOptions>().Bind(configuration.GetSection(FraudOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddMemoryCache();
        services.AddScoped<Fingerprints>();
        services.AddScoped<FraudScan>();
        services.AddScoped<DecideCase>();
        services.AddScoped<AppealCase>();
        services.AddScoped<FraudQueries>();

        var scanSeconds = Math.Max(10, configuration.GetValue($"{FraudOptions.Section}:{nameof(FraudOptions.ScanSeconds)}", new FraudOptions().ScanSeconds));
        services.AddQuartz(q => q.ScheduleJob<FraudScanJob>(
            trigger => trigger.WithIdentity("fraud-scan-trigger", "quality").StartAt(DateTimeOffset.UtcNow.AddSeconds(scanSeconds)).WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromSeconds(scanSeconds)).RepeatForever()),
            job => job.WithIdentity(FraudScanJob.Key)));

        // A contributor's sign-in is a sighting of their address and device too.
        services.PostConfigure<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme, o =>
        {
            var signedIn = o.Events.OnSignedIn;
            o.Events.OnSignedIn = async context =>
            {
                await signedIn(context);
                if (context.Principal?.IsInRole(Roles.Contributor) == true && context.Principal.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value is { } userId)
                {
                    await context.HttpContext.RequestServices.GetRequiredService<Fingerprints>().RecordAsync(userId, context.HttpContext, context.HttpContext.RequestAborted);
                }
            };
        });
        return services;
    }

    /// <summary>Fingerprints on claims and submits; after authentication, so the user is known.</summary>
    public static IApplicationBuilder UseFingerprints(this IApplicationBuilder app) => app.UseMiddleware<FingerprintMiddleware>();
}
