using System.Security.Claims;
using Hangfire;
using Marketplace.Payouts;
using Marketplace.Web.Audit;
using Marketplace.Web.Data;
using Marketplace.Web.Hosting;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Payments;

public sealed record ReturnPayoutRequest(string? Reason);

/// <summary><c>ClawbackId</c>: one per decision, so retrying the request cannot take twice (generated when absent).</summary>
public sealed record ClawbackPayoutRequest(Guid? ClawbackId, long? AmountMinor, string? Reason, Guid? CreditJobId);

public sealed record PayoutRunLine(Guid Id, string RunKey, DateTime PlannedAt, bool Paused);

/// <summary>A run with its payouts counted by state and totalled by currency.</summary>
public sealed record RunRow(Guid Id, string RunKey, DateTime PlannedAt, bool Paused, IReadOnlyDictionary<PayoutState, int> Counts, IReadOnlyList<Money> Totals);

/// <summary>
/// What an admin does to payout runs: trigger, pause and resume, retry a failed payout or return its money to the
/// contributor's available balance. The API and the pages both come through here, and every action is audited in
/// the same save as the change it makes.
/// </summary>
public sealed class PayoutOversight(
    MarketplaceDbContext db,
    AuditLog audit,
    PausePayoutRun pause,
    PlanPayoutRun plan,
    ResolvePayout resolve,
    SettlePayout settle,
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
        // Recorded before it is queued: if the job is lost with the process, start-up recovery plans the run.
        await plan.OpenAsync(key, ct);
        background.Enqueue<MoneyJobs>(j => j.PlanRunAsync(key, CancellationToken.None));
        return key;
    }

    /// <summary>The latest runs, newest first.</summary>
    public async Task<IReadOnlyList<PayoutRunLine>> RecentRunsAsync(CancellationToken ct) =>
        await db.PayoutRuns.AsNoTracking().OrderByDescending(r => r.PlannedAt).Take(50).Select(r => new PayoutRunLine(r.Id, r.RunKey, r.PlannedAt, r.Paused)).ToListAsync(ct);

    /// <summary>The latest runs, newest first, each with its payouts counted by state and totalled by currency.</summary>
    public async Task<IReadOnlyList<RunRow>> RunSummariesAsync(CancellationToken ct)
    {
        var runs = await RecentRunsAsync(ct);
        var ids = runs.Select(r => r.Id).ToList();
        var counts = await db.Payouts.AsNoTracking().Where(p => ids.Contains(p.RunId))
            .GroupBy(p => new { p.RunId, p.State, p.Currency })
            .Select(g => new { g.Key.RunId, g.Key.State, g.Key.Currency, Count = g.Count(), Amount = g.Sum(p => p.AmountMinor) })
            .ToListAsync(ct);
        return runs.Select(r =>
        {
            var mine = counts.Where(c => c.RunId == r.Id).ToList();
            return new RunRow(r.Id, r.RunKey, r.PlannedAt, r.Paused,
                mine.GroupBy(c => c.State).ToDictionary(g => g.Key, g => g.Sum(c => c.Count)),
                mine.GroupBy(c => c.Currency).Select(g => new Money(g.Sum(c => c.Amount), g.Key)).ToList());
        }).ToList();
    }

    public async Task<Failure?> SetPausedAsync(ClaimsPrincipal admin, Guid runId, bool paused, CancellationToken ct)
    {
        // Staged first: the pause saves it with the run's new state, or nothing is saved at all.
        audit.Record(AuditActor.From(admin), paused ? "payout-run.pause" : "payout-run.resume", "PayoutRun", runId.ToString());
        if (!await pause.ExecuteAsync(runId, paused, ct))
        {
            db.ChangeTracker.Clear();
            return Failure.NotFound;
        }

        if (!paused)
        {
            background.Enqueue<MoneyJobs>(j => j.RequeueUnfinishedAsync(CancellationToken.None));
        }

        return null;
    }

    /// <summary>Failed → Planned with a new attempt (a new idempotency key), and queued to pay.</summary>
    public async Task<Failure?> RetryAsync(ClaimsPrincipal admin, Guid payoutId, CancellationToken ct)
    {
        if (!await ExistsAsync(payoutId, ct))
        {
            return Failure.NotFound;
        }

        audit.Record(AuditActor.From(admin), "payout.retry", "Payout", payoutId.ToString());
        if (await resolve.RetryAsync(payoutId, ct) != PayoutResolution.Done)
        {
            db.ChangeTracker.Clear();
            return NotNow("Only a failed payout can be retried; this one is not in a state that allows it (one waiting for a lookup is looked up first).");
        }

        background.Enqueue<MoneyJobs>(j => j.PayAsync(payoutId, CancellationToken.None));
        return null;
    }

    /// <summary>Failed → Returned: the money goes back to the contributor's available balance, with a reason.</summary>
    public async Task<Failure?> ReturnAsync(ClaimsPrincipal admin, Guid payoutId, string? reason, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            return Failure.Invalid("reason", "Say why the money goes back to the contributor.", "Reason required");
        }

        if (!await ExistsAsync(payoutId, ct))
        {
            return Failure.NotFound;
        }

        audit.Record(AuditActor.From(admin), "payout.return", "Payout", payoutId.ToString(), reason.Trim());
        if (await resolve.ReturnToAvailableAsync(payoutId, reason.Trim(), ct) != PayoutResolution.Done)
        {
            db.ChangeTracker.Clear();
            return NotNow("Only a failed payout can be returned; this one is not in a state that allows it (one waiting for a lookup is looked up first).");
        }

        return null;
    }

    /// <summary>
    /// Looks a payout whose outcome is not known up at Stripe now, the way out of <see cref="PayoutState.NeedsLookup"/>:
    /// found, it is Paid; certainly absent, it is Failed, and the admin retries it (a new key) or returns its money.
    /// </summary>
    public async Task<Outcome<PayoutExecution>> SettleAsync(ClaimsPrincipal admin, Guid payoutId, CancellationToken ct)
    {
        if (!await ExistsAsync(payoutId, ct))
        {
            return Failure.NotFound;
        }

        audit.Record(AuditActor.From(admin), "payout.settle", "Payout", payoutId.ToString());
        PayoutExecution result;
        try
        {
            result = await settle.ExecuteAsync(payoutId, ct);
        }
        catch (PaymentsGatewayUnavailableException e)
        {
            db.ChangeTracker.Clear();
            return new Failure(FailureKind.BadGateway, "Stripe unavailable", $"The lookup could not reach Stripe; try again later. {e.Message}");
        }

        switch (result.Status)
        {
            case PayoutExecutionStatus.NeedsLookup:
                return Failure.Conflict("Not settled", $"Stripe's answer does not settle it yet: {result.Reason}");
            case PayoutExecutionStatus.NotExecutable or PayoutExecutionStatus.AlreadyPaid:
                db.ChangeTracker.Clear();
                return NotNow($"Only a payout waiting for a lookup is looked up; this one is {result.State}.");
            default:
                return result;
        }
    }

    /// <summary>
    /// Takes (part of) a paid payout back by reversing its transfer: an admin's decision with a reason, audited with
    /// the amount and where the money went, in the same save as its ledger posting.
    /// </summary>
    public async Task<Outcome<ClawbackResult>> ClawBackAsync(ClaimsPrincipal admin, ClawbackPayoutRequest input, Guid payoutId, CancellationToken ct)
    {
        if (input.AmountMinor is not { } amount || amount <= 0)
        {
            return Failure.Invalid("amountMinor", "How much to take back, in minor units, more than zero.", "Amount required");
        }

        if (string.IsNullOrWhiteSpace(input.Reason))
        {
            return Failure.Invalid("reason", "Say why the money is taken back: the contributor is told.", "Reason required");
        }

        if (input.CreditJobId is { } creditJob && !await db.Jobs.AnyAsync(j => j.Id == creditJob, ct))
        {
            return Failure.Invalid("creditJobId", $"Job {creditJob} does not exist; name the job whose escrow gets the money, or none.", "No such job");
        }

        var request = new ClawbackRequest(input.ClawbackId ?? Guid.NewGuid(), payoutId, amount, input.Reason.Trim(), input.CreditJobId);
        audit.Record(AuditActor.From(admin), "payout.clawback", "Payout", request.PayoutId.ToString(), request.Reason,
            new { request.ClawbackId, request.AmountMinor, creditedTo = request.CreditJobId is { } job ? $"job {job} escrow" : "platform revenue" });
        ClawbackResult result;
        try
        {
            result = await clawBack.ExecuteAsync(request, ct);
        }
        catch (PaymentsGatewayUnavailableException e)
        {
            db.ChangeTracker.Clear();
            return new Failure(FailureKind.BadGateway, "Stripe unavailable", $"Nothing is known to be reversed yet. Send the same clawback (id {request.ClawbackId}) again later. {e.Message}");
        }

        if (result.Status != ClawbackStatus.Done)
        {
            db.ChangeTracker.Clear(); // nothing happened (or it already had): no audit line for it
        }

        return result.Status switch
        {
            ClawbackStatus.Done or ClawbackStatus.AlreadyDone => result,
            ClawbackStatus.NotFound => Failure.NotFound,
            ClawbackStatus.TooMuch => Failure.Invalid("amountMinor", result.Message!, "Too much"),
            ClawbackStatus.Declined => new Failure(FailureKind.BadGateway, "Stripe refused the reversal", result.Message ?? "The processor refused."),
            ClawbackStatus.InProgress => Failure.Conflict("Clawback in progress", result.Message ?? "Another request is reversing this clawback now."),
            _ => Failure.Conflict("Not paid", result.Message ?? "Only a paid payout can be clawed back."),
        };
    }

    private static Failure NotNow(string detail) => Failure.Conflict("Not allowed now", detail);

    private Task<bool> ExistsAsync(Guid payoutId, CancellationToken ct) => db.Payouts.AnyAsync(p => p.Id == payoutId, ct);
}
