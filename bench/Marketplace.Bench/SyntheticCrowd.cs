using Marketplace.Scoring.Aggregation;

namespace Marketplace.Bench;

/// <summary>
/// The benchmark crowd: 100,000 items × 10 distinct contributors out of 2,000, 4 classes; 10% of
/// contributors answer uniformly at random, the rest are right with probability U(0.55, 0.95) and
/// otherwise pick a wrong class uniformly. Built straight into the engine's flat arrays.
/// </summary>
internal static class SyntheticCrowd
{
    public static EmProblem Create(int items = 100_000, int perItem = 10, int workers = 2_000, int classes = 4, int seed = 1979)
    {
        var random = new Random(seed);
        var accuracy = new double[workers];
        for (var w = 0; w < workers; w++)
        {
            accuracy[w] = w % 10 == 0 ? -1 : 0.55 + (0.40 * random.NextDouble());
        }

        var itemStart = new int[items + 1];
        var worker = new int[items * perItem];
        var answer = new int[items * perItem];
        Span<int> chosen = stackalloc int[perItem];
        for (var i = 0; i < items; i++)
        {
            itemStart[i] = i * perItem;
            var truth = random.Next(classes);
            for (var j = 0; j < perItem; j++)
            {
                int w;
                do
                {
                    w = random.Next(workers);
                }
                while (chosen[..j].Contains(w));

                chosen[j] = w;
                var slot = (i * perItem) + j;
                worker[slot] = w;
                answer[slot] = accuracy[w] < 0
                    ? random.Next(classes)
                    : random.NextDouble() < accuracy[w] ? truth : (truth + 1 + random.Next(classes - 1)) % classes;
            }
        }

        itemStart[items] = items * perItem;
        return new EmProblem(items, workers, classes, itemStart, worker, answer);
    }
}
