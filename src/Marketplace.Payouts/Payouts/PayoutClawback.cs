namespace Marketplace.Payouts;

public enum ClawbackState
{
    /// <summary>Reserved against the payout and being (or to be) reversed at the processor.</summary>
    Pending = 1,
    Done = 2,

    /// <summary>The processor refused the reversal; its amount is free again.</summary>
    Declined = 3,
}

/// <summary>
/// One admin decision to take money back from a paid payout, saved (and its amount reserved) before the processor is
/// called, so two requests for one payout cannot both reverse it, nor reverse more than was paid. Its id is the
/// decision's id and the idempotency key derives from it: a retried request resumes this record, never makes another.
/// </summary>
public sealed class PayoutClawback
{
    internal PayoutClawback(Guid id, Guid payoutId, long amountMinor, string currency, string reason, Guid? creditJobId, DateTime createdAt)
    {
        Id = id;
        PayoutId = payoutId;
        AmountMinor = amountMinor;
        Currency = currency;
        Reason = reason.Length > 500 ? reason[..500] : reason;
        CreditJobId = creditJobId;
        CreatedAt = createdAt;
        AttemptStartedAt = createdAt;
        State = ClawbackState.Pending;
    }

    public Guid Id { get; }

    public Guid PayoutId { get; }

    public long AmountMinor { get; }

    public string Currency { get; }

    public string Reason { get; }

    /// <summary>The job whose escrow gets the money back; none: platform revenue.</summary>
    public Guid? CreditJobId { get; }

    public DateTime CreatedAt { get; }

    public ClawbackState State { get; private set; }

    public string? ReversalId { get; private set; }

    public string? FailureReason { get; private set; }

    /// <summary>When a request last took this clawback to the processor; null when none is at it. Another waits out the lease.</summary>
    public DateTime? AttemptStartedAt { get; private set; }

    public DateTime? SettledAt { get; private set; }

    /// <summary>Optimistic concurrency: of two requests claiming it, one saves.</summary>
    public long Version { get; private set; }

    public Money Amount => new(AmountMinor, Currency);

    /// <summary>Takes the pending clawback to the processor, unless another request is at it (within <paramref name="lease"/>).</summary>
    internal bool Claim(DateTime at, TimeSpan lease)
    {
        if (State != ClawbackState.Pending || (AttemptStartedAt is { } started && at - started < lease))
        {
            return false;
        }

        AttemptStartedAt = at;
        Version++;
        return true;
    }

    /// <summary>The call ended without an answer (the processor was unreachable): the next request may resume at once.</summary>
    internal void Release()
    {
        AttemptStartedAt = null;
        Version++;
    }

    internal bool MarkDone(string reversalId, DateTime at)
    {
        if (State != ClawbackState.Pending)
        {
            return false;
        }

        (State, ReversalId, SettledAt, AttemptStartedAt) = (ClawbackState.Done, reversalId, at, null);
        Version++;
        return true;
    }

    internal void MarkDeclined(string reason, DateTime at)
    {
        (State, FailureReason, SettledAt, AttemptStartedAt) = (ClawbackState.Declined, reason.Length > 500 ? reason[..500] : reason, at, null);
        Version++;
    }
}
