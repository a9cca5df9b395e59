using Microsoft.Extensions.Options;

namespace Marketplace.Payouts;

/// <summary>Stripe settings (section <c>Stripe</c>). With no <see cref="SecretKey"/> the app runs a dry-run gateway.</summary>
public sealed class StripeOptions
{
    public const string Section = "Stripe";

    public string? SecretKey { get; set; }

    public string? PublishableKey { get; set; }

    public string? WebhookSecret { get; set; }

    /// <summary>Override of Stripe's API address; only tests point it at a local Stripe-compatible server.</summary>
    public Uri? ApiBase { get; set; }

    /// <summary>Client-side ceiling on requests per second, under Stripe's limits (100/s live, 25/s in test mode).</summary>
    public int MaxRequestsPerSecond { get; set; } = 20;

    /// <summary>Tries per request, the first included, for 429s, 5xx, timeouts and dropped connections.</summary>
    public int MaxAttempts { get; set; } = 4;

    /// <summary>First backoff delay; it doubles on each retry (with jitter), or follows Retry-After when Stripe sends it.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The largest webhook body read, in bytes; a larger one is answered 413 unread. Stripe's events are a few KiB
    /// (its biggest objects with expanded lists stay well under 100 KiB): the limit only stops a flood.
    /// </summary>
    public int WebhookMaxBodyBytes { get; set; } = 256 * 1024;

    /// <summary>Country of new Express accounts when the caller does not say.</summary>
    public string DefaultAccountCountry { get; set; } = "US";

    public bool IsDryRun => string.IsNullOrWhiteSpace(SecretKey);

    /// <summary>A live key moves real money; events from the other mode (test events at a live endpoint) are never credited.</summary>
    public bool IsLiveMode => SecretKey is { } key && (key.StartsWith("sk_live_", StringComparison.Ordinal) || key.StartsWith("rk_live_", StringComparison.Ordinal));
}

internal sealed class StripeOptionsValidator : IValidateOptions<StripeOptions>
{
    public ValidateOptionsResult Validate(string? name, StripeOptions options)
    {
        var failures = new List<string>();
        if (!options.IsDryRun)
        {
            if (!options.SecretKey!.StartsWith("sk_", StringComparison.Ordinal) && !options.SecretKey.StartsWith("rk_", StringComparison.Ordinal))
            {
                failures.Add("Stripe:SecretKey must be a secret (sk_...) or restricted (rk_...) key.");
            }

            if (string.IsNullOrWhiteSpace(options.WebhookSecret) || !options.WebhookSecret.StartsWith("whsec_", StringComparison.Ordinal))
            {
                failures.Add("Stripe:WebhookSecret must be set to the endpoint's signing secret (whsec_...) when Stripe:SecretKey is set.");
            }

            if (!string.IsNullOrWhiteSpace(options.PublishableKey) && !options.PublishableKey.StartsWith("pk_", StringComparison.Ordinal))
            {
                failures.Add("Stripe:PublishableKey must be a publishable key (pk_...).");
            }
        }

        if (options.MaxRequestsPerSecond is < 1 or > 100)
        {
            failures.Add("Stripe:MaxRequestsPerSecond must be between 1 and 100 (Stripe's live limit).");
        }

        if (options.MaxAttempts is < 1 or > 10)
        {
            failures.Add("Stripe:MaxAttempts must be between 1 and 10.");
        }

        if (options.RetryBaseDelay < TimeSpan.Zero || options.RequestTimeout <= TimeSpan.Zero)
        {
            failures.Add("Stripe:RetryBaseDelay must not be negative and Stripe:RequestTimeout must be positive.");
        }

        if (options.WebhookMaxBodyBytes is < 1024 or > 16 * 1024 * 1024)
        {
            failures.Add("Stripe:WebhookMaxBodyBytes must be between 1024 and 16777216 (16 MiB).");
        }

        if (options.ApiBase is { IsAbsoluteUri: false })
        {
            failures.Add("Stripe:ApiBase must be an absolute URL.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
