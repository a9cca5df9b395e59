namespace Marketplace.Web.Jobs;

public enum TaskType
{
    SingleChoice,
    MultiLabel,
    BoundingBox,
    TextSpan,
    FreeText,
    Pairwise,
}

public enum JobStatus
{
    Draft,
    Funded,
    Active,
    Paused,
    Completed,
    Cancelled,
}

public class Job
{
    public Guid Id { get; set; }

    public Guid OrganizationId { get; set; }

    public required string Title { get; set; }

    public string Instructions { get; set; } = "";

    public TaskType TaskType { get; set; }

    /// <summary>The answer classes, one per line order-preserving (empty for free text).</summary>
    public List<string> Labels { get; set; } = [];

    public long PayPerLabelMinor { get; set; }

    public required string Currency { get; set; }

    public int Redundancy { get; set; }

    public double? TargetConfidence { get; set; }

    public double GoldRate { get; set; }

    public string? MinimumTier { get; set; }

    public DateTime? Deadline { get; set; }

    public long BudgetMinor { get; set; }

    public JobStatus Status { get; set; }

    public required string CreatedByUserId { get; set; }

    public DateTime CreatedAt { get; set; }
}

public class Item
{
    public Guid Id { get; set; }

    public Guid JobId { get; set; }

    /// <summary>The buyer's own id for the item; unique within a job so re-uploads never double it.</summary>
    public required string ExternalId { get; set; }

    public required string Payload { get; set; }

    public bool IsGold { get; set; }

    public string? GoldAnswer { get; set; }

    public string? ConsensusAnswer { get; set; }

    public double? Confidence { get; set; }

    public DateTime? FinalizedAt { get; set; }

    public DateTime CreatedAt { get; set; }
}
