using Hangfire;
using Marketplace.Payouts;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Payments;

/// <summary>
/// The Hangfire jobs that move money. Each takes ids, never entities, and is safe to run twice: the library keys
/// every Stripe call on our own record ids, saved before the call.
/// </summary>
public sealed partial class MoneyJobs(
    PlanPayoutRun plan,
    PayoutQueries queries,
    ExecutePayout execute,
    SettlePayout settle,
    ResolvePayout resolve,
    RefundUnspentEscrow refund,
    ProcessStripeEvent process,
    IBackgroundJobClient jobs,
    Data.MarketplaceDbContext db,
    FundingEvents funding,
    Live.ILiveNotifier live,
    TimeProvider clock,
    Microsoft.Extensions.Options.IOptions<PayoutsOptions> options,
    ILogger<MoneyJobs> logger)
{
    public const string PayoutRunJobId = "payout-run";

    public const string StuckPayoutsJobId = "payouts-stuck";

    /// <summary>A payout that has not moved for this long is stuck (its Hangfire job gave up or was lost), not in progress.</summary>
    public static readonly TimeSpan StuckAfter = TimeSpan.FromMinutes(30);

    /// <summary>Plans the run for <paramref name="runKey"/> (the scheduled date when it comes from the schedule) and queues one job per payout.</summary>
    [AutomaticRetry(Attempts = 3)]
    public async Task PlanRunAsync(string? runKey, CancellationToken ct)
    {
        var key = runKey ?? $"scheduled-{clock.GetUtcNow():yyyy-MM-dd}";
        var run = await plan.ExecuteAsync(key, ct);
        await EnqueuePayAsync(run.PayoutIds, ct);

        LogPlanned(logger, key, run.PayoutIds.Count, run.AlreadyPlanned);
        await live.PayoutRunProgressAsync(new Live.PayoutRunNotice(run.RunId, run.RunKey, run.PayoutIds.Count, null, null, null), ct);
    }

    /// <summary>
    /// One payout: a Stripe transfer under the payout's saved idempotency key. Transient trouble throws, and Hangfire
    /// retries with backoff. A final failure (Stripe declined the transfer, or the account may not be paid) returns
    /// the money to the contributor's available balance by reversing the plan: otherwise it would sit in transit,
    /// and the contributor out of every later run, until someone resolved the payout by hand.
    /// </summary>
    [AutomaticRetry(Attempts = 10)]
    public async Task PayAsync(Guid payoutId, CancellationToken ct)
    {
        var execution = await execute.ExecuteAsync(payoutId, ct);
        await AfterAsync(execution, ct);
    }

    /// <summary>
    /// Looks a payout whose outcome is not known up at Stripe: found, it is paid; certainly absent, it failed and its
    /// money goes back to available. Still unknown, the hourly job looks again; it is never sent again.
    /// </summary>
    [AutomaticRetry(Attempts = 5)]
    public async Task SettleAsync(Guid payoutId, CancellationToken ct)
    {
        var execution = await settle.ExecuteAsync(payoutId, ct);
        await AfterAsync(execution, ct);
    }

    private async Task AfterAsync(PayoutExecution execution, CancellationToken ct)
    {
        var payoutId = execution.PayoutId;
        if (execution.State == PayoutState.Failed)
        {
            // Also on a re-run that finds it Failed: a crash between the decline and the return is finished here.
            await resolve.ReturnToAvailableAsync(payoutId, $"returned to available: {execution.Reason}", ct);
            LogReturned(logger, payoutId, execution.Reason);
        }
        else if (execution.Status == PayoutExecutionStatus.NeedsLookup)
        {
            // A lookup that finds nothing proves nothing until the grace after the last send has passed.
            jobs.Schedule<MoneyJobs>(j => j.SettleAsync(payoutId, CancellationToken.None), options.Value.LookupGrace + TimeSpan.FromMinutes(1));
        }

        if (await db.Payouts.AsNoTracking().SingleOrDefaultAsync(p => p.Id == payoutId, ct) is { } payout)
        {
            await live.PayoutChangedAsync(payout.ContributorId, new Live.PayoutNotice(payout.Id, payout.State, payout.AmountMinor, payout.Currency, payout.DryRun), ct);
            await live.PayoutRunProgressAsync(new Live.PayoutRunNotice(payout.RunId, null, null, payout.Id, payout.State, payout.ContributorId), ct);
        }
    }

    /// <summary>
    /// Queues every payout still Planned or Submitted (after a restart; after a paused run resumes), the planning of
    /// every run whose plan never committed (its planner was killed: durable job storage would hide its job for the
    /// invisibility timeout, half an hour, and in-memory storage loses it), and a lookup of every payout that needs one.
    /// </summary>
    [AutomaticRetry(Attempts = 10)]
    public async Task RequeueUnfinishedAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        EnqueuePlan(await queries.RunsStillPlanningAsync(now, ct));
        await EnqueuePayAsync(await queries.UnfinishedPayoutIdsAsync(ct), ct);
        EnqueueSettle(await queries.PayoutIdsNeedingLookupAsync(now, ct));
    }

    /// <summary>
    /// Hourly: queues payouts Planned or Submitted that have not moved for <see cref="StuckAfter"/>, whose job ran out
    /// of retries or was lost, so they finish (with their saved idempotency key) well inside the ~24 hours Stripe
    /// remembers it, instead of waiting for the next start-up. Re-sending one still in progress is safe, only wasted.
    /// Payouts waiting for a lookup are looked up again, and runs whose planning stopped are planned again.
    /// </summary>
    [AutomaticRetry(Attempts = 3)]
    public async Task RequeueStuckAsync(CancellationToken ct)
    {
        var stuck = await queries.UnfinishedPayoutIdsAsync(ct, clock.GetUtcNow().UtcDateTime - StuckAfter);
        if (stuck.Count > 0)
        {
            LogStuck(logger, stuck.Count, StuckAfter.TotalMinutes);
            await EnqueuePayAsync(stuck, ct);
        }

        EnqueueSettle(await queries.PayoutIdsNeedingLookupAsync(clock.GetUtcNow().UtcDateTime - StuckAfter, ct));
        EnqueuePlan(await queries.RunsStillPlanningAsync(clock.GetUtcNow().UtcDateTime - StuckAfter, ct));
    }

    private void EnqueuePlan(IReadOnlyList<string> runKeys)
    {
        foreach (var runKey in runKeys)
        {
            LogReplanning(logger, runKey);
            jobs.Enqueue<MoneyJobs>(j => j.PlanRunAsync(runKey, CancellationToken.None));
        }
    }

    private void EnqueueSettle(IReadOnlyList<Guid> payoutIds)
    {
        foreach (var payoutId in payoutIds)
        {
            jobs.Enqueue<MoneyJobs>(j => j.SettleAsync(payoutId, CancellationToken.None));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} payouts had not moved for {Minutes} minutes; queued again")]
    private static partial void LogStuck(ILogger logger, int count, double minutes);

    /// <summary>
    /// One Hangfire job per payout. Each enqueue is its own round trip to the job storage, so a few run at once:
    /// one after another they, not Stripe's rate limit, bounded a 10,000-payout run while the workers were paying.
    /// </summary>
    private Task EnqueuePayAsync(IReadOnlyList<Guid> payoutIds, CancellationToken ct) =>
        Parallel.ForEachAsync(payoutIds, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct }, (payoutId, _) =>
        {
            jobs.Enqueue<MoneyJobs>(j => j.PayAsync(payoutId, CancellationToken.None));
            return ValueTask.CompletedTask;
        });

    /// <summary>Refunds a closed job's unspent escrow, once.</summary>
    [AutomaticRetry(Attempts = 10)]
    public Task RefundAsync(Guid jobId, CancellationToken ct) => refund.ExecuteAsync(jobId, ct);

    [AutomaticRetry(Attempts = 10)]
    public async Task ProcessEventAsync(string eventId, CancellationToken ct)
    {
        funding.Clear();
        await process.ExecuteAsync(eventId, ct);
        await funding.AnnounceAsync(ct);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Payout {PayoutId} failed ({Reason}); its money is back in the contributor's available balance")]
    private static partial void LogReturned(ILogger logger, Guid payoutId, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Payout run {RunKey} was recorded but its plan never committed; planning it again")]
    private static partial void LogReplanning(ILogger logger, string runKey);

    [LoggerMessage(Level = LogLevel.Information, Message = "Payout run {RunKey}: {Payouts} payouts queued (planned before: {AlreadyPlanned})")]
    private static partial void LogPlanned(ILogger logger, string runKey, int payouts, bool alreadyPlanned);
}
