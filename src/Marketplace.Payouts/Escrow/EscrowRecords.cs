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
