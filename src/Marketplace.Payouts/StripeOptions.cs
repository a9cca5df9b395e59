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

    public bool IsDryRun => string.IsNullOrWhiteSpace(SecretKey);
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

        if (options.ApiBase is { IsAbsoluteUri: false })
        {
            failures.Add("Stripe:ApiBase must be an absolute URL.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
