namespace Marketplace.Web.Domain;

public enum QualificationStatus
{
    InProgress,
    Passed,
    Failed,
}

/// <summary>
/// A contributor's standing for one task type: whether they qualified, and their running gold record
/// (qualification answers and gold served in paid work), from which the accuracy posterior is derived.
/// </summary>
public class Qualification
{
    public Guid Id { get; set; }

    public required string ContributorId { get; set; }

    public TaskType TaskType { get; set; }

    public QualificationStatus Status { get; set; }

    public int Attempts { get; set; }

    public DateTime? PassedAt { get; set; }

    public int GoldCorrect { get; set; }

    public int GoldWrong { get; set; }

    public DateTime UpdatedAt { get; set; }
}

/// <summary>One sitting of a qualification test: a fixed set of gold questions answered under one deadline.</summary>
public class QualificationAttempt
{
    public Guid Id { get; set; }

    public required string ContributorId { get; set; }

    public TaskType TaskType { get; set; }

    public int Questions { get; set; }

    public DateTime StartedAt { get; set; }

    public DateTime Deadline { get; set; }

    public DateTime? CompletedAt { get; set; }

    public int? Correct { get; set; }

    public bool? Passed { get; set; }
}
