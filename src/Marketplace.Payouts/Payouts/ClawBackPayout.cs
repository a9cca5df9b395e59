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

    /// <summary>More than what is left of the payout after earlier clawbacks, or not positive.</summary>
    TooMuch = 5,

    /// <summary>The processor refused the reversal (its message says why).</summary>
    Declined = 6,
}

public sealed record ClawbackResult(ClawbackStatus Status, Money? Amount = null, Money? ClawedBackSoFar = null, string? Message = null, string? ReversalId = null);

public sealed class ClawBackPayout(IPayoutsDb db, Ledger ledger, IPaymentsGateway gateway, PayoutQueries queries)
{
    public static string IdempotencyKeyFor(Guid clawbackId) => $"clawback-{clawbackId:N}";

    public async Task<ClawbackResult> ExecuteAsync(ClawbackRequest request, CancellationToken ct = default)
    {
        var cause = LedgerCause.Clawback(request.PayoutId, request.ClawbackId);
        var payout = await db.Payouts.AsNoTracking().SingleOrDefaultAsync(p => p.Id == request.PayoutId, ct);
        if (payout is null)
        {
            return new ClawbackResult(ClawbackStatus.NotFound);
        }

        var soFar = new Money((await queries.ClawbacksAsync([payout.Id], ct)).TryGetValue(payout.Id, out var earlier) ? earlier.AmountMinor : 0, payout.Currency);
        if (await ledger.FindAsync(cause, ct) is not null)
        {
            return new ClawbackResult(ClawbackStatus.AlreadyDone, new Money(request.AmountMinor, payout.Currency), soFar);
        }

        if (payout.State != PayoutState.Paid || payout.TransferId is null)
        {
            return new ClawbackResult(ClawbackStatus.NotPaid, Message: $"The payout is {payout.State}; only a paid payout can be clawed back.");
        }

        if (request.AmountMinor <= 0 || request.AmountMinor > payout.AmountMinor - soFar.MinorUnits)
        {
            return new ClawbackResult(ClawbackStatus.TooMuch, ClawedBackSoFar: soFar,
                Message: $"Between 1 and {payout.AmountMinor - soFar.MinorUnits} minor units of this payout are left to claw back.");
        }

        var amount = new Money(request.AmountMinor, payout.Currency);
        var reversed = await gateway.ReverseTransferAsync(
            new TransferReversalRequest(payout.TransferId, amount, payout.Id, request.ClawbackId, request.Reason), IdempotencyKeyFor(request.ClawbackId), ct);
        if (reversed.Value is not { } reversal)
        {
            return new ClawbackResult(ClawbackStatus.Declined, amount, soFar, reversed.DeclineMessage);
        }

        var to = request.CreditJobId is { } jobId ? LedgerAccountId.JobEscrow(jobId) : LedgerAccountId.PlatformRevenue;
        var posting = await ledger.PostAsync(
            cause,
            [LedgerLine.Debit(LedgerAccountId.PaymentsClearing, amount), LedgerLine.Credit(to, amount)],
            $"Clawback of payout {payout.Id} (transfer {payout.TransferId}, reversal {reversal.Id}) from {payout.ContributorId}: {request.Reason}",
            ct);
        await db.SaveChangesAsync(ct);
        return new ClawbackResult(posting.Status == PostingStatus.Posted ? ClawbackStatus.Done : ClawbackStatus.AlreadyDone, amount, soFar + amount, ReversalId: reversal.Id);
    }
}
