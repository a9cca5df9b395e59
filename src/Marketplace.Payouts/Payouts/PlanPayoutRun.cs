using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Marketplace.Payouts;

public sealed record PayoutRunPlan(Guid RunId, string RunKey, bool AlreadyPlanned, IReadOnlyList<Guid> PayoutIds);

/// <summary>
/// Plans a payout run: one payout per contributor and currency whose available balance is at least the minimum,
/// whose payout account is enabled and not on hold, and who has no payout still open (planned, submitted or failed).
/// A payout waiting for a lookup does not hold the contributor back: its money is in transit, apart from what they earn since.
/// Each payout moves the whole available balance to in-transit. The host enqueues one job per payout id.
/// </summary>
public sealed class PlanPayoutRun(IPayoutsDb db, Ledger ledger, TimeProvider clock, IOptions<PayoutsOptions> options)
{
    private const int SaveBatch = 200;

    /// <summary><paramref name="runKey"/> names the run (e.g. the scheduled date); planning the same key again returns the first plan.</summary>
    public async Task<PayoutRunPlan> ExecuteAsync(string runKey, CancellationToken ct = default)
    {
        if (await db.PayoutRuns.AsNoTracking().SingleOrDefaultAsync(r => r.RunKey == runKey, ct) is { } existing)
        {
            var ids = await db.Payouts.Where(p => p.RunId == existing.Id).Select(p => p.Id).ToListAsync(ct);
            return new PayoutRunPlan(existing.Id, runKey, true, ids);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var run = new PayoutRun(Guid.NewGuid(), runKey, now);

        var accounts = await db.PayoutAccounts.AsNoTracking()
            .Where(a => a.PayoutsEnabled && !a.OnHold)
            .ToDictionaryAsync(a => a.ContributorId, a => a.GatewayAccountId, ct);
        var open = (await db.Payouts.AsNoTracking()
            .Where(p => p.State == PayoutState.Planned || p.State == PayoutState.Submitted || p.State == PayoutState.Failed)
            .Select(p => p.ContributorId)
            .Distinct()
            .ToListAsync(ct)).ToHashSet();
        var currencies = await db.LedgerEntries.AsNoTracking()
            .Where(e => e.AccountKind == AccountKind.ContributorAvailable)
            .Select(e => e.Currency)
            .Distinct()
            .ToListAsync(ct);

        // One transaction, saved in batches: the plan commits whole or not at all, and a concurrent planner of the
        // same key fails on the unique run key (its retry returns this plan), while the change tracker never holds
        // more than a batch. (Tracking a whole run made each posting slower than the last: planning 10,000 took minutes.)
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        db.PayoutRuns.Add(run);
        var planned = new List<Guid>();
        foreach (var currency in currencies.Order(StringComparer.Ordinal))
        {
            var balances = await ledger.BalancesAsync(AccountKind.ContributorAvailable, currency, ct);
            foreach (var (contributorId, balance) in balances.OrderBy(b => b.Key, StringComparer.Ordinal))
            {
                if (balance < options.Value.MinimumPayoutMinor || open.Contains(contributorId) || !accounts.TryGetValue(contributorId, out var destination))
                {
                    continue;
                }

                var payout = new Payout(Guid.NewGuid(), run.Id, contributorId, destination, balance, currency, now);
                var amount = payout.Amount;
                var posting = await ledger.PostAsync(
                    LedgerCause.PayoutPlanned(payout.Id),
                    [LedgerLine.Debit(LedgerAccountId.ContributorAvailable(contributorId), amount), LedgerLine.Credit(LedgerAccountId.PayoutsInTransit(contributorId), amount)],
                    $"Payout {payout.Id} planned in run {runKey}",
                    ct);
                if (posting.Status == PostingStatus.InsufficientFunds)
                {
                    // Another planner moved this money after the balances were listed. If it planned the same run,
                    // this save fails on the run key and the retry returns its plan; if another run, it pays them.
                    continue;
                }

                db.Payouts.Add(payout);
                planned.Add(payout.Id);
                if (planned.Count % SaveBatch == 0)
                {
                    await db.SaveChangesAsync(ct);
                    db.ChangeTracker.Clear();
                }
            }
        }

        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new PayoutRunPlan(run.Id, runKey, false, planned);
    }
}
