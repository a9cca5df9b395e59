using System.Globalization;
using System.Text;
using System.Text.Json;
using Marketplace.Scoring.Aggregation;
using Marketplace.Scoring.Redundancy;
using Marketplace.Web.Domain;

namespace Marketplace.Web.Jobs;

/// <summary>
/// One submitted label of an item, with its author's gold accuracy for the task type and, once the job's
/// re-aggregation has learned it, their confusion matrix on this job (in the job's class order).
/// </summary>
public sealed record SubmittedLabel(string Contributor, string Answer, double Accuracy, IReadOnlyList<double>? Confusion = null);

/// <summary>Whether an item is finished, and its consensus so far.</summary>
public sealed record ItemDecision(bool Finished, string? Answer, double Confidence, string Reason);

/// <summary>
/// How answers of each task type are compared: against gold (is it correct?) and with each other (what is
/// the consensus, and is the item done?). Categorical answers use the scoring engine's posterior; boxes and
/// spans use its matching consensus; multi-label and free text use a plurality of normalised answers.
/// </summary>
public static class Answers
{
    /// <summary>Overlap a box (IoU) or span must reach to match, unless a gold item says otherwise.</summary>
    public const double DefaultTolerance = 0.5;

    public static bool MatchesGold(TaskType type, string answerJson, string goldJson, double? tolerance)
    {
        using var answer = JsonDocument.Parse(answerJson);
        using var gold = JsonDocument.Parse(goldJson);
        var threshold = tolerance ?? DefaultTolerance;
        return type switch
        {
            TaskType.SingleChoice or TaskType.Pairwise or TaskType.MultiLabel or TaskType.FreeText => Key(type, answer.RootElement) == Key(type, gold.RootElement),
            TaskType.BoundingBox => RegionsMatch(Boxes("a", answer.RootElement), Boxes("g", gold.RootElement), (a, g) => a.Label == g.Label && SpatialConsensus.Iou(a, g) >= threshold),
            TaskType.TextSpan => RegionsMatch(Spans("a", answer.RootElement), Spans("g", gold.RootElement), (a, g) => a.Label == g.Label && SpatialConsensus.SpanOverlap(a, g) >= threshold),
            _ => throw new ArgumentOutOfRangeException(nameof(type)),
        };
    }

    /// <summary>
    /// Decides an item after a submit, from all its labels. Categorical jobs stop early once the weighted
    /// posterior reaches the job's target confidence; every job stops at its redundancy.
    /// </summary>
    public static ItemDecision Decide(Job job, IReadOnlyList<SubmittedLabel> labels)
    {
        var cap = job.Redundancy;
        if (labels.Count == 0)
        {
            return new ItemDecision(false, null, 0, "no labels yet");
        }

        switch (job.TaskType)
        {
            case TaskType.SingleChoice:
            case TaskType.Pairwise:
                var classes = JobAggregation.Classes(job);
                if (job.AggregationMethod == AggregationMethod.MajorityVote)
                {
                    return Plurality(job, labels, cap);
                }

                var votes = labels.Select(l => new ItemVote(l.Contributor, JsonSerializer.Deserialize<string>(l.Answer)!, l.Accuracy, l.Confusion)).ToList();
                var options = new RedundancyOptions(job.TargetConfidence ?? 2.0, MinLabels: Math.Min(2, cap), MaxLabels: cap);
                var decision = RedundancyPolicy.Decide(classes, votes, options);
                return new ItemDecision(decision.Finished, decision.Answer is null ? null : JsonSerializer.Serialize(decision.Answer), decision.Confidence, decision.Reason);

            case TaskType.MultiLabel:
            case TaskType.FreeText:
                return Plurality(job, labels, cap);

            case TaskType.BoundingBox:
                var boxes = labels.SelectMany(l => Boxes(l.Contributor, l.Answer)).ToList();
                var consensusBoxes = SpatialConsensus.Boxes(boxes, DefaultTolerance, minSupport: (labels.Count / 2) + 1);
                var boxJson = JsonSerializer.Serialize(consensusBoxes.Select(b => new { label = b.Label, x = b.X1, y = b.Y1, w = b.X2 - b.X1, h = b.Y2 - b.Y1 }));
                return new ItemDecision(labels.Count >= cap, boxJson, Support(consensusBoxes.Select(b => b.Support), labels.Count), $"{consensusBoxes.Count} boxes agreed by a majority of {labels.Count} labels");

            case TaskType.TextSpan:
                var spans = labels.SelectMany(l => Spans(l.Contributor, l.Answer)).ToList();
                var consensusSpans = SpatialConsensus.Spans(spans, DefaultTolerance, minSupport: (labels.Count / 2) + 1);
                var spanJson = JsonSerializer.Serialize(consensusSpans.Select(s => new { label = s.Label, start = s.Start, end = s.End }));
                return new ItemDecision(labels.Count >= cap, spanJson, Support(consensusSpans.Select(s => s.Support), labels.Count), $"{consensusSpans.Count} spans agreed by a majority of {labels.Count} labels");

            default:
                throw new ArgumentOutOfRangeException(nameof(job));
        }
    }

    /// <summary>
    /// The most common (normalised) answer, first given on a tie; its share of the labels is the confidence.
    /// Finished at the redundancy cap, or early when that share reaches the job's target over two labels or more.
    /// </summary>
    private static ItemDecision Plurality(Job job, IReadOnlyList<SubmittedLabel> labels, int cap)
    {
        var groups = labels.GroupBy(l => Key(job.TaskType, l.Answer)).OrderByDescending(g => g.Count()).ThenBy(g => labels.ToList().IndexOf(g.First())).ToList();
        var top = groups[0];
        var share = (double)top.Count() / labels.Count;
        var early = job.TargetConfidence is { } target && labels.Count >= JobAggregation.MinLabelsToFinalize && share >= target;
        return new ItemDecision(labels.Count >= cap || early, top.First().Answer, share, $"{top.Count()} of {labels.Count} labels agree");
    }

    private static double Support(IEnumerable<int> support, int labels)
    {
        var list = support.ToList();
        return list.Count == 0 ? 1.0 : list.Average(s => (double)s / labels);
    }

    private static string Key(TaskType type, string json)
    {
        using var document = JsonDocument.Parse(json);
        return Key(type, document.RootElement);
    }

    /// <summary>A canonical form: label sets sorted, free text case-folded with whitespace collapsed.</summary>
    private static string Key(TaskType type, JsonElement answer) => type switch
    {
        TaskType.MultiLabel when answer.ValueKind == JsonValueKind.Array =>
            string.Join('\u001f', answer.EnumerateArray().Select(e => e.GetString()).Order(StringComparer.Ordinal)),
        TaskType.FreeText when answer.ValueKind == JsonValueKind.String => NormaliseText(answer.GetString()!),
        _ => answer.ValueKind == JsonValueKind.String ? answer.GetString()! : answer.GetRawText(),
    };

    /// <summary>A stored answer as text: a JSON string ("cat") as its value, anything else as compact JSON.</summary>
    public static string Text(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.ValueKind == JsonValueKind.String ? document.RootElement.GetString()! : document.RootElement.GetRawText();
    }

    public static string NormaliseText(string text)
    {
        var builder = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text.Normalize(NormalizationForm.FormKC).Trim())
        {
            if (char.IsWhiteSpace(c))
            {
                space = true;
                continue;
            }

            if (space && builder.Length > 0)
            {
                builder.Append(' ');
            }

            space = false;
            builder.Append(char.ToLower(c, CultureInfo.InvariantCulture));
        }

        return builder.ToString().TrimEnd('.', '!', '?');
    }

    private static List<BoxAnnotation> Boxes(string contributor, string json)
    {
        using var document = JsonDocument.Parse(json);
        return Boxes(contributor, document.RootElement);
    }

    private static List<BoxAnnotation> Boxes(string contributor, JsonElement regions) =>
        regions.EnumerateArray().Select(r =>
        {
            var x = r.GetProperty("x").GetDouble();
            var y = r.GetProperty("y").GetDouble();
            return new BoxAnnotation("item", contributor, r.GetProperty("label").GetString()!, x, y, x + r.GetProperty("w").GetDouble(), y + r.GetProperty("h").GetDouble());
        }).ToList();

    private static List<SpanAnnotation> Spans(string contributor, string json)
    {
        using var document = JsonDocument.Parse(json);
        return Spans(contributor, document.RootElement);
    }

    private static List<SpanAnnotation> Spans(string contributor, JsonElement regions) =>
        regions.EnumerateArray().Select(r => new SpanAnnotation("item", contributor, r.GetProperty("label").GetString()!, r.GetProperty("start").GetInt32(), r.GetProperty("end").GetInt32())).ToList();

    /// <summary>Every gold region is matched by a distinct answer region and nothing extra was drawn.</summary>
    private static bool RegionsMatch<T>(List<T> answer, List<T> gold, Func<T, T, bool> matches)
    {
        if (answer.Count != gold.Count)
        {
            return false;
        }

        var used = new bool[answer.Count];
        foreach (var g in gold)
        {
            var found = false;
            for (var i = 0; i < answer.Count && !found; i++)
            {
                if (!used[i] && matches(answer[i], g))
                {
                    used[i] = found = true;
                }
            }

            if (!found)
            {
                return false;
            }
        }

        return true;
    }
}
