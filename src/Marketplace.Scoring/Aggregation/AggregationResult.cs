namespace Marketplace.Scoring.Aggregation;

/// <summary>The consensus for one item.</summary>
/// <param name="Item">Item id.</param>
/// <param name="Answer">The top answer; ties go to the lowest class ordinal.</param>
/// <param name="Confidence">Posterior probability of <paramref name="Answer"/>.</param>
/// <param name="Posterior">Probability of each class, in <see cref="AggregationResult.Classes"/> order; sums to 1.</param>
/// <param name="LabelCount">Labels the item received.</param>
public sealed record ItemConsensus(string Item, string Answer, double Confidence, IReadOnlyList<double> Posterior, int LabelCount);

/// <summary>What a method learned about one contributor.</summary>
/// <param name="Contributor">Contributor id.</param>
/// <param name="Accuracy">Estimated probability that the contributor's answer is correct (class-prior weighted).</param>
/// <param name="Confusion">Row-major K×K matrix, row = true class, column = given answer, rows sum to 1; null for methods without one.</param>
/// <param name="LabelCount">Labels the contributor gave.</param>
public sealed record ContributorEstimate(string Contributor, double Accuracy, IReadOnlyList<double>? Confusion, int LabelCount);

/// <summary>Output of an aggregation method.</summary>
/// <param name="Method">Method name, e.g. "DawidSkene".</param>
/// <param name="Classes">Class order used by every posterior and confusion matrix.</param>
/// <param name="Items">One entry per labelled item, in <see cref="LabelSet.Items"/> order.</param>
/// <param name="Contributors">One entry per contributor, in <see cref="LabelSet.Contributors"/> order.</param>
/// <param name="Iterations">EM iterations run (0 for one-shot methods).</param>
/// <param name="Converged">True when the convergence tolerance was met before the iteration cap (always true for one-shot methods).</param>
public sealed record AggregationResult(
    string Method,
    IReadOnlyList<string> Classes,
    IReadOnlyList<ItemConsensus> Items,
    IReadOnlyList<ContributorEstimate> Contributors,
    int Iterations,
    bool Converged)
{
    /// <summary>Top answer per item id.</summary>
    public IReadOnlyDictionary<string, string> AnswersByItem() =>
        Items.ToDictionary(i => i.Item, i => i.Answer, StringComparer.Ordinal);

    /// <summary>Share of <paramref name="gold"/> items (that were labelled) whose top answer matches; 0 when none overlap.</summary>
    public double AccuracyAgainst(IEnumerable<GoldAnswer> gold)
    {
        var answers = AnswersByItem();
        int scored = 0, correct = 0;
        foreach (var g in gold)
        {
            if (answers.TryGetValue(g.Item, out var a))
            {
                scored++;
                if (string.Equals(a, g.Answer, StringComparison.Ordinal))
                {
                    correct++;
                }
            }
        }

        return scored == 0 ? 0 : (double)correct / scored;
    }
}

internal static class ResultBuilder
{
    /// <summary>Turns flat posteriors (items×K) and optional confusions (workers×K×K, [true][given]) into records.</summary>
    internal static AggregationResult Build(
        string method,
        LabelSet labels,
        double[] posterior,
        double[]? confusion,
        double[] workerAccuracy,
        int iterations,
        bool converged)
    {
        var k = labels.Classes.Count;
        var items = new ItemConsensus[labels.Items.Count];
        for (var i = 0; i < items.Length; i++)
        {
            var row = new double[k];
            Array.Copy(posterior, i * k, row, 0, k);
            var top = ArgMax(row);
            items[i] = new ItemConsensus(
                labels.Items[i],
                labels.Classes[top],
                row[top],
                row,
                labels.ItemStart[i + 1] - labels.ItemStart[i]);
        }

        var counts = new int[labels.Contributors.Count];
        foreach (var w in labels.Worker)
        {
            counts[w]++;
        }

        var contributors = new ContributorEstimate[counts.Length];
        for (var w = 0; w < counts.Length; w++)
        {
            double[]? matrix = null;
            if (confusion is not null)
            {
                matrix = new double[k * k];
                Array.Copy(confusion, w * k * k, matrix, 0, k * k);
            }

            contributors[w] = new ContributorEstimate(labels.Contributors[w], workerAccuracy[w], matrix, counts[w]);
        }

        return new AggregationResult(method, labels.Classes, items, contributors, iterations, converged);
    }

    /// <summary>Index of the largest value; the first one wins a tie, which is the lowest class ordinal.</summary>
    internal static int ArgMax(ReadOnlySpan<double> values)
    {
        var best = 0;
        for (var c = 1; c < values.Length; c++)
        {
            if (values[c] > values[best])
            {
                best = c;
            }
        }

        return best;
    }
}
