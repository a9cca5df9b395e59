namespace Marketplace.Payouts;

public enum PayoutState
{
    /// <summary>Money moved from available to in-transit; no call made yet.</summary>
    Planned = 1,

    /// <summary>The idempotency key is saved and the transfer may have been made: only ever re-sent with the same key.</summary>
    Submitted = 2,

    Paid = 3,

    /// <summary>The processor declined the transfer. An admin (or policy) retries it or returns the money.</summary>
    Failed = 4,

    /// <summary>The money is back in the contributor's available balance (after a failure or a reversed transfer).</summary>
    Returned = 5,

    /// <summary>
    /// The processor's answer said nothing certain (a lost answer then 401, idempotency_error, an unreadable 200) or
    /// the lookup that settles it failed: the transfer may exist. Never sent again and never returned to a balance
    /// until a lookup at the processor finds the transfer (Paid) or proves there is none (Failed).
    /// </summary>
    NeedsLookup = 6,
}

/// <summary>
/// One transfer to one contributor, as a state machine:
/// Planned → Submitted → Paid | Failed | NeedsLookup; NeedsLookup → Paid | Failed (only on a lookup's word);
/// Failed → Planned (retry, with a new attempt) | Returned; Paid → Returned (the transfer was reversed). Each guard returns false when the payout is not in a state that allows the move,
/// so a late or repeated webhook or job changes nothing.
/// </summary>
public sealed class Payout
{
    internal Payout(Guid id, Guid runId, string contributorId, string destinationAccountId, long amountMinor, string currency, DateTime createdAt)
    {
        Id = id;
        RunId = runId;
        ContributorId = contributorId;
        DestinationAccountId = destinationAccountId;
        AmountMinor = amountMinor;
        Currency = currency;
        CreatedAt = createdAt;
        UpdatedAt = createdAt;
        State = PayoutState.Planned;
        Attempt = 1;
    }

    public Guid Id { get; }

    public Guid RunId { get; }

    public string ContributorId { get; }

    public string DestinationAccountId { get; }

    public long AmountMinor { get; }

    public string Currency { get; }

    public DateTime CreatedAt { get; }

    public PayoutState State { get; private set; }

    /// <summary>Starts at 1; a retry after a decline is a new attempt with a new idempotency key.</summary>
    public int Attempt { get; private set; }

    /// <summary>Saved before the call to the processor; every re-send of the same attempt uses it.</summary>
    public string? IdempotencyKey { get; private set; }

    /// <summary>
    /// When the key was first saved (or last confirmed unused by a lookup): the processor remembers a key for about a
    /// day (<see cref="KeyWindow"/>), after which a re-send would be a new transfer.
    /// </summary>
    public DateTime? SubmittedAt { get; private set; }

    /// <summary>When the key was last sent, saved before the call: a lookup that finds nothing proves little until a while after it.</summary>
    public DateTime? LastSentAt { get; private set; }

    public string? TransferId { get; private set; }

    /// <summary>True when the dry-run gateway "paid" it: no money moved.</summary>
    public bool DryRun { get; private set; }

    public string? FailureReason { get; private set; }

    public DateTime UpdatedAt { get; private set; }

    /// <summary>Optimistic concurrency: two nodes moving the same payout cannot both save.</summary>
    public long Version { get; private set; }

    public Money Amount => new(AmountMinor, Currency);

    /// <summary>Stripe keeps idempotency keys for at least 24 hours; an hour less leaves room for both clocks.</summary>
    public static TimeSpan KeyWindow { get; } = TimeSpan.FromHours(23);

    public static string IdempotencyKeyFor(Guid payoutId, int attempt) => $"payout-{payoutId:N}-{attempt}";

    /// <summary>Whether the processor may have forgotten the key: re-sending it then could pay a second time.</summary>
    public bool KeyMayBeForgotten(DateTime now) => SubmittedAt is { } at && now - at >= KeyWindow;

    internal bool Submit(DateTime at)
    {
        if (State != PayoutState.Planned)
        {
            return false;
        }

        IdempotencyKey = IdempotencyKeyFor(Id, Attempt);
        SubmittedAt = at;
        return MoveTo(PayoutState.Submitted, at);
    }

    /// <summary>About to send the key (the caller saves first). <paramref name="keyVerifiedUnused"/>: a lookup just found no transfer.</summary>
    internal void MarkSending(DateTime at, bool keyVerifiedUnused = false)
    {
        LastSentAt = at;
        SubmittedAt = keyVerifiedUnused ? at : SubmittedAt ?? at;
        UpdatedAt = at;
        Version++;
    }

    internal bool MarkNeedsLookup(string reason, DateTime at)
    {
        if (State is not (PayoutState.Submitted or PayoutState.NeedsLookup))
        {
            return false;
        }

        FailureReason = reason.Length > 500 ? reason[..500] : reason;
        return MoveTo(PayoutState.NeedsLookup, at);
    }

    internal bool MarkPaid(string transferId, bool dryRun, DateTime at)
    {
        if (State is not (PayoutState.Submitted or PayoutState.NeedsLookup))
        {
            return false;
        }

        TransferId = transferId;
        DryRun = dryRun;
        FailureReason = null;
        return MoveTo(PayoutState.Paid, at);
    }

    /// <summary>From NeedsLookup only on a lookup's word that no transfer exists.</summary>
    internal bool MarkFailed(string reason, DateTime at)
    {
        if (State is not (PayoutState.Submitted or PayoutState.Planned or PayoutState.NeedsLookup))
        {
            return false;
        }

        FailureReason = reason.Length > 500 ? reason[..500] : reason;
        return MoveTo(PayoutState.Failed, at);
    }

    internal bool Retry(DateTime at)
    {
        if (State != PayoutState.Failed)
        {
            return false;
        }

        Attempt++;
        IdempotencyKey = null;
        SubmittedAt = null;
        LastSentAt = null;
        return MoveTo(PayoutState.Planned, at);
    }

    internal bool Return(string reason, DateTime at)
    {
        if (State is not (PayoutState.Failed or PayoutState.Paid))
        {
            return false;
        }

        FailureReason = reason;
        return MoveTo(PayoutState.Returned, at);
    }

    /// <summary>
    /// A clawback is being reserved against this payout: bumping the version makes two reservations (or a
    /// reservation and a return) conflict, so the second re-reads what is left instead of reversing it too.
    /// </summary>
    internal void ReserveClawback() => Version++;

    private bool MoveTo(PayoutState state, DateTime at)
    {
        State = state;
        UpdatedAt = at;
        Version++;
        return true;
    }
}

/// <summary>
/// One planning of payouts. Its key (e.g. the scheduled date) is unique, so two nodes planning the same run plan it
/// once. It is recorded (<see cref="Planning"/>) before its payouts are planned, so a run whose planning was killed
/// is found and planned again at start-up instead of waiting for the job storage to give its job back.
/// </summary>
public sealed class PayoutRun
{
    internal PayoutRun(Guid id, string runKey, DateTime plannedAt)
    {
        Id = id;
        RunKey = runKey;
        PlannedAt = plannedAt;
        Planning = true;
    }

    public Guid Id { get; }

    public string RunKey { get; }

    public DateTime PlannedAt { get; }

    /// <summary>A paused run's payouts are not executed until it is resumed.</summary>
    public bool Paused { get; private set; }

    /// <summary>True from the moment the run is recorded until its payouts commit, with this flag, in one transaction.</summary>
    public bool Planning { get; private set; }

    internal void SetPaused(bool paused) => Paused = paused;

    internal bool FinishPlanning()
    {
        var wasPlanning = Planning;
        Planning = false;
        return wasPlanning;
    }
}
