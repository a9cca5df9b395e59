using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;
using Stripe;

namespace Marketplace.Payouts;

/// <summary>Builds the one Stripe.net client of a process: our rate limit and retries under it, Stripe.net's own retries off.</summary>
internal static class StripeClientFactory
{
    public static IStripeClient Create(StripeOptions options, TimeProvider clock, ILoggerFactory loggers)
    {
        var limiter = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = options.MaxRequestsPerSecond,
            TokensPerPeriod = options.MaxRequestsPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 100_000,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
        var handler = new StripeResilienceHandler(limiter, options, clock, loggers.CreateLogger<StripeResilienceHandler>())
        {
            // A bounded connection lifetime lets a long-lived singleton client follow DNS changes.
            InnerHandler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) },
        };
        // Per-attempt timeouts live in the handler; this one only stops a request that retries forever.
        var http = new HttpClient(handler) { Timeout = (options.RequestTimeout * options.MaxAttempts) + TimeSpan.FromMinutes(2) };
        var apiBase = options.ApiBase?.ToString().TrimEnd('/');
        return new StripeClient(new StripeClientOptions
        {
            ApiKey = options.SecretKey,
            ApiBase = apiBase ?? StripeClient.DefaultApiBase,
            ConnectBase = apiBase ?? StripeClient.DefaultConnectBase,
            FilesBase = apiBase ?? StripeClient.DefaultFilesBase,
            HttpClient = new SystemNetHttpClient(http, maxNetworkRetries: 0),
        });
    }
}
