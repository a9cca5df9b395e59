using Microsoft.EntityFrameworkCore;

namespace Marketplace.Payouts;

/// <summary>
/// Taking money back after it was paid: an admin's decision, never automatic. <c>ClawbackId</c> is chosen once per
/// decision (the page puts it in the form), so a resubmitted or retried request reverses the transfer once and
/// posts once. The money comes back from the connected account to our balance and goes to the job's escrow named
/// (so the buyer can have the work redone) or, without one, to platform revenue.
/// </summary>
public sealed record ClawbackRequest(Guid ClawbackId, Guid PayoutId, long AmountMinor, string Reason, Guid? CreditJobId = null);

public enum ClawbackStatus
{
    Done = 1,
    AlreadyDone = 2,
    NotFound = 3,

    /// <summary>Only a paid payout can be clawed back.</summary>
    NotPaid = 4,

    /// <summary>More than what is left of the payout after earlier (and pending) clawbacks, or not positive.</summary>
    TooMuch = 5,

    /// <summary>The processor refused the reversal (its message says why).</summary>
    Declined = 6,

    /// <summary>
    /// Another request is reversing this clawback right now, or the processor's answer was not certain: nothing more
    /// was sent. The same request (same id) later finishes it, looking the reversal up before sending anything.
    /// </summary>
    InProgress = 7,
}

public sealed record ClawbackResult(ClawbackStatus Status, Money? Amount = null, Money? ClawedBackSoFar = null, string? Message = null, string? ReversalId = null);

/// <summary>
/// A clawback in two steps. First, in one save, the clawback is recorded Pending and its amount reserved against the
/// payout (whose version bumps): of two concurrent requests for one payout one saves, the other re-reads what is left
/// (or finds this very clawback, and says it is in progress or done). Then the reversal is sent under the clawback's
/// own key, and recorded with its ledger posting. A request resuming a pending clawback first looks the reversal up at
/// the processor, so the gateway reverses a clawback's amount at most once and never beyond what was paid.
/// </summary>
public sealed class ClawBackPayout(IPayoutsDb db, Ledger ledger, IPaymentsGateway gateway, PayoutQueries queries, TimeProvider clock)
{
    /// <summary>How long a request that took a clawback to the processor holds it (longer than its retries take).</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    public static string IdempotencyKeyFor(Guid clawbackId) => $"clawback-{clawbackId:N}";

    public async Task<ClawbackResult> ExecuteAsync(ClawbackRequest request, CancellationToken ct = default)
    {
        for (var conflicts = 0; ; conflicts++)
        {
            try
            {
                var (clawback, refusal) = await ReserveAsync(request, ct);
                return refusal ?? await ReverseAsync(clawback!, ct);
            }
            catch (DbUpdateException) when (conflicts < 4)
            {
                // Another request reserved against this payout (or saved this very clawback) first: read what it saved.
                db.ChangeTracker.Clear();
            }
        }
    }

    /// <summary>The pending clawback this request may take to the processor, or why not.</summary>
    private async Task<(PayoutClawback? Clawback, ClawbackResult? Refusal)> ReserveAsync(ClawbackRequest request, CancellationToken ct)
    {
        var payout = await db.Payouts.SingleOrDefaultAsync(p => p.Id == request.PayoutId, ct);
        if (payout is null)
        {
            return (null, new ClawbackResult(ClawbackStatus.NotFound));
        }

        var done = await DoneSoFarAsync(payout, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        if (await db.PayoutClawbacks.SingleOrDefaultAsync(c => c.Id == request.ClawbackId, ct) is { } existing)
        {
            return existing switch
            {
                { PayoutId: var other } when other != payout.Id => (null, new ClawbackResult(ClawbackStatus.InProgress, Message: $"Clawback {existing.Id} is a decision about payout {other}; choose a new id.")),
                { State: ClawbackState.Done } => (null, new ClawbackResult(ClawbackStatus.AlreadyDone, existing.Amount, done, ReversalId: existing.ReversalId)),
                { State: ClawbackState.Declined } => (null, new ClawbackResult(ClawbackStatus.Declined, existing.Amount, done, existing.FailureReason)),
                _ when !existing.Claim(now, Lease) => (null, new ClawbackResult(ClawbackStatus.InProgress, existing.Amount, done, "Another request is reversing this clawback now; try again in a few minutes.")),
                _ => (await SavedAsync(existing, ct), null),
            };
        }

        if (payout.State != PayoutState.Paid || payout.TransferId is null)
        {
            return (null, new ClawbackResult(ClawbackStatus.NotPaid, Message: $"The payout is {payout.State}; only a paid payout can be clawed back."));
        }

        var pending = await db.PayoutClawbacks.Where(c => c.PayoutId == payout.Id && c.State == ClawbackState.Pending).SumAsync(c => c.AmountMinor, ct);
        var left = payout.AmountMinor - done.MinorUnits - pending;
        if (request.AmountMinor <= 0 || request.AmountMinor > left)
        {
            return (null, new ClawbackResult(ClawbackStatus.TooMuch, ClawedBackSoFar: done,
                Message: $"Between 1 and {left} minor units of this payout are left to claw back{(pending > 0 ? $" ({pending} more are being clawed back now)" : "")}."));
        }

        var clawback = new PayoutClawback(request.ClawbackId, payout.Id, request.AmountMinor, payout.Currency, request.Reason, request.CreditJobId, now);
        db.PayoutClawbacks.Add(clawback);
        payout.ReserveClawback();
        return (await SavedAsync(clawback, ct), null);
    }

    private async Task<PayoutClawback> SavedAsync(PayoutClawback clawback, CancellationToken ct)
    {
        await db.SaveChangesAsync(ct);
        return clawback;
    }

    private async Task<ClawbackResult> ReverseAsync(PayoutClawback clawback, CancellationToken ct)
    {
        var payout = await db.Payouts.AsNoTracking().SingleAsync(p => p.Id == clawback.PayoutId, ct);
        var resumed = clawback.Version > 0;
        if (resumed)
        {
            // An earlier request may have made the reversal and died before recording it: look before sending again.
            var lookup = await gateway.FindClawbackReversalAsync(payout.TransferId!, clawback.Id, ct);
            if (lookup.Found is { } made)
            {
                return await RecordAsync(clawback.Id, made, ct);
            }

            if (!lookup.Answered)
            {
                return await UnsettledAsync(clawback, $"The lookup at Stripe failed ({lookup.Problem}); nothing was sent. Try the same clawback again later.", ct);
            }
        }

        GatewayResult<GatewayTransferReversal> reversed;
        try
        {
            reversed = await gateway.ReverseTransferAsync(
                new TransferReversalRequest(payout.TransferId!, clawback.Amount, payout.Id, clawback.Id, clawback.Reason), IdempotencyKeyFor(clawback.Id), ct);
        }
        catch (PaymentsGatewayUnavailableException)
        {
            clawback.Release();
            await db.SaveChangesAsync(CancellationToken.None);
            throw;
        }

        if (reversed.Value is { } reversal)
        {
            return await RecordAsync(clawback.Id, reversal, ct);
        }

        if (reversed.Ambiguous)
        {
            return await UnsettledAsync(clawback, $"Stripe's answer was not certain ({reversed.DeclineCode}: {reversed.DeclineMessage}); try the same clawback again later: it is looked up first.", ct);
        }

        clawback.MarkDeclined($"{reversed.DeclineCode}: {reversed.DeclineMessage}", clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
        return new ClawbackResult(ClawbackStatus.Declined, clawback.Amount, await DoneSoFarAsync(payout, ct), reversed.DeclineMessage);
    }

    /// <summary>The reversal exists: mark the clawback done and post it, once, whatever else moved the accounts meanwhile.</summary>
    private async Task<ClawbackResult> RecordAsync(Guid clawbackId, GatewayTransferReversal reversal, CancellationToken ct)
    {
        for (var conflicts = 0; ; conflicts++)
        {
            try
            {
                var clawback = await db.PayoutClawbacks.SingleAsync(c => c.Id == clawbackId, ct);
                var payout = await db.Payouts.AsNoTracking().SingleAsync(p => p.Id == clawback.PayoutId, ct);
                if (!clawback.MarkDone(reversal.Id, clock.GetUtcNow().UtcDateTime))
                {
                    return new ClawbackResult(ClawbackStatus.AlreadyDone, clawback.Amount, await DoneSoFarAsync(payout, ct), ReversalId: clawback.ReversalId);
                }

                var to = clawback.CreditJobId is { } jobId ? LedgerAccountId.JobEscrow(jobId) : LedgerAccountId.PlatformRevenue;
                await ledger.PostAsync(
                    LedgerCause.Clawback(payout.Id, clawback.Id),
                    [LedgerLine.Debit(LedgerAccountId.PaymentsClearing, clawback.Amount), LedgerLine.Credit(to, clawback.Amount)],
                    $"Clawback of payout {payout.Id} (transfer {payout.TransferId}, reversal {reversal.Id}) from {payout.ContributorId}: {clawback.Reason}",
                    ct);
                var before = await DoneSoFarAsync(payout, ct);
                await db.SaveChangesAsync(ct);
                return new ClawbackResult(ClawbackStatus.Done, clawback.Amount, before + clawback.Amount, ReversalId: reversal.Id);
            }
            catch (DbUpdateException) when (conflicts < 4)
            {
                db.ChangeTracker.Clear(); // a posting to the same escrow moved its version: post again on what it saved
            }
        }
    }

    private async Task<ClawbackResult> UnsettledAsync(PayoutClawback clawback, string message, CancellationToken ct)
    {
        clawback.Release();
        await db.SaveChangesAsync(ct);
        return new ClawbackResult(ClawbackStatus.InProgress, clawback.Amount, Message: message);
    }

    private async Task<Money> DoneSoFarAsync(Payout payout, CancellationToken ct) =>
        new((await queries.ClawbacksAsync([payout.Id], ct)).TryGetValue(payout.Id, out var earlier) ? earlier.AmountMinor : 0, payout.Currency);
}
