using Marketplace.Scoring.Aggregation;
using Marketplace.Scoring.Quality;
using Marketplace.Scoring.Redundancy;

namespace Marketplace.Scoring.Tests;

/// <summary>
/// The adaptive-redundancy goal on real data, the way the app would run it: contributor confusions from gold
/// on one seeded half of the items, labels replayed in seeded random order on the other half, then swapped.
/// Mirrors bench/Marketplace.Bench/RedundancyReplay.RunGoldCrossFit (target 0.95, at least 1 label).
/// </summary>
public class RedundancyReplayTests
{
    [Theory]
    [InlineData("duck", 0.797, 0.9074)]
    [InlineData("rte", 0.489, 0.9263)]
    [InlineData("sentiment", 0.775, 0.9460)]
    [InlineData("temp", 0.598, 0.9437)]
    [InlineData("wsd", 0.823, 0.9944)]
    // product has 3 labels per item and a 13% positive class: 27.5% saved, short of the 30% goal (docs/quality.md).
    [InlineData("product", 0.275, 0.9384)]
    public void AdaptiveRedundancy_SavesLabels_WithoutLosingAccuracyAgainstMajorityVote(string name, double pinnedSaved, double pinnedAccuracy)
    {
        var dataset = SharedDatasets.Load(name);
        if (dataset is null)
        {
            return;
        }

        var (labels, gold) = dataset.Value;
        var set = LabelSet.Create(labels);
        var (used, accuracy) = ReplayGoldCrossFit(labels, gold, set.Classes, new RedundancyOptions(0.95, 1, int.MaxValue), seed: 42);
        var saved = 1 - ((double)used / labels.Count);

        Assert.InRange(saved, pinnedSaved - 0.001, 1);
        Assert.InRange(accuracy, pinnedAccuracy - 0.0001, 1);
        Assert.True(accuracy >= MajorityVote.Aggregate(set).AccuracyAgainst(gold), "adaptive accuracy below majority vote on all labels");
        if (name != "product")
        {
            Assert.True(saved >= 0.30, $"saved {saved:P1}");
        }
    }

    private static (int Used, double Accuracy) ReplayGoldCrossFit(List<AnswerTriple> labels, List<GoldAnswer> gold, IReadOnlyList<string> classes, RedundancyOptions policy, int seed)
    {
        var shuffled = gold.ToArray();
        new Random(seed).Shuffle(shuffled);
        var half = shuffled.Length / 2;
        int used = 0, correct = 0;
        var k = classes.Count;
        foreach (var (train, test) in new[] { (shuffled[..half], shuffled[half..]), (shuffled[half..], shuffled[..half]) })
        {
            var key = train.ToDictionary(g => g.Item, g => g.Answer, StringComparer.Ordinal);
            var confusion = GoldAccuracy.Confusion(
                    labels.Where(l => key.ContainsKey(l.Item)).Select(l => new GoldResult(l.Contributor, "t", null, l.Answer, key[l.Item])),
                    classes)
                .ToDictionary(c => c.Contributor, c => c.Probabilities(1), StringComparer.Ordinal);
            var uniform = Enumerable.Repeat(1.0 / k, k * k).ToArray();
            var prior = classes.Select(c => (train.Count(g => g.Answer == c) + 1.0) / (train.Length + k)).ToArray();
            var truth = test.ToDictionary(g => g.Item, g => g.Answer, StringComparer.Ordinal);
            var order = labels.Where(l => truth.ContainsKey(l.Item)).ToArray();
            new Random(seed).Shuffle(order);
            var votes = new Dictionary<string, List<ItemVote>>(StringComparer.Ordinal);
            var done = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var l in order)
            {
                if (done.ContainsKey(l.Item))
                {
                    continue;
                }

                if (!votes.TryGetValue(l.Item, out var list))
                {
                    votes[l.Item] = list = [];
                }

                list.Add(new ItemVote(l.Contributor, l.Answer, 0.5, confusion.GetValueOrDefault(l.Contributor, uniform)));
                used++;
                var decision = RedundancyPolicy.Decide(classes, list, policy, prior);
                if (decision.Finished)
                {
                    done[l.Item] = decision.Answer!;
                }
            }

            foreach (var (item, list) in votes)
            {
                var answer = done.TryGetValue(item, out var a) ? a : RedundancyPolicy.Decide(classes, list, policy with { MaxLabels = 0 }, prior).Answer!;
                correct += answer == truth[item] ? 1 : 0;
            }
        }

        var goldItems = gold.Select(g => g.Item).ToHashSet(StringComparer.Ordinal);
        return (used + labels.Count(l => !goldItems.Contains(l.Item)), (double)correct / gold.Count);
    }
}
