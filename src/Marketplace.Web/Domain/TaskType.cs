using Marketplace.Scoring.Consensus;

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

/// <summary>How a categorical job's labels become answers (the Jobs feature's aggregation runs the method).</summary>
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

public static class TaskTypes
{
    /// <summary>One answer out of a fixed set of classes: voted on, and aggregated with the job's method.</summary>
    public static bool IsCategorical(this TaskType type) => type is TaskType.SingleChoice or TaskType.Pairwise;

    /// <summary>How the scoring engine compares this type's answers with each other and with gold.</summary>
    public static AnswerKind Answers(this TaskType type) => type switch
    {
        TaskType.SingleChoice or TaskType.Pairwise => AnswerKind.Choice,
        TaskType.MultiLabel => AnswerKind.LabelSet,
        TaskType.FreeText => AnswerKind.Text,
        TaskType.BoundingBox => AnswerKind.Boxes,
        TaskType.TextSpan => AnswerKind.Spans,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Not a task type."),
    };
}
