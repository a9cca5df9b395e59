using Marketplace.Scoring.Aggregation;
using Marketplace.Scoring.Quality;
using Marketplace.Scoring.Redundancy;

namespace Marketplace.Scoring.Evaluation;

/// <summary>
/// Replays a dataset label by label in a seeded random order and stops taking labels for an item once
/// <see cref="RedundancyPolicy.Decide"/> says it is finished. The gold answers of the items being scored
/// never reach the decisions; they are used only to score the final answers.
/// </summary>
public static class RedundancyReplay
{
    /// <summary>The seed the figures in docs/quality.md were replayed with.</summary>
    public const int Seed = 42;

    /// <summary>The headline policy (0.999, at least 2 labels) and a cheaper one for low-redundancy jobs.</summary>
    public static IReadOnlyList<RedundancyOptions> Policies { get; } =
    [
        new(TargetConfidence: 0.999, MinLabels: 2, MaxLabels: int.MaxValue),
        new(TargetConfidence: 0.95, MinLabels: 1, MaxLabels: int.MaxValue),
    ];

    /// <summary>Labels in the dataset and labels the replay took; majority vote's accuracy on all labels and the replay's.</summary>
    public sealed record Outcome(int AllLabels, int LabelsUsed, double MajorityVoteAccuracy, double AdaptiveAccuracy);

    /// <summary>
    /// Contributor estimates from unsupervised Dawid-Skene over all labels (no gold in the decisions; optimistic,
    /// because the estimates saw labels the replay then skips).
    /// </summary>
    public static Outcome Run(Dataset dataset, RedundancyOptions policy, int seed = Seed)
    {
        var labels = LabelSet.Create(dataset.Labels);
        var ds = DawidSkene.Aggregate(labels);
        var byContributor = ds.Contributors.ToDictionary(c => c.Contributor, c => (c.Accuracy, c.Confusion), StringComparer.Ordinal);
        var (used, answers) = Replay(dataset.Labels, labels.Classes, byContributor, ClassPrior(ds), policy, seed);
        return new Outcome(dataset.Labels.Count, used, MajorityVote.Aggregate(labels).AccuracyAgainst(dataset.Gold), Score(answers, dataset.Gold));
    }

    /// <summary>
    /// What the app would do: contributor confusions from gold only (Dirichlet(1)-smoothed counts), 2-fold on items:
    /// estimate on the gold of a seeded half of the items, replay and score the other half, swap. A contributor with
    /// no gold in the estimating half gets a uniform confusion, i.e. their votes count for nothing.
    /// </summary>
    public static Outcome RunGoldCrossFit(Dataset dataset, RedundancyOptions policy, int seed = Seed)
    {
        var labels = LabelSet.Create(dataset.Labels);
        var gold = dataset.Gold.ToArray();
        new Random(seed).Shuffle(gold);
        var half = gold.Length / 2;
        var used = 0;
        var answers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (train, test) in new[] { (gold[..half], gold[half..]), (gold[half..], gold[..half]) })
        {
            var key = train.ToDictionary(g => g.Item, g => g.Answer, StringComparer.Ordinal);
            var results = dataset.Labels.Where(l => key.ContainsKey(l.Item))
                .Select(l => new GoldResult(l.Contributor, "task", null, l.Answer, key[l.Item]));
            var estimates = GoldAccuracy.Confusion(results, labels.Classes)
                .ToDictionary(c => c.Contributor, c => (Accuracy: 0.5, Confusion: (IReadOnlyList<double>?)c.Probabilities(1)), StringComparer.Ordinal);
            foreach (var contributor in labels.Contributors)
            {
                estimates.TryAdd(contributor, (0.5, Enumerable.Repeat(1.0 / labels.Classes.Count, labels.Classes.Count * labels.Classes.Count).ToArray()));
            }

            var prior = labels.Classes.Select(c => (train.Count(g => g.Answer == c) + 1.0) / (train.Length + labels.Classes.Count)).ToArray();
            var testItems = test.Select(g => g.Item).ToHashSet(StringComparer.Ordinal);
            var (foldUsed, foldAnswers) = Replay(dataset.Labels.Where(l => testItems.Contains(l.Item)).ToList(), labels.Classes, estimates, prior, policy, seed);
            used += foldUsed;
            foreach (var (item, answer) in foldAnswers)
            {
                answers[item] = answer;
            }
        }

        // Labels on items without gold are never replayed here; count them as all used so savings are not overstated.
        var goldItems = gold.Select(g => g.Item).ToHashSet(StringComparer.Ordinal);
        used += dataset.Labels.Count(l => !goldItems.Contains(l.Item));
        return new Outcome(dataset.Labels.Count, used, MajorityVote.Aggregate(labels).AccuracyAgainst(dataset.Gold), Score(answers, dataset.Gold));
    }

    private static (int Used, Dictionary<string, string> Answers) Replay(
        IReadOnlyList<AnswerTriple> triples,
        IReadOnlyList<string> classes,
        IReadOnlyDictionary<string, (double Accuracy, IReadOnlyList<double>? Confusion)> contributors,
        double[] classPrior,
        RedundancyOptions policy,
        int seed)
    {
        var order = triples.ToArray();
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

            var (accuracy, confusion) = contributors[label.Contributor];
            list.Add(new ItemVote(label.Contributor, label.Answer, accuracy, confusion));
            used++;
            var decision = RedundancyPolicy.Decide(classes, list, policy, classPrior);
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
                finished[item] = RedundancyPolicy.Decide(classes, list, policy with { MaxLabels = 0 }, classPrior).Answer!;
            }
        }

        return (used, finished);
    }

    private static double Score(Dictionary<string, string> answers, IEnumerable<GoldAnswer> gold)
    {
        int scored = 0, correct = 0;
        foreach (var g in gold)
        {
            if (answers.TryGetValue(g.Item, out var a))
            {
                scored++;
                correct += a == g.Answer ? 1 : 0;
            }
        }

        return scored == 0 ? 0 : (double)correct / scored;
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
