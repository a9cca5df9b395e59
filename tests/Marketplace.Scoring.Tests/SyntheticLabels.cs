namespace Marketplace.Scoring.Tests;

/// <summary>Seeded synthetic crowd: 10% uniform-random spammers, the rest one-coin with accuracy U(0.55, 0.95).</summary>
internal static class SyntheticLabels
{
    public static LabelSet Create(int items, int perItem, int workers, int classes, int seed) =>
        CreateWithTruth(items, perItem, workers, classes, seed).Labels;

    public static (LabelSet Labels, List<GoldAnswer> Truth) CreateWithTruth(int items, int perItem, int workers, int classes, int seed)
    {
        var random = new Random(seed);
        var accuracy = Enumerable.Range(0, workers).Select(w => w < workers / 10 ? 1.0 / classes : 0.55 + (0.4 * random.NextDouble())).ToArray();
        var triples = new List<AnswerTriple>();
        var truth = new List<GoldAnswer>();
        for (var i = 0; i < items; i++)
        {
            var t = random.Next(classes);
            truth.Add(new GoldAnswer($"i{i}", t.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            var chosen = new HashSet<int>();
            while (chosen.Count < perItem)
            {
                chosen.Add(random.Next(workers));
            }

            foreach (var w in chosen.Order())
            {
                var answer = random.NextDouble() < accuracy[w] ? t : random.Next(classes);
                triples.Add(new AnswerTriple($"i{i}", $"w{w}", answer.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
        }

        return (LabelSet.Create(triples), truth);
    }
}
