using Marketplace.Scoring;
using Marketplace.Scoring.Aggregation;
using Marketplace.Scoring.Redundancy;

namespace Marketplace.Bench;

/// <summary>
/// Replays a dataset label by label in a seeded random order and stops taking labels for an item once
/// <see cref="RedundancyPolicy.Decide"/> says it is finished. Contributor confusion matrices and the class
/// prior come from an unsupervised Dawid-Skene run over all labels (no gold is used in the decisions);
/// gold is used only to score the final answers.
/// </summary>
internal static class RedundancyReplay
{
    public const int Seed = 42;

    /// <summary>The headline policy (0.999, at least 2 labels) and a cheaper one for low-redundancy jobs.</summary>
    public static IReadOnlyList<RedundancyOptions> Policies { get; } =
    [
        new(TargetConfidence: 0.999, MinLabels: 2, MaxLabels: int.MaxValue),
        new(TargetConfidence: 0.95, MinLabels: 1, MaxLabels: int.MaxValue),
    ];

    public sealed record Outcome(int AllLabels, int LabelsUsed, double MajorityVoteAccuracy, double AdaptiveAccuracy);

    public static Outcome Run(Dataset dataset, RedundancyOptions policy, int seed = Seed)
    {
        var labels = LabelSet.Create(dataset.Labels);
        var ds = DawidSkene.Aggregate(labels);
        var byContributor = ds.Contributors.ToDictionary(c => c.Contributor, StringComparer.Ordinal);
        var classPrior = ClassPrior(ds);

        var order = dataset.Labels.ToArray();
        new Random(seed).Shuffle(order);
        var votes = new Dictionary<string, List<ItemVote>>(StringComparer.Ordinal);
        var finished = new Dictionary<string, string>(StringComparer.Ordinal);
        var used = 0;
        foreach (var label in order)
        {
            if (finished.ContainsKey(label.Item))
            {
                continue;
            }

            if (!votes.TryGetValue(label.Item, out var list))
            {
                votes[label.Item] = list = [];
            }

            var estimate = byContributor[label.Contributor];
            list.Add(new ItemVote(label.Contributor, label.Answer, estimate.Accuracy, estimate.Confusion));
            used++;
            var decision = RedundancyPolicy.Decide(labels.Classes, list, policy, classPrior);
            if (decision.Finished && decision.Answer is not null)
            {
                finished[label.Item] = decision.Answer;
            }
        }

        // Items that ran out of labels keep their current top answer.
        foreach (var (item, list) in votes)
        {
            if (!finished.ContainsKey(item))
            {
                finished[item] = RedundancyPolicy.Decide(labels.Classes, list, policy with { MaxLabels = 0 }, classPrior).Answer!;
            }
        }

        int scored = 0, correct = 0;
        foreach (var g in dataset.Gold)
        {
            if (finished.TryGetValue(g.Item, out var a))
            {
                scored++;
                correct += a == g.Answer ? 1 : 0;
            }
        }

        var mv = MajorityVote.Aggregate(labels).AccuracyAgainst(dataset.Gold);
        return new Outcome(dataset.Labels.Count, used, mv, scored == 0 ? 0 : (double)correct / scored);
    }

    private static double[] ClassPrior(AggregationResult result)
    {
        var k = result.Classes.Count;
        var prior = new double[k];
        foreach (var item in result.Items)
        {
            for (var c = 0; c < k; c++)
            {
                prior[c] += item.Posterior[c] / result.Items.Count;
            }
        }

        return prior;
    }
}
