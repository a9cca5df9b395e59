using Marketplace.Web.Jobs;

namespace Marketplace.Web.Domain;

public enum TaskType
{
    SingleChoice,
    MultiLabel,
    BoundingBox,
    TextSpan,
    FreeText,
    Pairwise,
}

/// <summary>How a categorical job's labels become answers; see <see cref="JobAggregation"/>.</summary>
public enum AggregationMethod
{
    /// <summary>Gold-anchored Dawid-Skene once an item has two labels or more; a single label stands alone before that.</summary>
    Auto,
    MajorityVote,
    WeightedVote,
    DawidSkene,
    OneCoinDawidSkene,
    GoldAnchoredDawidSkene,
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

    public AggregationMethod AggregationMethod { get; set; }

    /// <summary>When the periodic re-aggregation last ran over the whole job, and what it did.</summary>
    public DateTime? AggregatedAt { get; set; }

    public string? AggregationSummary { get; set; }

    public string? MinimumTier { get; set; }

    public List<string> RequiredSkills { get; set; } = [];

    public List<string> Languages { get; set; } = [];

    public DateTime? Deadline { get; set; }

    public long BudgetMinor { get; set; }

    public JobStatus Status { get; set; }

    public required string CreatedByUserId { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>Launch, pause, resume, complete, cancel; funding is the money issue's (or an admin's in Development).</summary>
    public static readonly IReadOnlyDictionary<JobStatus, JobStatus[]> Transitions = new Dictionary<JobStatus, JobStatus[]>
    {
        [JobStatus.Draft] = [JobStatus.Funded, JobStatus.Cancelled],
        [JobStatus.Funded] = [JobStatus.Active, JobStatus.Cancelled],
        [JobStatus.Active] = [JobStatus.Paused, JobStatus.Completed, JobStatus.Cancelled],
        [JobStatus.Paused] = [JobStatus.Active, JobStatus.Completed, JobStatus.Cancelled],
        [JobStatus.Completed] = [],
        [JobStatus.Cancelled] = [],
    };

    public bool IsLaunched => Status is JobStatus.Active or JobStatus.Paused or JobStatus.Completed;

    /// <summary>Completed or cancelled: no more edits, items or labels.</summary>
    public bool IsClosed => Status is JobStatus.Completed or JobStatus.Cancelled;

    /// <summary>Moves the job on, or says why it may not: an illegal move is an error, never a silent no-op.</summary>
    public string? TransitionTo(JobStatus next)
    {
        if (!Transitions[Status].Contains(next))
        {
            return $"A {Status} job cannot become {next}; from {Status} it can become {(Transitions[Status].Length == 0 ? "nothing: it is closed" : string.Join(" or ", Transitions[Status]))}.";
        }

        Status = next;
        return null;
    }
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

    /// <summary>For gold boxes and spans: the overlap (IoU or span overlap) an answer needs to count as correct.</summary>
    public double? GoldTolerance { get; set; }

    /// <summary>Labels leased or submitted: the slots taken. Never more than the job's redundancy.</summary>
    public int LabelsHeld { get; set; }

    /// <summary>Labels submitted.</summary>
    public int LabelsSubmitted { get; set; }

    public string? ConsensusAnswer { get; set; }

    public double? Confidence { get; set; }

    public DateTime? FinalizedAt { get; set; }

    public DateTime CreatedAt { get; set; }
}
