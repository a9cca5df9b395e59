using Marketplace.Scoring.Aggregation;
using Marketplace.Scoring.Redundancy;

namespace Marketplace.Scoring.Consensus;

/// <summary>
/// One submitted label of an item, with its author's gold accuracy for the task type and, once a job's
/// re-aggregation has learned it, their confusion matrix (row = true class, in the rule's class order).
/// </summary>
public sealed record SubmittedLabel(string Contributor, string Answer, double Accuracy, IReadOnlyList<double>? Confusion = null);

/// <summary>Whether an item is finished, and its consensus so far.</summary>
public sealed record ItemDecision(bool Finished, string? Answer, double Confidence, string Reason);

/// <summary>
/// How a job decides its items: the kind of answer, its classes (for choices), the redundancy cap, the confidence at
/// which an item may stop early (null: never early), and whether choices are counted by plain plurality (majority vote)
/// rather than weighed by the contributors' accuracies.
/// </summary>
public sealed record ConsensusRule(AnswerKind Kind, IReadOnlyList<string> Classes, int Redundancy, double? TargetConfidence, bool Plurality = false);

/// <summary>
/// Decides an item after each submit, from all its labels: its consensus answer, the confidence in it, and whether it
/// needs more labels. Choices use <see cref="RedundancyPolicy"/>'s posterior (accuracy- or confusion-weighted votes);
/// boxes and spans <see cref="SpatialConsensus"/> by majority support; label sets and text a plurality of canonical answers.
/// </summary>
public static class ItemDecisions
{
    /// <summary>Fewest labels for an item to be finalized by confidence: one label is never consensus.</summary>
    public const int MinLabelsToFinalize = 2;

    /// <summary>
    /// The decision over <paramref name="labels"/> (oldest first). Choices stop early once the posterior reaches the
    /// rule's target; plurality answers once the top answer's share does over two labels or more; every item stops at
    /// its redundancy.
    /// </summary>
    public static ItemDecision Decide(ConsensusRule rule, IReadOnlyList<SubmittedLabel> labels)
    {
        var cap = rule.Redundancy;
        if (labels.Count == 0)
        {
            return new ItemDecision(false, null, 0, "no labels yet");
        }

        switch (rule.Kind)
        {
            case AnswerKind.Choice when !rule.Plurality:
                var votes = labels.Select(l => new ItemVote(l.Contributor, AnswerJson.Text(l.Answer), l.Accuracy, l.Confusion)).ToList();
                var options = new RedundancyOptions(rule.TargetConfidence ?? 2.0, MinLabels: Math.Min(MinLabelsToFinalize, cap), MaxLabels: cap);
                var decision = RedundancyPolicy.Decide(rule.Classes, votes, options);
                return new ItemDecision(decision.Finished, decision.Answer is null ? null : AnswerJson.Write(w => w.WriteStringValue(decision.Answer)), decision.Confidence, decision.Reason);

            case AnswerKind.Choice:
            case AnswerKind.LabelSet:
            case AnswerKind.Text:
                return Plurality(rule, labels);

            case AnswerKind.Boxes:
                var boxes = labels.SelectMany(l => AnswerJson.Boxes(l.Contributor, l.Answer)).ToList();
                var consensusBoxes = SpatialConsensus.Boxes(boxes, GoldMatch.DefaultTolerance, minSupport: (labels.Count / 2) + 1);
                var boxJson = AnswerJson.Write(w => AnswerJson.WriteBoxes(w, consensusBoxes));
                return new ItemDecision(labels.Count >= cap, boxJson, Support(consensusBoxes.Select(b => b.Support), labels.Count), $"{consensusBoxes.Count} boxes agreed by a majority of {labels.Count} labels");

            case AnswerKind.Spans:
                var spans = labels.SelectMany(l => AnswerJson.Spans(l.Contributor, l.Answer)).ToList();
                var consensusSpans = SpatialConsensus.Spans(spans, GoldMatch.DefaultTolerance, minSupport: (labels.Count / 2) + 1);
                var spanJson = AnswerJson.Write(w => AnswerJson.WriteSpans(w, consensusSpans));
                return new ItemDecision(labels.Count >= cap, spanJson, Support(consensusSpans.Select(s => s.Support), labels.Count), $"{consensusSpans.Count} spans agreed by a majority of {labels.Count} labels");

            default:
                throw new ArgumentOutOfRangeException(nameof(rule));
        }
    }

    /// <summary>
    /// The most common canonical answer, first given on a tie; its share of the labels is the confidence. Finished at
    /// the redundancy cap, or early when that share reaches the target over two labels or more.
    /// </summary>
    private static ItemDecision Plurality(ConsensusRule rule, IReadOnlyList<SubmittedLabel> labels)
    {
        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        var groups = new Dictionary<string, List<SubmittedLabel>>(StringComparer.Ordinal);
        for (var i = 0; i < labels.Count; i++)
        {
            var key = AnswerJson.Key(rule.Kind, labels[i].Answer);
            if (!groups.TryGetValue(key, out var group))
            {
                groups[key] = group = [];
                first[key] = i;
            }

            group.Add(labels[i]);
        }

        var top = groups.OrderByDescending(g => g.Value.Count).ThenBy(g => first[g.Key]).First().Value;
        var share = (double)top.Count / labels.Count;
        var early = rule.TargetConfidence is { } target && labels.Count >= MinLabelsToFinalize && share >= target;
        return new ItemDecision(labels.Count >= rule.Redundancy || early, top[0].Answer, share, $"{top.Count} of {labels.Count} labels agree");
    }

    private static double Support(IEnumerable<int> support, int labels)
    {
        var list = support.ToList();
        return list.Count == 0 ? 1.0 : list.Average(s => (double)s / labels);
    }
}
