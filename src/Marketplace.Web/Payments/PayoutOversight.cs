using System.Security.Claims;
using Hangfire;
using Marketplace.Payouts;
using Marketplace.Web.Audit;
using Marketplace.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Payments;

public enum OversightResult
{
    Done = 1,
    NotFound = 2,

    /// <summary>The payout or run is not in a state that allows it (e.g. retrying a paid payout).</summary>
    Conflict = 3,
}

/// <summary>
/// What an admin does to payout runs: trigger, pause and resume, retry a failed payout or return its money to the
/// contributor's available balance. The API and the pages both come through here, and every action is audited in
/// the same save as the change it makes.
/// </summary>
public sealed class PayoutOversight(
    MarketplaceDbContext db,
    AuditLog audit,
    PausePayoutRun pause,
    ResolvePayout resolve,
    ClawBackPayout clawBack,
    IBackgroundJobClient background,
    TimeProvider clock)
{
    /// <summary>Plans a run now (the schedule does the same weekly); returns the run key.</summary>
    public async Task<string> TriggerRunAsync(ClaimsPrincipal admin, CancellationToken ct)
    {
        var key = $"manual-{clock.GetUtcNow():yyyyMMdd-HHmmss}";
        audit.Record(AuditActor.From(admin), "payout-run.trigger", "PayoutRun", key);
        await db.SaveChangesAsync(ct);
        background.Enqueue<MoneyJobs>(j => j.PlanRunAsync(key, CancellationToken.None));
        return key;
    }

    public async Task<OversightResult> SetPausedAsync(ClaimsPrincipal admin, Guid runId, bool paused, CancellationToken ct)
    {
        // Staged first: the pause saves it with the run's new state, or nothing is saved at all.
        audit.Record(AuditActor.From(admin), paused ? "payout-run.pause" : "payout-run.resume", "PayoutRun", runId.ToString());
        if (!await pause.ExecuteAsync(runId, paused, ct))
        {
            db.ChangeTracker.Clear();
            return OversightResult.NotFound;
        }

        if (!paused)
        {
            background.Enqueue<MoneyJobs>(j => j.RequeueUnfinishedAsync(CancellationToken.None));
        }

        return OversightResult.Done;
    }

    /// <summary>Failed → Planned with a new attempt (a new idempotency key), and queued to pay.</summary>
    public async Task<OversightResult> RetryAsync(ClaimsPrincipal admin, Guid payoutId, CancellationToken ct)
    {
        if (!await ExistsAsync(payoutId, ct))
        {
            return OversightResult.NotFound;
        }

        audit.Record(AuditActor.From(admin), "payout.retry", "Payout", payoutId.ToString());
        if (await resolve.RetryAsync(payoutId, ct) != PayoutResolution.Done)
        {
            db.ChangeTracker.Clear();
            return OversightResult.Conflict;
        }

        background.Enqueue<MoneyJobs>(j => j.PayAsync(payoutId, CancellationToken.None));
        return OversightResult.Done;
    }

    /// <summary>Failed → Returned: the money goes back to the contributor's available balance, with a reason.</summary>
    public async Task<OversightResult> ReturnAsync(ClaimsPrincipal admin, Guid payoutId, string reason, CancellationToken ct)
    {
        if (!await ExistsAsync(payoutId, ct))
        {
            return OversightResult.NotFound;
        }

        audit.Record(AuditActor.From(admin), "payout.return", "Payout", payoutId.ToString(), reason);
        if (await resolve.ReturnToAvailableAsync(payoutId, reason, ct) != PayoutResolution.Done)
        {
            db.ChangeTracker.Clear();
            return OversightResult.Conflict;
        }

        return OversightResult.Done;
    }

    /// <summary>
    /// Takes (part of) a paid payout back by reversing its transfer: an admin's decision with a reason, audited with
    /// the amount and where the money went, in the same save as its ledger posting.
    /// </summary>
    public async Task<ClawbackResult> ClawBackAsync(ClaimsPrincipal admin, ClawbackRequest request, CancellationToken ct)
    {
        audit.Record(AuditActor.From(admin), "payout.clawback", "Payout", request.PayoutId.ToString(), request.Reason,
            new { request.ClawbackId, request.AmountMinor, creditedTo = request.CreditJobId is { } job ? $"job {job} escrow" : "platform revenue" });
        var result = await clawBack.ExecuteAsync(request, ct);
        if (result.Status != ClawbackStatus.Done)
        {
            db.ChangeTracker.Clear(); // nothing happened (or it already had): no audit line for it
        }

        return result;
    }

    private Task<bool> ExistsAsync(Guid payoutId, CancellationToken ct) => db.Payouts.AnyAsync(p => p.Id == payoutId, ct);
}
