using Marketplace.Payouts;

namespace Marketplace.Web.Payments;

/// <summary><c>ClawedBackMinor</c>: what an admin took back after it was paid, with <c>Clawbacks</c> saying why.</summary>
public sealed record PayoutLine(Guid Id, long AmountMinor, string Currency, PayoutState State, DateTime CreatedAt, bool DryRun, long ClawedBackMinor = 0, IReadOnlyList<string>? Clawbacks = null)
{
    public static PayoutLine Of(Payout p) => new(p.Id, p.AmountMinor, p.Currency, p.State, p.CreatedAt, p.DryRun);
}

public sealed record EarningsView(IReadOnlyList<ContributorBalance> Balances, IReadOnlyList<PayoutLine> Payouts, bool DryRun);

/// <summary>What a contributor has earned: balances by state and currency, and their payouts with anything clawed back.</summary>
public sealed class ContributorEarnings(PayoutQueries queries, IPaymentsGateway gateway)
{
    public async Task<EarningsView> ReadAsync(string contributorId, CancellationToken ct) =>
        new(await queries.BalancesAsync(contributorId, ct), await PayoutsAsync(contributorId, ct), gateway.IsDryRun);

    /// <summary>A contributor's payouts, newest first, each with anything clawed back from it: never silent.</summary>
    public async Task<IReadOnlyList<PayoutLine>> PayoutsAsync(string contributorId, CancellationToken ct)
    {
        var payouts = await queries.PayoutsOfContributorAsync(contributorId, ct: ct);
        var clawbacks = await queries.ClawbacksAsync([.. payouts.Select(p => p.Id)], ct);
        return payouts.Select(p => clawbacks.TryGetValue(p.Id, out var c) ? PayoutLine.Of(p) with { ClawedBackMinor = c.AmountMinor, Clawbacks = c.Memos } : PayoutLine.Of(p)).ToList();
    }
}
