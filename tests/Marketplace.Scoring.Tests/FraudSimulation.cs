using System.Globalization;
using Marketplace.Scoring.Aggregation;
using Marketplace.Scoring.Fraud;

namespace Marketplace.Scoring.Tests;

/// <summary>
/// Seeded crowd: 2,000 four-class items (10% gold), 200 honest contributors with accuracy U(0.6, 0.95), each
/// labelling 50 random items; injected are 20 uniform-random labellers and two colluding groups of 5 whose
/// members copy one leader (who is right 30% of the time) on the same 50 items, sharing a device.
/// Every contributor is judged on exactly their first 50 tasks with the one-coin spammer score (accuracy from
/// unsupervised Dawid-Skene) and the collusion check.
/// </summary>
internal static class FraudSimulation
{
    public sealed record Outcome(double InjectedFlaggedRate, double HonestFlaggedRate, int Injected, int Honest);

    public static Outcome Run(int seed)
    {
        const int items = 2000, k = 4, tasks = 50, honest = 200, random = 20, groups = 2, groupSize = 5;
        var rng = new Random(seed);
        var truth = Enumerable.Range(0, items).Select(_ => rng.Next(k)).ToArray();
        var triples = new List<AnswerTriple>();
        var profiles = new List<ContributorProfile>();
        var injected = new HashSet<string>(StringComparer.Ordinal);

        string Label(int c) => c.ToString(CultureInfo.InvariantCulture);
        int[] Pick() => Enumerable.Range(0, items).OrderBy(_ => rng.Next()).Take(tasks).ToArray();
        int Answer(double accuracy, int t) => rng.NextDouble() < accuracy ? t : (t + 1 + rng.Next(k - 1)) % k;

        for (var h = 0; h < honest; h++)
        {
            var accuracy = 0.6 + (0.35 * rng.NextDouble());
            foreach (var i in Pick())
            {
                triples.Add(new($"i{i}", $"h{h}", Label(Answer(accuracy, truth[i]))));
            }

            profiles.Add(new($"h{h}", 0, [$"ip-h{h}"]));
        }

        for (var r = 0; r < random; r++)
        {
            foreach (var i in Pick())
            {
                triples.Add(new($"i{i}", $"r{r}", Label(rng.Next(k))));
            }

            injected.Add($"r{r}");
            profiles.Add(new($"r{r}", 0, [$"ip-r{r}"]));
        }

        for (var g = 0; g < groups; g++)
        {
            foreach (var i in Pick())
            {
                var leader = Answer(0.3, truth[i]);
                for (var m = 0; m < groupSize; m++)
                {
                    var copied = rng.NextDouble() < 0.95 ? leader : rng.Next(k);
                    triples.Add(new($"i{i}", $"c{g}-{m}", Label(copied)));
                }
            }

            for (var m = 0; m < groupSize; m++)
            {
                injected.Add($"c{g}-{m}");
                profiles.Add(new($"c{g}-{m}", 0, [$"device-{g}"]));
            }
        }

        var gold = Enumerable.Range(0, items).Where(i => i % 10 == 0).Select(i => new GoldAnswer($"i{i}", Label(truth[i]))).ToList();
        var labels = LabelSet.Create(triples);
        var ds = DawidSkene.Aggregate(labels);
        var accuracyByContributor = ds.Contributors.ToDictionary(c => c.Contributor, c => c.Accuracy, StringComparer.Ordinal);
        var flagged = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in ds.Contributors)
        {
            if (FraudSignals.SpammerScore(c.Accuracy, k).Flagged)
            {
                flagged.Add(c.Contributor);
            }
        }

        var withAccuracy = profiles.Select(p => p with { Accuracy = accuracyByContributor[p.Contributor] });
        foreach (var pair in FraudSignals.Collusion(labels, withAccuracy, gold))
        {
            flagged.Add(pair.ContributorA);
            flagged.Add(pair.ContributorB);
        }

        var honestIds = profiles.Select(p => p.Contributor).Where(c => !injected.Contains(c)).ToList();
        return new Outcome(
            (double)injected.Count(flagged.Contains) / injected.Count,
            (double)honestIds.Count(flagged.Contains) / honestIds.Count,
            injected.Count,
            honestIds.Count);
    }
}
