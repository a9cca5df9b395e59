namespace Marketplace.Scoring.Aggregation;

/// <summary>Dense problem for the EM engine: labels sorted by item (CSR offsets), worker and answer ids.</summary>
internal sealed class EmProblem
{
    public EmProblem(int items, int workers, int classes, int[] itemStart, int[] worker, int[] answer, int[]? clamped = null)
    {
        Items = items;
        Workers = workers;
        Classes = classes;
        ItemStart = itemStart;
        Worker = worker;
        Answer = answer;
        Clamped = clamped;
        Row = new int[worker.Length];
        for (var j = 0; j < worker.Length; j++)
        {
            Row[j] = ((worker[j] * classes) + answer[j]) * classes;
        }
    }

    public int Items { get; }

    public int Workers { get; }

    public int Classes { get; }

    public int[] ItemStart { get; }

    public int[] Worker { get; }

    public int[] Answer { get; }

    /// <summary>Per item: the known class, or -1. Clamped items keep a one-hot posterior (gold-anchored EM).</summary>
    public int[]? Clamped { get; }

    /// <summary>Per label: offset of the K log-probabilities P(given answer | true class = 0..K-1) of its worker.</summary>
    public int[] Row { get; }
}

internal sealed record EmSettings(int MaxIterations, double Tolerance, double Smoothing, bool OneCoin, int DegreeOfParallelism, bool Vectorise = true);

internal sealed record EmResult(double[] Posterior, double[] Confusion, double[] ClassPrior, int Iterations, bool Converged, double LogLikelihood);
