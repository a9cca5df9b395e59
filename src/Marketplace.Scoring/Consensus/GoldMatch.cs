using System.Text.Json;
using Marketplace.Scoring.Aggregation;

namespace Marketplace.Scoring.Consensus;

/// <summary>Whether an answer matches a gold item's known answer.</summary>
public static class GoldMatch
{
    /// <summary>Overlap a box (IoU) or span must reach to match, unless a gold item says otherwise.</summary>
    public const double DefaultTolerance = 0.5;

    /// <summary>
    /// Categorical, multi-label and text answers match when their canonical forms are equal (<see cref="AnswerJson.Key(AnswerKind, string)"/>).
    /// Boxes and spans match when every gold region is matched by a distinct answer region with its label and at least
    /// <paramref name="tolerance"/> overlap, and nothing extra was drawn.
    /// </summary>
    public static bool Matches(AnswerKind kind, string answerJson, string goldJson, double? tolerance)
    {
        using var answer = JsonDocument.Parse(answerJson);
        using var gold = JsonDocument.Parse(goldJson);
        var threshold = tolerance ?? DefaultTolerance;
        return kind switch
        {
            AnswerKind.Choice or AnswerKind.LabelSet or AnswerKind.Text => AnswerJson.Key(kind, answer.RootElement) == AnswerJson.Key(kind, gold.RootElement),
            AnswerKind.Boxes => RegionsMatch(AnswerJson.Boxes("a", answer.RootElement), AnswerJson.Boxes("g", gold.RootElement), (a, g) => a.Label == g.Label && SpatialConsensus.Iou(a, g) >= threshold),
            AnswerKind.Spans => RegionsMatch(AnswerJson.Spans("a", answer.RootElement), AnswerJson.Spans("g", gold.RootElement), (a, g) => a.Label == g.Label && SpatialConsensus.SpanOverlap(a, g) >= threshold),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

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
