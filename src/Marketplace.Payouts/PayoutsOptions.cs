using Microsoft.Extensions.Options;

namespace Marketplace.Payouts;

/// <summary>Payout policy (section <c>Payouts</c>).</summary>
public sealed class PayoutsOptions
{
    public const string Section = "Payouts";

    /// <summary>Days earnings stay pending before they become available.</summary>
    public int HoldDays { get; set; } = 7;

    /// <summary>Shorter (or longer) holds by tier name, e.g. <c>{ "Gold": 2 }</c>.</summary>
    public Dictionary<string, int> HoldDaysByTier { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The smallest available balance, in the currency's minor units, that a run pays out.</summary>
    public long MinimumPayoutMinor { get; set; } = 1_000;

    /// <summary>Platform fee charged to the job's escrow on top of each label's pay, in basis points (2000 = 20%).</summary>
    public int PlatformFeeBasisPoints { get; set; } = 2_000;

    /// <summary>Cron for the recurring payout run (the host registers it): weekly, Monday 06:00 UTC.</summary>
    public string PayoutCron { get; set; } = "0 6 * * 1";

    /// <summary>
    /// How long after a payout's key was last sent a lookup that finds no transfer is taken as proof that there is
    /// none (Stripe's lists are consistent, but a request still running on its side is not in them yet).
    /// </summary>
    public TimeSpan LookupGrace { get; set; } = TimeSpan.FromMinutes(10);

    public TimeSpan HoldFor(string? tier) =>
        TimeSpan.FromDays(tier is not null && HoldDaysByTier.TryGetValue(tier, out var days) ? days : HoldDays);
}

internal sealed class PayoutsOptionsValidator : IValidateOptions<PayoutsOptions>
{
    public ValidateOptionsResult Validate(string? name, PayoutsOptions options)
    {
        var failures = new List<string>();
        if (options.HoldDays is < 0 or > 365)
        {
            failures.Add("Payouts:HoldDays must be between 0 and 365.");
        }

        foreach (var (tier, days) in options.HoldDaysByTier)
        {
            if (days is < 0 or > 365)
            {
                failures.Add($"Payouts:HoldDaysByTier:{tier} must be between 0 and 365.");
            }
        }

        if (options.MinimumPayoutMinor < 1)
        {
            failures.Add("Payouts:MinimumPayoutMinor must be at least 1.");
        }

        if (options.PlatformFeeBasisPoints is < 0 or > 10_000)
        {
            failures.Add("Payouts:PlatformFeeBasisPoints must be between 0 and 10000.");
        }

        if (options.LookupGrace < TimeSpan.Zero || options.LookupGrace > TimeSpan.FromHours(12))
        {
            failures.Add("Payouts:LookupGrace must be between 00:00:00 and 12:00:00.");
        }

        // Hangfire accepts 5 fields, or 6 with seconds first.
        var fields = (options.PayoutCron ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length is not (5 or 6))
        {
            failures.Add("Payouts:PayoutCron must be a cron expression of 5 (or 6, with seconds) fields.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
