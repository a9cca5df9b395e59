namespace Marketplace.Web.Domain;

public enum AssignmentStatus
{
    /// <summary>Held by a lease; the slot is the contributor's until <see cref="Assignment.LeaseExpiresAt"/>.</summary>
    Leased,

    /// <summary>Answered in time; counts towards the item's labels (or the contributor's gold record).</summary>
    Submitted,

    /// <summary>The lease ran out; the slot went back to the pool.</summary>
    Expired,

    /// <summary>The contributor skipped or released it; the slot went back to the pool.</summary>
    Released,

    /// <summary>Thrown out later (fraud); the item was re-opened.</summary>
    Rejected,

    /// <summary>The job closed (cancelled, or completed) while the task was leased: the lease ended and no answer is taken.</summary>
    Withdrawn,
}

public enum AssignmentKind
{
    /// <summary>Paid work on an ordinary item.</summary>
    Label,

    /// <summary>Paid work on a gold item, served unannounced at the gold rate.</summary>
    Gold,

    /// <summary>A question of a qualification test (gold, unpaid).</summary>
    Qualification,
}

/// <summary>
/// One contributor's hold on one item: leased, then submitted, expired or released. There is at most one per
/// (item, contributor), ever, so nobody labels the same item twice.
/// </summary>
public class Assignment
{
    public Guid Id { get; set; }

    public Guid JobId { get; set; }

    public Guid ItemId { get; set; }

    public required string ContributorId { get; set; }

    public AssignmentKind Kind { get; set; }

    public AssignmentStatus Status { get; set; }

    public Guid? QualificationAttemptId { get; set; }

    /// <summary>Pay for this label fixed when it was leased, so a later change never lowers it.</summary>
    public long PayMinor { get; set; }

    public DateTime LeasedAt { get; set; }

    public DateTime LeaseExpiresAt { get; set; }

    public DateTime? EndedAt { get; set; }

    /// <summary>The answer as JSON, validated against the task type.</summary>
    public string? Answer { get; set; }

    /// <summary>Server-side time from lease to submit.</summary>
    public int? DurationMs { get; set; }

    /// <summary>For gold: whether the answer matched the known one.</summary>
    public bool? IsCorrect { get; set; }

    public bool IsGold => Kind is AssignmentKind.Gold or AssignmentKind.Qualification;
}
