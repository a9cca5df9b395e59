using Marketplace.Payouts;
using Microsoft.Extensions.Options;

namespace Marketplace.Web.Payments;

/// <summary>
/// Without a Stripe key the app runs the dry-run gateway: funding "succeeds" and credits escrow with money that never
/// moved. That is right on a laptop and wrong in Production, where it refuses to start unless the operator sets
/// <c>Payments:AllowDryRunInProduction</c> (a demo site, say), and then logs it at start-up as a warning.
/// </summary>
internal sealed class DryRunGuard(IHostEnvironment environment, IConfiguration configuration, ILogger<DryRunGuard> log) : IValidateOptions<StripeOptions>
{
    public const string Setting = "Payments:AllowDryRunInProduction";

    public ValidateOptionsResult Validate(string? name, StripeOptions options)
    {
        if (!options.IsDryRun || !environment.IsProduction())
        {
            return ValidateOptionsResult.Success;
        }

        if (!configuration.GetValue<bool>(Setting))
        {
            return ValidateOptionsResult.Fail(
                $"Stripe:SecretKey is not set in Production, so no money would move while escrow is credited. Set the Stripe keys, or set {Setting}=true to run on the dry-run gateway on purpose.");
        }

        log.LogWarning("DRY RUN in Production: {Setting} is set and Stripe:SecretKey is not, so funding, payouts and clawbacks move no money.", Setting);
        return ValidateOptionsResult.Success;
    }
}
