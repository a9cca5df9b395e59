namespace Marketplace.Payouts;

public enum AccountKind
{
    /// <summary>What a buyer has paid for one job and not yet spent or been refunded (owner: job id).</summary>
    JobEscrow = 1,

    /// <summary>Earned by a contributor, still inside the hold period (owner: contributor id).</summary>
    ContributorPending = 2,

    /// <summary>Earned and past the hold; the next payout run pays it (owner: contributor id).</summary>
    ContributorAvailable = 3,

    /// <summary>Planned or submitted payouts, owed to a contributor until the transfer is made (owner: contributor id).</summary>
    PayoutsInTransit = 4,

    PlatformRevenue = 5,

    /// <summary>Our balance at the payment processor: buyers' payments in, transfers and refunds out.</summary>
    PaymentsClearing = 6,

    /// <summary>Refunds owed to buyers and requested from the processor, until it confirms them (owner: job id).</summary>
    RefundsInTransit = 7,
}

public enum EntryDirection
{
    Debit = 1,
    Credit = 2,
}

/// <summary>One ledger account: a kind and its owner (a job, a contributor, or the platform). Currency is per entry.</summary>
public readonly record struct LedgerAccountId(AccountKind Kind, string Owner)
{
    public const string PlatformOwner = "platform";

    public static LedgerAccountId JobEscrow(Guid jobId) => new(AccountKind.JobEscrow, jobId.ToString("N"));

    public static LedgerAccountId RefundsInTransit(Guid jobId) => new(AccountKind.RefundsInTransit, jobId.ToString("N"));

    public static LedgerAccountId ContributorPending(string contributorId) => new(AccountKind.ContributorPending, contributorId);

    public static LedgerAccountId ContributorAvailable(string contributorId) => new(AccountKind.ContributorAvailable, contributorId);

    public static LedgerAccountId PayoutsInTransit(string contributorId) => new(AccountKind.PayoutsInTransit, contributorId);

    public static LedgerAccountId PlatformRevenue { get; } = new(AccountKind.PlatformRevenue, PlatformOwner);

    public static LedgerAccountId PaymentsClearing { get; } = new(AccountKind.PaymentsClearing, PlatformOwner);

    /// <summary>Clearing is an asset (money we hold at the processor); every other account is money we owe someone.</summary>
    public EntryDirection NormalSide => Kind == AccountKind.PaymentsClearing ? EntryDirection.Debit : EntryDirection.Credit;

    /// <summary>
    /// Accounts that must never go below zero: they hold someone else's money. Postings against them are checked
    /// and serialized through <see cref="LedgerAccount.Version"/>.
    /// </summary>
    public bool IsGuarded => Kind is not (AccountKind.PlatformRevenue or AccountKind.PaymentsClearing);

    public override string ToString() => $"{Kind}:{Owner}";
}

/// <summary>One side of a transaction being built: an account, a direction and a positive amount.</summary>
public sealed record LedgerLine(LedgerAccountId Account, EntryDirection Direction, Money Amount)
{
    public static LedgerLine Debit(LedgerAccountId account, Money amount) => new(account, EntryDirection.Debit, amount);

    public static LedgerLine Credit(LedgerAccountId account, Money amount) => new(account, EntryDirection.Credit, amount);
}

/// <summary>What caused a transaction. (Kind, Id) is unique in the ledger, so one cause can never post twice.</summary>
public readonly record struct LedgerCause(CauseKind Kind, string Id)
{
    public static LedgerCause Payment(string paymentIntentId) => new(CauseKind.Payment, paymentIntentId);

    public static LedgerCause Accrual(Guid assignmentId) => new(CauseKind.Accrual, assignmentId.ToString("N"));

    public static LedgerCause Release(Guid assignmentId) => new(CauseKind.Release, assignmentId.ToString("N"));

    public static LedgerCause PayoutPlanned(Guid payoutId) => new(CauseKind.PayoutPlanned, payoutId.ToString("N"));

    public static LedgerCause PayoutPaid(Guid payoutId) => new(CauseKind.PayoutPaid, payoutId.ToString("N"));

    public static LedgerCause Refund(Guid refundId) => new(CauseKind.Refund, refundId.ToString("N"));

    public static LedgerCause RefundSettled(Guid refundId) => new(CauseKind.RefundSettled, refundId.ToString("N"));

    public static LedgerCause Reversal(Guid originalTransactionId) => new(CauseKind.Reversal, originalTransactionId.ToString("N"));

    /// <summary>Starts with the payout's id, so a payout's clawbacks are found by prefix.</summary>
    public static LedgerCause Clawback(Guid payoutId, Guid clawbackId) => new(CauseKind.Clawback, $"{payoutId:N}:{clawbackId:N}");

    public override string ToString() => $"{Kind}:{Id}";
}

public enum CauseKind
{
    /// <summary>A buyer's confirmed payment (PaymentIntent id) into a job's escrow.</summary>
    Payment = 1,

    /// <summary>An accepted label's earnings (assignment id).</summary>
    Accrual = 2,

    /// <summary>Pending earnings of one assignment becoming available after the hold.</summary>
    Release = 3,

    PayoutPlanned = 4,
    PayoutPaid = 5,
    Refund = 6,
    RefundSettled = 7,

    /// <summary>A correction: the exact opposite of the transaction whose id this cause carries.</summary>
    Reversal = 8,

    /// <summary>An admin took back (part of) a paid payout by reversing its transfer (payout id, clawback id).</summary>
    Clawback = 9,
}
