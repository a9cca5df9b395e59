namespace Marketplace.Scoring.Aggregation;

/// <summary>Row-major K×K confusion matrices (row = true class, column = given answer).</summary>
public static class ConfusionMatrices
{
    /// <summary>
    /// <paramref name="matrix"/>, learned over <paramref name="from"/>'s class order, rearranged into <paramref name="to"/>'s;
    /// null when the matrix is malformed or <paramref name="to"/> names a class it never saw (the label set changed since).
    /// </summary>
    public static double[]? Reorder(IReadOnlyList<string> from, IReadOnlyList<double> matrix, IReadOnlyList<string> to)
    {
        var n = from.Count;
        if (matrix.Count != n * n)
        {
            return null;
        }

        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < n; i++)
        {
            index.TryAdd(from[i], i);
        }

        var source = new int[to.Count];
        for (var i = 0; i < to.Count; i++)
        {
            if (!index.TryGetValue(to[i], out source[i]))
            {
                return null;
            }
        }

        var k = to.Count;
        var reordered = new double[k * k];
        for (var t = 0; t < k; t++)
        {
            for (var g = 0; g < k; g++)
            {
                reordered[(t * k) + g] = matrix[(source[t] * n) + source[g]];
            }
        }

        return reordered;
    }
}
