using Marketplace.Scoring.Consensus;

namespace Marketplace.Web.Domain;

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

    /// <summary>Changed only by <see cref="Apply"/> (or, where several nodes may race, by a conditional update of the same <see cref="JobTransition"/>).</summary>
    public JobStatus Status { get; private set; }

    public required string CreatedByUserId { get; set; }

    public DateTime CreatedAt { get; set; }

    public bool IsLaunched => Status is JobStatus.Active or JobStatus.Paused or JobStatus.Completed;

    /// <summary>Completed or cancelled: no more edits, items or labels.</summary>
    public bool IsClosed => Status is JobStatus.Completed or JobStatus.Cancelled;

    /// <summary>The answer classes of a categorical job (pairwise jobs always choose between A and B).</summary>
    public IReadOnlyList<string> Classes => TaskType == TaskType.Pairwise ? TaskTypeSchemas.PairwiseLabels : Labels;

    /// <summary>How this job decides its items (the scoring engine's rule): by its answers' kind, its classes, redundancy and target.</summary>
    public ConsensusRule ConsensusRule() => new(TaskType.Answers(), Classes, Redundancy, TargetConfidence, AggregationMethod == AggregationMethod.MajorityVote);

    /// <summary>Makes the move, or says why it may not be made: an illegal move is refused, never a silent no-op.</summary>
    public string? Apply(JobTransition transition)
    {
        if (!transition.StartsFrom(Status))
        {
            return transition.RefusalFrom(Status);
        }

        Status = transition.To;
        return null;
    }
}
