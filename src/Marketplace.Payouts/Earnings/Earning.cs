namespace Marketplace.Payouts;

public enum EarningStatus
{
    Pending = 1,
    Released = 2,

    /// <summary>Reversed before release (fraud): the money went back to escrow and revenue.</summary>
    Reversed = 3,
}

/// <summary>One accepted label's earnings: the ledger holds the money, this row tracks its hold and release.</summary>
public sealed class Earning
{
    internal Earning(Guid assignmentId, Guid jobId, string contributorId, string? tier, long payMinor, long feeMinor, string currency, DateTime accruedAt, DateTime releaseAfter, Guid accrualTransactionId)
    {
        AssignmentId = assignmentId;
        JobId = jobId;
        ContributorId = contributorId;
        Tier = tier;
        PayMinor = payMinor;
        FeeMinor = feeMinor;
        Currency = currency;
        AccruedAt = accruedAt;
        ReleaseAfter = releaseAfter;
        AccrualTransactionId = accrualTransactionId;
        Status = EarningStatus.Pending;
    }

    public Guid AssignmentId { get; }

    public Guid JobId { get; }

    public string ContributorId { get; }

    public string? Tier { get; }

    public long PayMinor { get; }

    public long FeeMinor { get; }

    public string Currency { get; }

    public DateTime AccruedAt { get; }

    public DateTime ReleaseAfter { get; }

    public Guid AccrualTransactionId { get; }

    public EarningStatus Status { get; private set; }

    public DateTime? SettledAt { get; private set; }

    public string? ReversalReason { get; private set; }

    public Money Pay => new(PayMinor, Currency);

    internal void MarkReleased(DateTime at)
    {
        if (Status != EarningStatus.Pending)
        {
            throw new InvalidOperationException($"Earning {AssignmentId} is {Status}; only pending earnings are released.");
        }

        Status = EarningStatus.Released;
        SettledAt = at;
    }

    internal void MarkReversed(DateTime at, string reason)
    {
        if (Status is not (EarningStatus.Pending or EarningStatus.Released))
        {
            throw new InvalidOperationException($"Earning {AssignmentId} is {Status}; only unpaid (pending or released) earnings are reversed.");
        }

        Status = EarningStatus.Reversed;
        SettledAt = at;
        ReversalReason = reason;
    }
}
