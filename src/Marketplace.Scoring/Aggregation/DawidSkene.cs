namespace Marketplace.Scoring.Aggregation;

/// <summary>Settings for <see cref="DawidSkene"/>.</summary>
/// <param name="MaxIterations">Iteration cap.</param>
/// <param name="Tolerance">Stop when the log-likelihood changes by less than this fraction of itself.</param>
/// <param name="Smoothing">Dirichlet pseudo-count added to every confusion cell and class-prior cell.</param>
/// <param name="DegreeOfParallelism">Threads for the E-step; results are identical for a given value.</param>
public sealed record DawidSkeneOptions(
    int MaxIterations = 100,
    double Tolerance = 1e-7,
    double Smoothing = 0.01,
    int DegreeOfParallelism = 1)
{
    /// <summary>Defaults: 100 iterations, tolerance 1e-7, smoothing 0.01, single-threaded.</summary>
    public static DawidSkeneOptions Default { get; } = new();
}

/// <summary>
/// Dawid-Skene EM (Dawid &amp; Skene 1979, "Maximum likelihood estimation of observer error-rates
/// using the EM algorithm"): each contributor has a full K×K confusion matrix, initialised from soft
/// majority vote, and EM alternates item posteriors and smoothed confusion estimates.
/// </summary>
public static class DawidSkene
{
    /// <summary>Full-confusion Dawid-Skene.</summary>
    public static AggregationResult Aggregate(LabelSet labels, DawidSkeneOptions? options = null) =>
        Run("DawidSkene", labels, options, oneCoin: false, gold: null);

    /// <summary>One-coin Dawid-Skene: one accuracy per contributor, errors uniform over the other answers (ZenCrowd, Demartini et al. 2012).</summary>
    public static AggregationResult AggregateOneCoin(LabelSet labels, DawidSkeneOptions? options = null) =>
        Run("OneCoinDawidSkene", labels, options, oneCoin: true, gold: null);

    /// <summary>
    /// Gold-anchored Dawid-Skene: items with a known answer keep a one-hot posterior throughout EM, so
    /// they pin down the confusion matrices. Gold for unknown items or unknown classes is ignored.
    /// Score it only on items that were not clamped.
    /// </summary>
    public static AggregationResult AggregateGoldAnchored(LabelSet labels, IEnumerable<GoldAnswer> gold, DawidSkeneOptions? options = null) =>
        Run("GoldAnchoredDawidSkene", labels, options, oneCoin: false, gold ?? []);

    private static AggregationResult Run(string method, LabelSet labels, DawidSkeneOptions? options, bool oneCoin, IEnumerable<GoldAnswer>? gold)
    {
        ArgumentNullException.ThrowIfNull(labels);
        options ??= DawidSkeneOptions.Default;
        var k = labels.Classes.Count;
        if (labels.Items.Count == 0 || k == 0)
        {
            return ResultBuilder.Build(method, labels, [], null, new double[labels.Contributors.Count], 0, true);
        }

        int[]? clamped = null;
        if (gold is not null)
        {
            clamped = new int[labels.Items.Count];
            Array.Fill(clamped, -1);
            foreach (var g in gold)
            {
                var item = labels.IndexOfItem(g.Item);
                var cls = labels.IndexOfClass(g.Answer);
                if (item >= 0 && cls >= 0)
                {
                    clamped[item] = cls;
                }
            }
        }

        var problem = new EmProblem(labels.Items.Count, labels.Contributors.Count, k, labels.ItemStart, labels.Worker, labels.Answer, clamped);
        var settings = new EmSettings(
            Math.Max(1, options.MaxIterations),
            Math.Max(0, options.Tolerance),
            options.Smoothing > 0 && double.IsFinite(options.Smoothing) ? options.Smoothing : 0.01,
            oneCoin,
            Math.Max(1, options.DegreeOfParallelism));
        var em = EmEngine.Run(problem, settings);
        var accuracy = new double[labels.Contributors.Count];
        for (var w = 0; w < accuracy.Length; w++)
        {
            double a = 0;
            for (var t = 0; t < k; t++)
            {
                a += em.ClassPrior[t] * em.Confusion[(w * k * k) + (t * k) + t];
            }

            accuracy[w] = a;
        }

        return ResultBuilder.Build(method, labels, em.Posterior, em.Confusion, accuracy, em.Iterations, em.Converged);
    }
}
