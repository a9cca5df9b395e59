using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Marketplace.Payouts;

public sealed record OnboardingLink(Uri Url, string AccountId, bool DryRun);

/// <summary>Connects a contributor's Stripe Express account and sends them to Stripe's onboarding.</summary>
public sealed class ConnectPayoutAccount(IPayoutsDb db, IPaymentsGateway gateway, TimeProvider clock, IOptions<StripeOptions> stripe)
{
    public async Task<OnboardingLink> ExecuteAsync(string contributorId, string? email, string? country, Uri refreshUrl, Uri returnUrl, CancellationToken ct = default)
    {
        var account = await db.PayoutAccounts.SingleOrDefaultAsync(a => a.ContributorId == contributorId, ct);
        if (account is null)
        {
            // Keyed by contributor: a double click or a retry creates one connected account, not two.
            var created = await gateway.CreateExpressAccountAsync(
                new ExpressAccountRequest(contributorId, email, country ?? stripe.Value.DefaultAccountCountry), $"account-{contributorId}", ct);
            var value = created.Value ?? throw new InvalidOperationException($"Stripe refused the connected account: {created.DeclineMessage}");
            var now = clock.GetUtcNow().UtcDateTime;
            account = new PayoutAccount(contributorId, value.Id, now);
            account.ApplyStatus(value.PayoutsEnabled, value.DetailsSubmitted, asOf: null);
            db.PayoutAccounts.Add(account);
            await db.SaveChangesAsync(ct);
        }

        var link = await gateway.CreateOnboardingLinkAsync(account.GatewayAccountId, refreshUrl, returnUrl, ct);
        return new OnboardingLink(link, account.GatewayAccountId, gateway.IsDryRun);
    }
}

/// <summary>A fraud hold: payout runs skip the contributor, and a planned payout fails instead of paying.</summary>
public sealed class SetPayoutHold(IPayoutsDb db)
{
    public async Task<bool> ExecuteAsync(string contributorId, bool onHold, string? reason, CancellationToken ct = default)
    {
        var account = await db.PayoutAccounts.SingleOrDefaultAsync(a => a.ContributorId == contributorId, ct);
        if (account is null)
        {
            return false;
        }

        account.SetHold(onHold, reason);
        await db.SaveChangesAsync(ct);
        return true;
    }
}

/// <summary>Admins pause a run (its payouts wait) and resume it (the host enqueues its unfinished payouts again).</summary>
public sealed class PausePayoutRun(IPayoutsDb db)
{
    public async Task<bool> ExecuteAsync(Guid runId, bool paused, CancellationToken ct = default)
    {
        var run = await db.PayoutRuns.SingleOrDefaultAsync(r => r.Id == runId, ct);
        if (run is null)
        {
            return false;
        }

        run.SetPaused(paused);
        await db.SaveChangesAsync(ct);
        return true;
    }
}

public sealed record ContributorBalance(string Currency, long PendingMinor, long AvailableMinor, long InTransitMinor);

public sealed record PayoutRunSummary(Guid RunId, string RunKey, DateTime PlannedAt, bool Paused, IReadOnlyDictionary<PayoutState, int> CountByState, IReadOnlyList<Money> Totals);

/// <summary>Read side for pages and start-up recovery.</summary>
public sealed class PayoutQueries(IPayoutsDb db)
{
    public async Task<IReadOnlyList<ContributorBalance>> BalancesAsync(string contributorId, CancellationToken ct = default)
    {
        var rows = await db.LedgerEntries.AsNoTracking()
            .Where(e => e.AccountOwner == contributorId &&
                (e.AccountKind == AccountKind.ContributorPending || e.AccountKind == AccountKind.ContributorAvailable || e.AccountKind == AccountKind.PayoutsInTransit))
            .GroupBy(e => new { e.AccountKind, e.Currency })
            .Select(g => new { g.Key.AccountKind, g.Key.Currency, Net = g.Sum(e => e.Direction == EntryDirection.Credit ? e.AmountMinor : -e.AmountMinor) })
            .ToListAsync(ct);
        return rows.GroupBy(r => r.Currency).Select(g => new ContributorBalance(
            g.Key,
            g.Where(r => r.AccountKind == AccountKind.ContributorPending).Sum(r => r.Net),
            g.Where(r => r.AccountKind == AccountKind.ContributorAvailable).Sum(r => r.Net),
            g.Where(r => r.AccountKind == AccountKind.PayoutsInTransit).Sum(r => r.Net))).ToList();
    }

    public async Task<IReadOnlyList<Payout>> PayoutsOfContributorAsync(string contributorId, int take = 50, CancellationToken ct = default) =>
        await db.Payouts.AsNoTracking().Where(p => p.ContributorId == contributorId).OrderByDescending(p => p.CreatedAt).Take(take).ToListAsync(ct);

    /// <summary>What admins clawed back from each of these payouts (payouts with none are absent), with the reasons.</summary>
    public async Task<IReadOnlyDictionary<Guid, (long AmountMinor, IReadOnlyList<string> Memos)>> ClawbacksAsync(IReadOnlyCollection<Guid> payoutIds, CancellationToken ct = default)
    {
        var prefixes = payoutIds.Select(p => p.ToString("N")).ToList();
        var rows = await db.LedgerTransactions.AsNoTracking()
            .Where(t => t.CauseKind == CauseKind.Clawback && prefixes.Contains(t.CauseId.Substring(0, 32)))
            .Select(t => new { t.CauseId, t.Memo, Amount = db.LedgerEntries.Where(e => e.TransactionId == t.Id && e.Direction == EntryDirection.Debit).Sum(e => e.AmountMinor) })
            .ToListAsync(ct);
        return rows.GroupBy(r => Guid.ParseExact(r.CauseId[..32], "N"))
            .ToDictionary(g => g.Key, g => (g.Sum(r => r.Amount), (IReadOnlyList<string>)g.Select(r => r.Memo).ToList()));
    }

    public async Task<IReadOnlyList<Payout>> PayoutsOfRunAsync(Guid runId, CancellationToken ct = default) =>
        await db.Payouts.AsNoTracking().Where(p => p.RunId == runId).OrderBy(p => p.ContributorId).ToListAsync(ct);

    public async Task<PayoutRunSummary?> RunAsync(Guid runId, CancellationToken ct = default)
    {
        var run = await db.PayoutRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Id == runId, ct);
        if (run is null)
        {
            return null;
        }

        var payouts = await PayoutsOfRunAsync(runId, ct);
        return new PayoutRunSummary(run.Id, run.RunKey, run.PlannedAt, run.Paused,
            payouts.GroupBy(p => p.State).ToDictionary(g => g.Key, g => g.Count()),
            payouts.GroupBy(p => p.Currency).Select(g => new Money(g.Sum(p => p.AmountMinor), g.Key)).ToList());
    }

    /// <summary>
    /// Payouts still Planned or Submitted in runs that are not paused. With in-memory Hangfire storage queued jobs
    /// are lost on restart, so the host enqueues these again at start-up; idempotency keys make that safe.
    /// </summary>
    /// <remarks><paramref name="untouchedSince"/>: only payouts that have not moved since then (stuck, not in progress).</remarks>
    public async Task<IReadOnlyList<Guid>> UnfinishedPayoutIdsAsync(CancellationToken ct = default, DateTime? untouchedSince = null)
    {
        var paused = db.PayoutRuns.Where(r => r.Paused).Select(r => r.Id);
        var unfinished = db.Payouts.AsNoTracking()
            .Where(p => (p.State == PayoutState.Planned || p.State == PayoutState.Submitted) && !paused.Contains(p.RunId));
        if (untouchedSince is { } since)
        {
            unfinished = unfinished.Where(p => p.UpdatedAt < since);
        }

        return await unfinished.Select(p => p.Id).ToListAsync(ct);
    }

    /// <summary>Keys of runs recorded before <paramref name="recordedBefore"/> whose plan never committed (a planner was killed or crashed).</summary>
    public async Task<IReadOnlyList<string>> RunsStillPlanningAsync(DateTime recordedBefore, CancellationToken ct = default) =>
        await db.PayoutRuns.AsNoTracking().Where(r => r.Planning && r.PlannedAt < recordedBefore).OrderBy(r => r.PlannedAt).Select(r => r.RunKey).ToListAsync(ct);

    /// <summary>Payouts waiting for a lookup at the processor that have not moved since <paramref name="untouchedSince"/>.</summary>
    public async Task<IReadOnlyList<Guid>> PayoutIdsNeedingLookupAsync(DateTime untouchedSince, CancellationToken ct = default) =>
        await db.Payouts.AsNoTracking().Where(p => p.State == PayoutState.NeedsLookup && p.UpdatedAt < untouchedSince).Select(p => p.Id).ToListAsync(ct);
}
