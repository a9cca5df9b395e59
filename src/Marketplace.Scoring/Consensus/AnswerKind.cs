namespace Marketplace.Scoring.Consensus;

/// <summary>How the answers of a task type compare with each other and with gold.</summary>
public enum AnswerKind
{
    /// <summary>One class out of a fixed set (single choice, a pairwise preference): voted on with the contributors' accuracies.</summary>
    Choice,

    /// <summary>A set of classes (multi-label): equal when the sets are equal.</summary>
    LabelSet,

    /// <summary>Free text: equal after case-folding, Unicode normalisation and collapsing whitespace.</summary>
    Text,

    /// <summary>Labelled boxes: matched by overlap (IoU).</summary>
    Boxes,

    /// <summary>Labelled character spans: matched by overlap.</summary>
    Spans,
}
