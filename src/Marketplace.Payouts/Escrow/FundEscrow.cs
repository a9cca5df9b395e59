using Microsoft.EntityFrameworkCore;

namespace Marketplace.Payouts;

public sealed record PaymentConfirmation(string PaymentIntentId, Guid JobId, Money Amount, bool DryRun = false);

public enum FundingStatus
{
    Funded = 1,
    AlreadyFunded = 2,
}

public sealed record FundingResult(FundingStatus Status, Money EscrowBalance);

/// <summary>A confirmed payment moves into the job's escrow: clearing (debit) → escrow (credit). Once per payment.</summary>
public sealed class FundEscrow(IPayoutsDb db, Ledger ledger, TimeProvider clock, IPayoutsObserver observer)
{
    /// <summary>Stages the funding in the caller's unit of work; the caller saves.</summary>
    public async Task<FundingResult> StageAsync(PaymentConfirmation payment, CancellationToken ct = default)
    {
        if (payment.Amount.MinorUnits <= 0)
        {
            throw new ArgumentException("A funding payment is positive.", nameof(payment));
        }

        var escrow = LedgerAccountId.JobEscrow(payment.JobId);
        var posting = await ledger.PostAsync(
            LedgerCause.Payment(payment.PaymentIntentId),
            [LedgerLine.Debit(LedgerAccountId.PaymentsClearing, payment.Amount), LedgerLine.Credit(escrow, payment.Amount)],
            $"Payment {payment.PaymentIntentId} funds job {payment.JobId}",
            ct);
        if (posting.Status == PostingStatus.AlreadyPosted)
        {
            return new FundingResult(FundingStatus.AlreadyFunded, await ledger.BalanceAsync(escrow, payment.Amount.Currency, ct));
        }

        if (await db.EscrowFundings.FindAsync([payment.PaymentIntentId], ct) is null)
        {
            db.EscrowFundings.Add(new EscrowFunding(payment.PaymentIntentId, payment.JobId, payment.Amount.MinorUnits, payment.Amount.Currency, clock.GetUtcNow().UtcDateTime, payment.DryRun));
        }

        await observer.EscrowFundedAsync(payment.JobId, payment.Amount, ct);
        return new FundingResult(FundingStatus.Funded, await ledger.BalanceAsync(escrow, payment.Amount.Currency, ct));
    }

    public async Task<FundingResult> ExecuteAsync(PaymentConfirmation payment, CancellationToken ct = default)
    {
        var result = await StageAsync(payment, ct);
        await db.SaveChangesAsync(ct);
        return result;
    }
}

public sealed record FundingIntent(string PaymentIntentId, string? ClientSecret, bool DryRun, bool FundedNow, string? DeclineMessage)
{
    public bool Succeeded => DeclineMessage is null;
}

/// <summary>
/// Starts a buyer's payment for a job: a PaymentIntent whose metadata names the job and our saved request, so the
/// verified payment_intent.succeeded webhook funds escrow when the payment matches the request. In a dry run there is
/// no card and no webhook: escrow is funded at once.
/// </summary>
public sealed class StartJobFunding(IPayoutsDb db, IPaymentsGateway gateway, FundEscrow fundEscrow, TimeProvider clock)
{
    /// <summary><paramref name="requestId"/> is the caller's id for this funding attempt; a re-send reuses the intent.</summary>
    public async Task<FundingIntent> ExecuteAsync(Guid jobId, Money amount, Guid requestId, CancellationToken ct = default)
    {
        var request = await db.EscrowPaymentRequests.FindAsync([requestId], ct);
        if (request is null)
        {
            // Saved before the call: whatever Stripe later says was paid is compared with this.
            request = new EscrowPaymentRequest(requestId, jobId, amount.MinorUnits, amount.Currency, clock.GetUtcNow().UtcDateTime);
            db.EscrowPaymentRequests.Add(request);
            await db.SaveChangesAsync(ct);
        }

        var result = await gateway.CreatePaymentIntentAsync(new PaymentIntentRequest(request.Amount, request.JobId, requestId, $"Budget for job {jobId}"), $"fund-{requestId:N}", ct);
        if (result.Value is not { } intent)
        {
            return new FundingIntent("", null, gateway.IsDryRun, false, result.DeclineMessage);
        }

        request.Started(intent.Id);
        if (gateway.IsDryRun && intent.Succeeded)
        {
            request.MarkCredited(clock.GetUtcNow().UtcDateTime);
            await fundEscrow.ExecuteAsync(new PaymentConfirmation(intent.Id, jobId, amount, DryRun: true), ct);
            return new FundingIntent(intent.Id, intent.ClientSecret, true, true, null);
        }

        await db.SaveChangesAsync(ct);
        return new FundingIntent(intent.Id, intent.ClientSecret, false, false, null);
    }
}

/// <summary>What the Web shows about a job's money.</summary>
public sealed class EscrowQueries(IPayoutsDb db, Ledger ledger)
{
    public Task<Money> BalanceAsync(Guid jobId, string currency, CancellationToken ct = default) =>
        ledger.BalanceAsync(LedgerAccountId.JobEscrow(jobId), currency, ct);

    public async Task<IReadOnlyList<EscrowFunding>> FundingsAsync(Guid jobId, CancellationToken ct = default) =>
        await db.EscrowFundings.AsNoTracking().Where(f => f.JobId == jobId).OrderBy(f => f.FundedAt).ToListAsync(ct);

    public async Task<IReadOnlyList<EscrowRefund>> RefundsAsync(Guid jobId, CancellationToken ct = default) =>
        await db.EscrowRefunds.AsNoTracking().Where(r => r.JobId == jobId).OrderBy(r => r.CreatedAt).ToListAsync(ct);
}
