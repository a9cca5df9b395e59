using System.Diagnostics;
using System.Globalization;
using Marketplace.Scoring;
using Marketplace.Scoring.Aggregation;
using Marketplace.Scoring.Evaluation;

namespace Marketplace.Bench;

/// <summary>`quality`: every aggregation method on every dataset, accuracy against gold.</summary>
internal static class QualityCommand
{
    public const int CrossValidationSeed = 20170501;

    public static int Run(string[] args)
    {
        var dataIndex = Array.IndexOf(args, "--data");
        if (dataIndex >= 0)
        {
            if (dataIndex + 1 >= args.Length)
            {
                Console.Error.WriteLine("usage: quality [--data DIR]");
                return 2;
            }

            var dataset = DatasetFolder.Load(args[dataIndex + 1]);
            foreach (var (method, accuracy, seconds) in Evaluate(dataset))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{method} accuracy={accuracy:F4} seconds={seconds:F3}"));
            }

            return 0;
        }

        var root = DatasetFolder.FindSharedRoot();
        if (root is null)
        {
            Console.Error.WriteLine("shared/datasets not found above " + AppContext.BaseDirectory);
            return 1;
        }

        var folders = Directory.GetDirectories(root).Order(StringComparer.Ordinal).ToArray();
        var results = folders.Select(f => (Name: Path.GetFileName(f), Rows: Evaluate(DatasetFolder.Load(f)))).ToList();
        var methods = results[0].Rows.Select(r => r.Method).ToList();
        Console.WriteLine("| method | " + string.Join(" | ", results.Select(r => r.Name)) + " |");
        Console.WriteLine("|---|" + string.Concat(results.Select(_ => "---|")));
        foreach (var method in methods)
        {
            var cells = results.Select(r => r.Rows.First(x => x.Method == method).Accuracy.ToString("F4", CultureInfo.InvariantCulture));
            Console.WriteLine($"| {method} | " + string.Join(" | ", cells) + " |");
        }

        Console.WriteLine();
        Console.WriteLine("Adaptive redundancy replay (seed " + RedundancyReplay.Seed + "):");
        Console.WriteLine("| dataset | contributor estimates | policy | labels (all) | labels used | saved | MV accuracy (all labels) | adaptive accuracy |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        foreach (var folder in folders)
        {
            var dataset = DatasetFolder.Load(folder);
            foreach (var policy in RedundancyReplay.Policies)
            {
                foreach (var (source, r) in new[] { ("DS, all labels", RedundancyReplay.Run(dataset, policy)), ("gold, 2-fold", RedundancyReplay.RunGoldCrossFit(dataset, policy)) })
                {
                    Console.WriteLine(string.Create(
                        CultureInfo.InvariantCulture,
                        $"| {dataset.Name} | {source} | target {policy.TargetConfidence}, min {policy.MinLabels} | {r.AllLabels} | {r.LabelsUsed} | {1 - ((double)r.LabelsUsed / r.AllLabels):P1} | {r.MajorityVoteAccuracy:F4} | {r.AdaptiveAccuracy:F4} |"));
                }
            }
        }

        return 0;
    }

    public static IReadOnlyList<(string Method, double Accuracy, double Seconds)> Evaluate(Dataset dataset)
    {
        var labels = LabelSet.Create(dataset.Labels);
        var rows = new List<(string, double, double)>();
        void Time(string name, Func<AggregationResult> run)
        {
            var sw = Stopwatch.StartNew();
            var result = run();
            sw.Stop();
            rows.Add((name, result.AccuracyAgainst(dataset.Gold), sw.Elapsed.TotalSeconds));
        }

        Time("MajorityVote", () => MajorityVote.Aggregate(labels));
        Time("WeightedVote", () => MajorityVote.AggregateWeighted(labels));
        Time("DawidSkene", () => DawidSkene.Aggregate(labels));
        Time("OneCoinDawidSkene", () => DawidSkene.AggregateOneCoin(labels));
        var sw = Stopwatch.StartNew();
        var cv = GoldAnchoredCrossValidation(labels, dataset.Gold, CrossValidationSeed);
        rows.Add(("GoldAnchoredDawidSkene(2-fold CV)", cv, sw.Elapsed.TotalSeconds));
        return rows;
    }

    /// <summary>Clamp a seeded random half of gold, score on the other half, swap, average.</summary>
    public static double GoldAnchoredCrossValidation(LabelSet labels, IReadOnlyList<GoldAnswer> gold, int seed)
    {
        var shuffled = gold.ToArray();
        new Random(seed).Shuffle(shuffled);
        var half = shuffled.Length / 2;
        var a = shuffled[..half];
        var b = shuffled[half..];
        var foldA = DawidSkene.AggregateGoldAnchored(labels, a).AccuracyAgainst(b);
        var foldB = DawidSkene.AggregateGoldAnchored(labels, b).AccuracyAgainst(a);
        return (foldA + foldB) / 2;
    }
}
