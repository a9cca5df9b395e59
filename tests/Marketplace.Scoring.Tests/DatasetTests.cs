using Marketplace.Scoring.Aggregation;

namespace Marketplace.Scoring.Tests;

/// <summary>Pins each method's accuracy on the shared datasets so a regression fails.</summary>
public class DatasetTests
{
    // Expected accuracy per method, as printed by `dotnet run -c Release --project bench/Marketplace.Bench -- quality`.
    // Deterministic, so pinned to 4 decimals. Crowd-Kit D&S reference: duck 0.8889, product 0.9397, sentiment 0.9600,
    // rte 0.9275, temp 0.9416, wsd 0.9944.
    [Theory]
    [InlineData("duck", 0.7593, 0.7593, 0.8981, 0.5833)]
    [InlineData("product", 0.8966, 0.9286, 0.9397, 0.9084)]
    [InlineData("rte", 0.9187, 0.9250, 0.9275, 0.9250)]
    [InlineData("sentiment", 0.9320, 0.9520, 0.9600, 0.9480)]
    [InlineData("temp", 0.9394, 0.9394, 0.9416, 0.9394)]
    [InlineData("wsd", 0.9944, 0.9944, 0.9944, 0.9944)]
    public void Accuracy_OnSharedDataset_MatchesPinnedValues(string name, double majority, double weighted, double dawidSkene, double oneCoin)
    {
        var dataset = SharedDatasets.Load(name);
        if (dataset is null)
        {
            return;
        }

        var labels = LabelSet.Create(dataset.Labels);
        var gold = dataset.Gold;

        AssertPinned(majority, MajorityVote.Aggregate(labels).AccuracyAgainst(gold));
        AssertPinned(weighted, MajorityVote.AggregateWeighted(labels).AccuracyAgainst(gold));
        AssertPinned(dawidSkene, DawidSkene.Aggregate(labels).AccuracyAgainst(gold));
        AssertPinned(oneCoin, DawidSkene.AggregateOneCoin(labels).AccuracyAgainst(gold));
    }

    // The Crowd-Kit Dawid-Skene figures from the datasets' README: ours must not fall below them.
    [Theory]
    [InlineData("duck", 0.8889)]
    [InlineData("product", 0.9397)]
    [InlineData("rte", 0.9275)]
    [InlineData("sentiment", 0.9600)]
    [InlineData("temp", 0.9416)]
    [InlineData("wsd", 0.9944)]
    public void DawidSkene_OnSharedDataset_IsAtLeastTheReferenceAccuracy(string name, double reference)
    {
        var dataset = SharedDatasets.Load(name);
        if (dataset is null)
        {
            return;
        }

        var accuracy = DawidSkene.Aggregate(LabelSet.Create(dataset.Labels)).AccuracyAgainst(dataset.Gold);

        Assert.InRange(accuracy, reference - 0.00005, 1.0);
    }

    // Gold-anchored D&S scored by 2-fold cross-validation: clamp a seeded half of gold, score on the other half, swap, average.
    [Theory]
    [InlineData("duck", 0.9074)]
    [InlineData("product", 0.9376)]
    [InlineData("rte", 0.9263)]
    [InlineData("sentiment", 0.9590)]
    [InlineData("temp", 0.9394)]
    [InlineData("wsd", 0.9944)]
    public void GoldAnchored_TwoFoldCrossValidated_MatchesPinnedValue(string name, double expected)
    {
        var dataset = SharedDatasets.Load(name);
        if (dataset is null)
        {
            return;
        }

        var labels = LabelSet.Create(dataset.Labels);
        var gold = dataset.Gold.ToArray();
        new Random(20170501).Shuffle(gold);
        var half = gold.Length / 2;
        var foldA = DawidSkene.AggregateGoldAnchored(labels, gold[..half]).AccuracyAgainst(gold[half..]);
        var foldB = DawidSkene.AggregateGoldAnchored(labels, gold[half..]).AccuracyAgainst(gold[..half]);

        AssertPinned(expected, (foldA + foldB) / 2);
    }

    private static void AssertPinned(double pinned, double actual) =>
        Assert.InRange(actual, pinned - 0.0001, pinned + 0.0001);
}
