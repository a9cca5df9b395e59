namespace Marketplace.Scoring.Aggregation;

/// <summary>Plain and accuracy-weighted voting.</summary>
public static class MajorityVote
{
    /// <summary>
    /// One contributor, one vote. The posterior is each class's share of the votes. Tie rule: the
    /// tied class with the lowest ordinal in <see cref="LabelSet.Classes"/> wins, so the result never
    /// depends on label order. Contributor accuracy is agreement with the consensus.
    /// </summary>
    public static AggregationResult Aggregate(LabelSet labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var weights = new double[labels.Contributors.Count];
        Array.Fill(weights, 1.0);
        var posterior = Vote(labels, weights, softmax: false);
        return ResultBuilder.Build("MajorityVote", labels, posterior, null, Agreement(labels, posterior), 0, true);
    }

    /// <summary>
    /// Accuracy-weighted vote. Each vote weighs log((K-1)·a/(1-a)), the optimal weight for independent
    /// one-coin voters (Nitzan &amp; Paroush 1982), and the posterior is the softmax of the summed weights,
    /// i.e. the Bayes posterior under a uniform class prior. Accuracies come from <paramref name="accuracy"/>
    /// (e.g. gold posterior means); contributors missing there get their agreement with plain majority vote.
    /// Accuracies are clamped to [0.01, 0.99] so a perfect record does not become an infinite weight.
    /// </summary>
    public static AggregationResult AggregateWeighted(LabelSet labels, IReadOnlyDictionary<string, double>? accuracy = null)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var plain = new double[labels.Contributors.Count];
        Array.Fill(plain, 1.0);
        var agreement = Agreement(labels, Vote(labels, plain, softmax: false));
        var k = Math.Max(2, labels.Classes.Count);
        var accuracies = new double[agreement.Length];
        var weights = new double[agreement.Length];
        for (var w = 0; w < weights.Length; w++)
        {
            var a = accuracy is not null && accuracy.TryGetValue(labels.Contributors[w], out var known) && double.IsFinite(known)
                ? known
                : agreement[w];
            a = Math.Clamp(a, 0.01, 0.99);
            accuracies[w] = a;
            weights[w] = Math.Log((k - 1) * a / (1 - a));
        }

        var posterior = Vote(labels, weights, softmax: true);
        return ResultBuilder.Build("WeightedVote", labels, posterior, null, accuracies, 0, true);
    }

    private static double[] Vote(LabelSet labels, double[] weights, bool softmax)
    {
        var k = labels.Classes.Count;
        var posterior = new double[labels.Items.Count * k];
        for (var i = 0; i < labels.Items.Count; i++)
        {
            var row = posterior.AsSpan(i * k, k);
            for (var j = labels.ItemStart[i]; j < labels.ItemStart[i + 1]; j++)
            {
                row[labels.Answer[j]] += weights[labels.Worker[j]];
            }

            if (softmax)
            {
                var max = row[ResultBuilder.ArgMax(row)];
                for (var c = 0; c < k; c++)
                {
                    row[c] = Math.Exp(row[c] - max);
                }
            }

            double sum = 0;
            foreach (var v in row)
            {
                sum += v;
            }

            for (var c = 0; c < k; c++)
            {
                row[c] = sum > 0 ? row[c] / sum : 1.0 / k;
            }
        }

        return posterior;
    }

    /// <summary>Share of each contributor's labels that match the item's top answer (0.5 prior-like value when none).</summary>
    internal static double[] Agreement(LabelSet labels, double[] posterior)
    {
        var k = labels.Classes.Count;
        var hits = new double[labels.Contributors.Count];
        var totals = new double[hits.Length];
        for (var i = 0; i < labels.Items.Count; i++)
        {
            var top = ResultBuilder.ArgMax(posterior.AsSpan(i * k, k));
            for (var j = labels.ItemStart[i]; j < labels.ItemStart[i + 1]; j++)
            {
                totals[labels.Worker[j]]++;
                if (labels.Answer[j] == top)
                {
                    hits[labels.Worker[j]]++;
                }
            }
        }

        // Laplace smoothing so one lucky label is not a perfect record.
        for (var w = 0; w < hits.Length; w++)
        {
            hits[w] = (hits[w] + 1) / (totals[w] + 2);
        }

        return hits;
    }
}
