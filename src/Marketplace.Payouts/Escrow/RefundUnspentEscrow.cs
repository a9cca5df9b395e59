using Microsoft.EntityFrameworkCore;

namespace Marketplace.Payouts;

public enum RefundOutcome
{
    /// <summary>Every refund for the job is confirmed (this call or an earlier one).</summary>
    Refunded = 1,

    NothingToRefund = 2,

    /// <summary>At least one refund awaits the processor (pending status or its webhook); run again or wait for charge.refunded.</summary>
    Pending = 3,

    /// <summary>The processor refused a refund; its money is back in escrow and an admin must look.</summary>
    Failed = 4,
}

public sealed record RefundResult(RefundOutcome Outcome, IReadOnlyList<EscrowRefund> Refunds);

/// <summary>
/// At job close, the unspent escrow goes back to the buyer, newest payment first, each refund capped at its payment.
/// Refunds are planned once per job (unique per job and payment) with their ledger posting and key saved before the
/// call; running it again only re-sends refunds the processor has not confirmed, with the same keys.
/// </summary>
public sealed class RefundUnspentEscrow(IPayoutsDb db, Ledger ledger, IPaymentsGateway gateway, TimeProvider clock)
{
    public async Task<RefundResult> ExecuteAsync(Guid jobId, CancellationToken ct = default)
    {
        var refunds = await db.EscrowRefunds.Where(r => r.JobId == jobId).ToListAsync(ct);
        if (refunds.Count == 0)
        {
            refunds = await PlanAsync(jobId, ct);
            if (refunds.Count == 0)
            {
                return new RefundResult(RefundOutcome.NothingToRefund, []);
            }

            await db.SaveChangesAsync(ct);
        }

        foreach (var refund in refunds.Where(r => r.State == RefundState.Submitted))
        {
            var result = await gateway.CreateRefundAsync(new RefundRequest(refund.PaymentIntentId, refund.Amount, refund.Id, jobId), refund.IdempotencyKey, ct);
            var now = clock.GetUtcNow().UtcDateTime;
            if (result.Value is { Status: "succeeded" } done)
            {
                await SettleAsync(ledger, refund, done.Id, result.DryRun, now, ct);
            }
            else if (result.Ambiguous)
            {
                // The refund may have been made under an earlier send of this key: it stays Submitted, and the next
                // run re-sends the key (Stripe replays) or charge.refunded confirms it. Never back into escrow.
            }
            else if (result.Value is null || result.Value.Status is "failed" or "canceled")
            {
                if (refund.MarkFailed(result.DeclineMessage ?? $"refund {result.Value?.Status}", now))
                {
                    var posted = await ledger.FindAsync(LedgerCause.Refund(refund.Id), ct);
                    await ledger.ReverseAsync(posted!.Id, $"Refund {refund.Id} refused; money back in escrow", ct);
                }
            }

            await db.SaveChangesAsync(ct);
        }

        var outcome = refunds.Any(r => r.State == RefundState.Failed) ? RefundOutcome.Failed
            : refunds.Any(r => r.State == RefundState.Submitted) ? RefundOutcome.Pending
            : RefundOutcome.Refunded;
        return new RefundResult(outcome, refunds);
    }

    /// <summary>Submitted → Succeeded, and refunds-in-transit → clearing. Shared with the charge.refunded webhook.</summary>
    internal static async Task SettleAsync(Ledger ledger, EscrowRefund refund, string gatewayRefundId, bool dryRun, DateTime at, CancellationToken ct)
    {
        if (!refund.MarkSucceeded(gatewayRefundId, dryRun, at))
        {
            return;
        }

        var posting = await ledger.PostAsync(
            LedgerCause.RefundSettled(refund.Id),
            [LedgerLine.Debit(LedgerAccountId.RefundsInTransit(refund.JobId), refund.Amount), LedgerLine.Credit(LedgerAccountId.PaymentsClearing, refund.Amount)],
            $"Refund {gatewayRefundId} of {refund.PaymentIntentId} confirmed",
            ct);
        if (!posting.Succeeded)
        {
            throw new LedgerConflictException($"Refund {refund.Id}: refunds-in-transit no longer covers it; another unit of work settled it first.");
        }
    }

    private async Task<List<EscrowRefund>> PlanAsync(Guid jobId, CancellationToken ct)
    {
        var fundings = await db.EscrowFundings.AsNoTracking().Where(f => f.JobId == jobId).ToListAsync(ct);
        var refunds = new List<EscrowRefund>();
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var currency in fundings.GroupBy(f => f.Currency))
        {
            var escrow = await ledger.BalanceAsync(LedgerAccountId.JobEscrow(jobId), currency.Key, ct);
            var left = escrow.MinorUnits;
            foreach (var funding in currency.OrderByDescending(f => f.FundedAt).ThenByDescending(f => f.PaymentIntentId, StringComparer.Ordinal))
            {
                if (left <= 0)
                {
                    break;
                }

                var amount = new Money(Math.Min(left, funding.AmountMinor), currency.Key);
                var refund = new EscrowRefund(Guid.NewGuid(), jobId, funding.PaymentIntentId, amount.MinorUnits, amount.Currency, now);
                var posting = await ledger.PostAsync(
                    LedgerCause.Refund(refund.Id),
                    [LedgerLine.Debit(LedgerAccountId.JobEscrow(jobId), amount), LedgerLine.Credit(LedgerAccountId.RefundsInTransit(jobId), amount)],
                    $"Unspent escrow of job {jobId} back to the buyer against {funding.PaymentIntentId}",
                    ct);
                if (posting.Status != PostingStatus.Posted)
                {
                    throw new LedgerConflictException($"Refund of job {jobId}: escrow moved while refunds were planned.");
                }

                db.EscrowRefunds.Add(refund);
                refunds.Add(refund);
                left -= amount.MinorUnits;
            }
        }

        return refunds;
    }
}
