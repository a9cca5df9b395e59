namespace Marketplace.Scoring.Quality;

/// <summary>One gold answer a contributor gave.</summary>
/// <param name="Contributor">Contributor id.</param>
/// <param name="TaskType">Task type (e.g. "image-classification").</param>
/// <param name="Skill">Optional finer skill (e.g. "birds"); null groups under the task type only.</param>
/// <param name="Answer">What the contributor answered.</param>
/// <param name="GoldAnswer">The known correct answer.</param>
public sealed record GoldResult(string Contributor, string TaskType, string? Skill, string Answer, string GoldAnswer)
{
    /// <summary>True when the answer matches gold (ordinal comparison).</summary>
    public bool IsCorrect => string.Equals(Answer, GoldAnswer, StringComparison.Ordinal);
}

/// <summary>Accuracy of one contributor on one task type (and skill).</summary>
public sealed record AccuracyEstimate(string Contributor, string TaskType, string? Skill, BetaPosterior Posterior)
{
    /// <summary>Posterior mean accuracy.</summary>
    public double Mean => Posterior.Mean;

    /// <summary>95% credible lower bound (2.5% quantile).</summary>
    public double LowerBound => Posterior.LowerBound95;
}

/// <summary>A contributor's confusion on gold: counts[true][given] over the class order in <see cref="Classes"/>.</summary>
public sealed record GoldConfusion(string Contributor, IReadOnlyList<string> Classes, IReadOnlyList<int> Counts)
{
    /// <summary>Row-normalised confusion with a Dirichlet(<paramref name="smoothing"/>) prior per row; an empty row becomes uniform.</summary>
    public double[] Probabilities(double smoothing = 1)
    {
        var k = Classes.Count;
        var result = new double[k * k];
        smoothing = smoothing > 0 ? smoothing : 1;
        for (var t = 0; t < k; t++)
        {
            double row = 0;
            for (var g = 0; g < k; g++)
            {
                row += Counts[(t * k) + g] + smoothing;
            }

            for (var g = 0; g < k; g++)
            {
                result[(t * k) + g] = (Counts[(t * k) + g] + smoothing) / row;
            }
        }

        return result;
    }
}

/// <summary>Gold-standard accuracy: Beta posteriors and confusion matrices from gold answers.</summary>
public static class GoldAccuracy
{
    /// <summary>
    /// One posterior per (contributor, task type, skill), plus, when a result carries a skill, it also
    /// counts toward the (contributor, task type, null) row, so callers can fall back from skill to task type.
    /// Ordered by contributor, task type, skill (ordinal; null skill first).
    /// </summary>
    public static IReadOnlyList<AccuracyEstimate> Estimate(IEnumerable<GoldResult> results, BetaPrior prior)
    {
        ArgumentNullException.ThrowIfNull(results);
        var counts = new Dictionary<(string, string, string?), (int Correct, int Wrong)>();
        foreach (var r in results)
        {
            if (r is null)
            {
                continue;
            }

            Add((r.Contributor, r.TaskType, null), r.IsCorrect);
            if (r.Skill is not null)
            {
                Add((r.Contributor, r.TaskType, r.Skill), r.IsCorrect);
            }
        }

        return counts
            .Select(kv => new AccuracyEstimate(kv.Key.Item1, kv.Key.Item2, kv.Key.Item3, BetaPosterior.From(kv.Value.Correct, kv.Value.Wrong, prior)))
            .OrderBy(e => e.Contributor, StringComparer.Ordinal)
            .ThenBy(e => e.TaskType, StringComparer.Ordinal)
            .ThenBy(e => e.Skill ?? string.Empty, StringComparer.Ordinal)
            .ToList();

        void Add((string, string, string?) key, bool correct)
        {
            var c = counts.GetValueOrDefault(key);
            counts[key] = correct ? (c.Correct + 1, c.Wrong) : (c.Correct, c.Wrong + 1);
        }
    }

    /// <summary>
    /// Per-contributor confusion counts on gold for multi-class work. Answers outside <paramref name="classes"/>
    /// (either side) are skipped. A contributor with no usable gold gets an all-zero matrix.
    /// </summary>
    public static IReadOnlyList<GoldConfusion> Confusion(IEnumerable<GoldResult> results, IReadOnlyList<string> classes)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(classes);
        var k = classes.Count;
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var c = 0; c < k; c++)
        {
            index.TryAdd(classes[c], c);
        }

        var byContributor = new SortedDictionary<string, int[]>(StringComparer.Ordinal);
        foreach (var r in results)
        {
            if (r is null)
            {
                continue;
            }

            if (!byContributor.TryGetValue(r.Contributor, out var m))
            {
                byContributor[r.Contributor] = m = new int[k * k];
            }

            if (index.TryGetValue(r.GoldAnswer, out var t) && index.TryGetValue(r.Answer, out var g))
            {
                m[(t * k) + g]++;
            }
        }

        return byContributor.Select(kv => new GoldConfusion(kv.Key, classes, kv.Value)).ToList();
    }
}
