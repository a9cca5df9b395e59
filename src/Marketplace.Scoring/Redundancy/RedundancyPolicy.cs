using Marketplace.Scoring.Aggregation;

namespace Marketplace.Scoring.Redundancy;

/// <summary>One label on an open item, with what we believe about its contributor.</summary>
/// <param name="Contributor">Contributor id.</param>
/// <param name="Answer">The answer given.</param>
/// <param name="Accuracy">Contributor accuracy (e.g. gold posterior mean); used when <paramref name="Confusion"/> is null.</param>
/// <param name="Confusion">Optional K×K row-major confusion (row = true class, column = given), in the classes' order.</param>
public sealed record ItemVote(string Contributor, string Answer, double Accuracy, IReadOnlyList<double>? Confusion = null);

/// <summary>Job settings for adaptive redundancy.</summary>
/// <param name="TargetConfidence">Stop once the top answer's posterior reaches this.</param>
/// <param name="MinLabels">Never stop before this many labels.</param>
/// <param name="MaxLabels">Redundancy cap: stop at this many labels whatever the confidence.</param>
public sealed record RedundancyOptions(double TargetConfidence = 0.95, int MinLabels = 1, int MaxLabels = 10);

/// <summary>Whether an item needs more labels.</summary>
/// <param name="Finished">True when no more labels should be taken.</param>
/// <param name="Answer">Current top answer (on a tie, the one with more votes, then the lowest class ordinal); null when there are no classes.</param>
/// <param name="Confidence">Posterior of <paramref name="Answer"/>.</param>
/// <param name="Posterior">Posterior per class, in the classes' order.</param>
/// <param name="Reason">Plain-language reason, e.g. "confidence 0.97 reached target 0.95".</param>
public sealed record RedundancyDecision(bool Finished, string? Answer, double Confidence, IReadOnlyList<double> Posterior, string Reason);

/// <summary>The state of one open item, for ranking which item deserves the next label.</summary>
public sealed record OpenItem(string Item, double Confidence, int LabelCount);

/// <summary>
/// Adaptive redundancy: an item is finished when its posterior's top answer reaches the job's target
/// confidence, or its redundancy cap is reached.
/// </summary>
public static class RedundancyPolicy
{
    /// <summary>
    /// Bayes posterior over <paramref name="classes"/> given independent votes: prior × Π P(answer | true class),
    /// with P from the vote's confusion matrix, or one-coin (accuracy on the diagonal, the rest spread evenly).
    /// Accuracies are clamped to [0.01, 0.99]; votes with an unknown answer are ignored. Uniform prior when none is given.
    /// </summary>
    public static double[] Posterior(IReadOnlyList<string> classes, IEnumerable<ItemVote> votes, IReadOnlyList<double>? classPrior = null)
    {
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentNullException.ThrowIfNull(votes);
        var k = classes.Count;
        var log = new double[k];
        if (k == 0)
        {
            return log;
        }

        for (var c = 0; c < k; c++)
        {
            var p = classPrior is not null && classPrior.Count == k ? classPrior[c] : 1.0 / k;
            log[c] = Math.Log(Math.Clamp(p, 1e-9, 1));
        }

        foreach (var vote in votes)
        {
            var given = IndexOf(classes, vote.Answer);
            if (given < 0)
            {
                continue;
            }

            for (var t = 0; t < k; t++)
            {
                double p;
                if (vote.Confusion is not null && vote.Confusion.Count == k * k)
                {
                    p = vote.Confusion[(t * k) + given];
                }
                else
                {
                    var a = Math.Clamp(double.IsFinite(vote.Accuracy) ? vote.Accuracy : 0.5, 0.01, 0.99);
                    p = t == given ? a : k > 1 ? (1 - a) / (k - 1) : 1;
                }

                log[t] += Math.Log(Math.Clamp(double.IsFinite(p) ? p : 0, 1e-6, 1));
            }
        }

        var max = log.Max();
        double sum = 0;
        for (var c = 0; c < k; c++)
        {
            log[c] = Math.Exp(log[c] - max);
            sum += log[c];
        }

        for (var c = 0; c < k; c++)
        {
            log[c] /= sum;
        }

        return log;
    }

    /// <summary>Decides, after a submit, whether the item is finished. Call it with every label the item has so far.</summary>
    public static RedundancyDecision Decide(
        IReadOnlyList<string> classes,
        IReadOnlyList<ItemVote> votes,
        RedundancyOptions options,
        IReadOnlyList<double>? classPrior = null)
    {
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentNullException.ThrowIfNull(votes);
        ArgumentNullException.ThrowIfNull(options);
        var posterior = Posterior(classes, votes, classPrior);
        if (classes.Count == 0)
        {
            return new RedundancyDecision(true, null, 0, posterior, "the job has no answer classes");
        }

        var top = TopClass(classes, votes, posterior);
        var confidence = posterior[top];
        var answer = classes[top];
        var n = votes.Count;
        if (n >= options.MaxLabels)
        {
            return new RedundancyDecision(true, answer, confidence, posterior, $"redundancy cap of {options.MaxLabels} labels reached");
        }

        if (n < options.MinLabels)
        {
            return new RedundancyDecision(false, answer, confidence, posterior, $"needs at least {options.MinLabels} labels, has {n}");
        }

        return confidence >= options.TargetConfidence
            ? new RedundancyDecision(true, answer, confidence, posterior, $"confidence {confidence:0.000} reached target {options.TargetConfidence:0.000}")
            : new RedundancyDecision(false, answer, confidence, posterior, $"confidence {confidence:0.000} below target {options.TargetConfidence:0.000}");
    }

    /// <summary>
    /// Orders open items by how much they deserve the next label: least confident first (the label most
    /// likely to change the answer), then fewest labels, then item id (ordinal) so the order is total.
    /// </summary>
    public static IReadOnlyList<OpenItem> Prioritize(IEnumerable<OpenItem> open)
    {
        ArgumentNullException.ThrowIfNull(open);
        return open
            .OrderBy(o => double.IsFinite(o.Confidence) ? o.Confidence : 0)
            .ThenBy(o => o.LabelCount)
            .ThenBy(o => o.Item, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// The most probable class. On a tie (votes that carry no information, such as accuracy 0.5 on two classes,
    /// leave the posterior flat) the class with more votes wins, then the lowest ordinal.
    /// </summary>
    private static int TopClass(IReadOnlyList<string> classes, IReadOnlyList<ItemVote> votes, double[] posterior)
    {
        var top = ResultBuilder.ArgMax(posterior);
        var best = -1;
        var bestVotes = -1;
        for (var c = 0; c < posterior.Length; c++)
        {
            if (posterior[top] - posterior[c] > 1e-12)
            {
                continue;
            }

            var count = votes.Count(v => string.Equals(v.Answer, classes[c], StringComparison.Ordinal));
            if (count > bestVotes)
            {
                (best, bestVotes) = (c, count);
            }
        }

        return best;
    }

    private static int IndexOf(IReadOnlyList<string> classes, string answer)
    {
        for (var c = 0; c < classes.Count; c++)
        {
            if (string.Equals(classes[c], answer, StringComparison.Ordinal))
            {
                return c;
            }
        }

        return -1;
    }
}
