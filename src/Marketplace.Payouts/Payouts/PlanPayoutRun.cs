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

    /// <summary>
    /// <paramref name="runKey"/> names the run (e.g. the scheduled date); planning the same key again returns the first
    /// plan, and a run whose planning was cut short (a kill, a crash) is planned now. Of two planners of one run, one
    /// commits; the other re-reads its plan.
    /// </summary>
    public async Task<PayoutRunPlan> ExecuteAsync(string runKey, CancellationToken ct = default)
    {
        for (var conflicts = 0; ; conflicts++)
        {
            try
            {
                var runId = await OpenAsync(runKey, ct);
                return await ExistingPlanAsync(runId, ct) ?? await PlanAsync(runId, runKey, ct);
            }
            catch (DbUpdateException) when (conflicts < 3)
            {
                // Another planner recorded the key, or committed this run's plan, first.
                db.ChangeTracker.Clear();
            }
        }
    }

    /// <summary>
    /// Records the run, once per key, before anything is planned: from then until its plan commits, start-up recovery
    /// finds it (<see cref="PayoutQueries.RunsStillPlanningAsync"/>). The host records a run an admin triggers at once.
    /// </summary>
    public async Task<Guid> OpenAsync(string runKey, CancellationToken ct = default)
    {
        if (await db.PayoutRuns.AsNoTracking().Where(r => r.RunKey == runKey).Select(r => (Guid?)r.Id).SingleOrDefaultAsync(ct) is { } id)
        {
            return id;
        }

        var run = new PayoutRun(Guid.NewGuid(), runKey, clock.GetUtcNow().UtcDateTime);
        db.PayoutRuns.Add(run);
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        return run.Id;
    }

    private async Task<PayoutRunPlan?> ExistingPlanAsync(Guid runId, CancellationToken ct)
    {
        var run = await db.PayoutRuns.AsNoTracking().SingleAsync(r => r.Id == runId, ct);
        return run.Planning ? null : new PayoutRunPlan(run.Id, run.RunKey, true, await db.Payouts.Where(p => p.RunId == run.Id).Select(p => p.Id).ToListAsync(ct));
    }

    private async Task<PayoutRunPlan> PlanAsync(Guid runId, string runKey, CancellationToken ct)
    {
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

        // One transaction, saved in batches: the plan and the run's end of planning commit whole or not at all, while
        // the change tracker never holds more than a batch. (Tracking a whole run made each posting slower than the
        // last: planning 10,000 took minutes.)
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var planned = new List<Guid>();
        foreach (var currency in currencies.Order(StringComparer.Ordinal))
        {
            var balances = await ledger.BalancesAsync(AccountKind.ContributorAvailable, currency, ct);
            foreach (var (contributorId, balance) in balances.OrderBy(b => b.Key, StringComparer.Ordinal))
            {
                if (balance >= options.Value.MinimumPayoutMinor && !open.Contains(contributorId) && accounts.TryGetValue(contributorId, out var destination)
                    && await StagePayoutAsync(new Payout(Guid.NewGuid(), runId, contributorId, destination, balance, currency, clock.GetUtcNow().UtcDateTime), runKey, ct) is { } payoutId)
                {
                    planned.Add(payoutId);
                    if (planned.Count % SaveBatch == 0)
                    {
                        await db.SaveChangesAsync(ct);
                        db.ChangeTracker.Clear();
                    }
                }
            }
        }

        // The guarded end of planning: another planner that committed this run first either shows here already, or
        // makes this save fail ("WHERE Planning" no longer matches); either way this plan rolls back and theirs stands.
        if (!(await db.PayoutRuns.SingleAsync(r => r.Id == runId, ct)).FinishPlanning())
        {
            await transaction.RollbackAsync(ct);
            db.ChangeTracker.Clear();
            return (await ExistingPlanAsync(runId, ct))!;
        }

        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new PayoutRunPlan(runId, runKey, false, planned);
    }

    /// <summary>Moves the contributor's available balance to in-transit for the payout; null when it moved meanwhile.</summary>
    private async Task<Guid?> StagePayoutAsync(Payout payout, string runKey, CancellationToken ct)
    {
        var amount = payout.Amount;
        var posting = await ledger.PostAsync(
            LedgerCause.PayoutPlanned(payout.Id),
            [LedgerLine.Debit(LedgerAccountId.ContributorAvailable(payout.ContributorId), amount), LedgerLine.Credit(LedgerAccountId.PayoutsInTransit(payout.ContributorId), amount)],
            $"Payout {payout.Id} planned in run {runKey}",
            ct);
        if (posting.Status == PostingStatus.InsufficientFunds)
        {
            // Another planner moved this money after the balances were listed. If it planned the same run, this
            // plan's end fails and the retry returns its plan; if another run, that run pays them.
            return null;
        }

        db.Payouts.Add(payout);
        return payout.Id;
    }
}
