namespace Marketplace.Scoring.Aggregation;

/// <summary>One pairwise judgement: <paramref name="Winner"/> was preferred over <paramref name="Loser"/>.</summary>
public sealed record PairwiseComparison(string Winner, string Loser, string? Contributor = null);

/// <summary>One ranked option: its Bradley-Terry strength (geometric mean 1) and rank (1 = best).</summary>
public sealed record RankedOption(string Option, double Strength, int Rank, int Wins, int Comparisons);

/// <summary>Ranking from pairwise comparisons.</summary>
public static class BradleyTerry
{
    /// <summary>
    /// Bradley &amp; Terry (1952): P(i beats j) = s_i / (s_i + s_j), fitted with Hunter's (2004) MM update
    /// s_i ← W_i / Σ_j n_ij / (s_i + s_j). Every option also plays <paramref name="priorGames"/> virtual games
    /// (half won, half lost) against a virtual option of strength 1, which keeps undefeated and winless options
    /// finite and links disconnected groups. Ties in strength rank by option id (ordinal). Self-comparisons are ignored.
    /// </summary>
    public static IReadOnlyList<RankedOption> Rank(IEnumerable<PairwiseComparison> comparisons, double priorGames = 1, int maxIterations = 500, double tolerance = 1e-10)
    {
        ArgumentNullException.ThrowIfNull(comparisons);
        var list = comparisons.Where(c => c is not null && !string.IsNullOrEmpty(c.Winner) && !string.IsNullOrEmpty(c.Loser)
            && !string.Equals(c.Winner, c.Loser, StringComparison.Ordinal)).ToList();
        var options = list.SelectMany(c => new[] { c.Winner, c.Loser }).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var (wins, games, pairs) = Tally(list, options);
        priorGames = double.IsFinite(priorGames) && priorGames > 0 ? priorGames : 1;
        var strength = Fit(wins, pairs, priorGames, maxIterations, tolerance);
        var ranked = Enumerable.Range(0, options.Length)
            .OrderByDescending(i => strength[i])
            .ThenBy(i => options[i], StringComparer.Ordinal)
            .ToArray();
        return ranked.Select((i, r) => new RankedOption(options[i], strength[i], r + 1, (int)wins[i], games[i])).ToList();
    }

    /// <summary>Per option (by index into <paramref name="options"/>): wins and games played; per unordered pair: games between them.</summary>
    private static (double[] Wins, int[] Games, Dictionary<(int, int), int> Pairs) Tally(List<PairwiseComparison> comparisons, string[] options)
    {
        var index = options.Select((o, i) => (o, i)).ToDictionary(x => x.o, x => x.i, StringComparer.Ordinal);
        var n = options.Length;
        var wins = new double[n];
        var games = new int[n];
        var pairs = new Dictionary<(int, int), int>();
        foreach (var c in comparisons)
        {
            int w = index[c.Winner], l = index[c.Loser];
            wins[w]++;
            games[w]++;
            games[l]++;
            var key = w < l ? (w, l) : (l, w);
            pairs[key] = pairs.GetValueOrDefault(key) + 1;
        }

        return (wins, games, pairs);
    }

    /// <summary>Hunter's MM iterations from all strengths 1 until no strength moves by more than <paramref name="tolerance"/> in log.</summary>
    private static double[] Fit(double[] wins, Dictionary<(int, int), int> pairs, double priorGames, int maxIterations, double tolerance)
    {
        var n = wins.Length;
        var strength = new double[n];
        Array.Fill(strength, 1.0);
        var denominator = new double[n];
        for (var it = 0; it < maxIterations; it++)
        {
            for (var i = 0; i < n; i++)
            {
                denominator[i] = priorGames / (strength[i] + 1);
            }

            foreach (var ((a, b), count) in pairs)
            {
                var d = count / (strength[a] + strength[b]);
                denominator[a] += d;
                denominator[b] += d;
            }

            double change = 0, logSum = 0;
            for (var i = 0; i < n; i++)
            {
                var next = (wins[i] + (priorGames / 2)) / denominator[i];
                change = Math.Max(change, Math.Abs(Math.Log(next / strength[i])));
                strength[i] = next;
                logSum += Math.Log(next);
            }

            // Strengths are only defined up to scale: report them with geometric mean 1.
            var scale = n > 0 ? Math.Exp(-logSum / n) : 1;
            for (var i = 0; i < n; i++)
            {
                strength[i] *= scale;
            }

            if (change < tolerance)
            {
                break;
            }
        }

        return strength;
    }
}
