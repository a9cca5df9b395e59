namespace Marketplace.Payouts;

/// <summary>A confirmed buyer payment into a job's escrow. Refunds go back against these payments.</summary>
public sealed class EscrowFunding
{
    internal EscrowFunding(string paymentIntentId, Guid jobId, long amountMinor, string currency, DateTime fundedAt, bool dryRun)
    {
        PaymentIntentId = paymentIntentId;
        JobId = jobId;
        AmountMinor = amountMinor;
        Currency = currency;
        FundedAt = fundedAt;
        DryRun = dryRun;
    }

    public string PaymentIntentId { get; }

    public Guid JobId { get; }

    public long AmountMinor { get; }

    public string Currency { get; }

    public DateTime FundedAt { get; }

    public bool DryRun { get; }
}

public enum RefundState
{
    /// <summary>Saved with its idempotency key and posted to the ledger; the processor has not confirmed it yet.</summary>
    Submitted = 1,
    Succeeded = 2,
    Failed = 3,
}

/// <summary>Unspent escrow going back to the buyer against one of the job's payments.</summary>
public sealed class EscrowRefund
{
    internal EscrowRefund(Guid id, Guid jobId, string paymentIntentId, long amountMinor, string currency, DateTime createdAt)
    {
        Id = id;
        JobId = jobId;
        PaymentIntentId = paymentIntentId;
        AmountMinor = amountMinor;
        Currency = currency;
        CreatedAt = createdAt;
        State = RefundState.Submitted;
        IdempotencyKey = $"refund-{id:N}";
    }

    public Guid Id { get; }

    public Guid JobId { get; }

    public string PaymentIntentId { get; }

    public long AmountMinor { get; }

    public string Currency { get; }

    public DateTime CreatedAt { get; }

    public string IdempotencyKey { get; }

    public RefundState State { get; private set; }

    public string? GatewayRefundId { get; private set; }

    public bool DryRun { get; private set; }

    public DateTime? SettledAt { get; private set; }

    public string? FailureReason { get; private set; }

    public Money Amount => new(AmountMinor, Currency);

    internal bool MarkSucceeded(string gatewayRefundId, bool dryRun, DateTime at)
    {
        if (State != RefundState.Submitted)
        {
            return false;
        }

        State = RefundState.Succeeded;
        GatewayRefundId = gatewayRefundId;
        DryRun = dryRun;
        SettledAt = at;
        return true;
    }

    internal bool MarkFailed(string reason, DateTime at)
    {
        if (State != RefundState.Submitted)
        {
            return false;
        }

        State = RefundState.Failed;
        FailureReason = reason;
        SettledAt = at;
        return true;
    }
}

public enum PaymentRequestState
{
    /// <summary>Asked of the processor; the buyer has not paid (or we have not heard).</summary>
    Open = 1,
    Credited = 2,

    /// <summary>A payment arrived that does not match what was asked (currency, amount, job, account): not credited.</summary>
    Refused = 3,
}

/// <summary>
/// A payment we asked the processor to take for a job, saved before the call. The webhook credits escrow only for a
/// payment that matches one of these (same job, currency and amount), so a payment made any other way, or changed on
/// the way, funds nothing.
/// </summary>
public sealed class EscrowPaymentRequest
{
    internal EscrowPaymentRequest(Guid id, Guid jobId, long amountMinor, string currency, DateTime createdAt)
    {
        Id = id;
        JobId = jobId;
        AmountMinor = amountMinor;
        Currency = currency;
        CreatedAt = createdAt;
        State = PaymentRequestState.Open;
    }

    public Guid Id { get; }

    public Guid JobId { get; }

    public long AmountMinor { get; }

    public string Currency { get; }

    public DateTime CreatedAt { get; }

    public string? PaymentIntentId { get; private set; }

    public PaymentRequestState State { get; private set; }

    /// <summary>Why a payment against this request was not credited, for the person who refunds it.</summary>
    public string? RefusalReason { get; private set; }

    public DateTime? SettledAt { get; private set; }

    public Money Amount => new(AmountMinor, Currency);

    internal void Started(string paymentIntentId) => PaymentIntentId ??= paymentIntentId;

    internal void MarkCredited(DateTime at)
    {
        State = PaymentRequestState.Credited;
        SettledAt ??= at;
    }

    internal void MarkRefused(string reason, DateTime at)
    {
        if (State == PaymentRequestState.Credited)
        {
            return;
        }

        State = PaymentRequestState.Refused;
        RefusalReason = reason.Length > 500 ? reason[..500] : reason;
        SettledAt = at;
    }
}
