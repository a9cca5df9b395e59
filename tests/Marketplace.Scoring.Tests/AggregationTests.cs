using Marketplace.Scoring.Aggregation;

namespace Marketplace.Scoring.Tests;

public class AggregationTests
{
    private static LabelSet Labels(params string[] rows) =>
        LabelSet.Create(rows.Select(r => r.Split(',')).Select(p => new AnswerTriple(p[0], p[1], p[2])));

    [Fact]
    public void MajorityVote_WhenTied_PicksLowestAnswerOrdinal()
    {
        var labels = Labels("i1,w1,dog", "i1,w2,cat", "i2,w1,b", "i2,w2,a", "i2,w3,b");

        var result = MajorityVote.Aggregate(labels);

        Assert.Equal("cat", result.Items[0].Answer);
        Assert.Equal(0.5, result.Items[0].Confidence, 12);
        Assert.Equal("b", result.Items[1].Answer);
        Assert.Equal(2.0 / 3.0, result.Items[1].Confidence, 12);
    }

    [Fact]
    public void MajorityVote_DoesNotDependOnLabelOrder()
    {
        var a = MajorityVote.Aggregate(Labels("i1,w1,x", "i1,w2,y", "i1,w3,y"));
        var b = MajorityVote.Aggregate(Labels("i1,w3,y", "i1,w1,x", "i1,w2,y"));

        Assert.Equal(a.Items[0].Posterior, b.Items[0].Posterior);
    }

    [Fact]
    public void WeightedVote_TrustedMinorityOutvotesUnreliableMajority()
    {
        var labels = Labels("i1,good,yes", "i1,bad1,no", "i1,bad2,no");
        var accuracy = new Dictionary<string, double> { ["good"] = 0.98, ["bad1"] = 0.6, ["bad2"] = 0.6 };

        var result = MajorityVote.AggregateWeighted(labels, accuracy);

        // odds yes:no = (0.98/0.02) / (0.6/0.4)² = 49 / 2.25, so posterior = 49 / 51.25
        Assert.Equal("yes", result.Items[0].Answer);
        Assert.Equal(49 / 51.25, result.Items[0].Confidence, 12);
    }

    [Fact]
    public void DawidSkene_RecoversTruth_WhenAConsistentlyFlippedWorkerOutnumbersNone()
    {
        // w3 always answers the opposite; DS learns its confusion and uses it instead of counting it against the truth.
        var rows = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            var truth = i % 2 == 0 ? "a" : "b";
            var flipped = truth == "a" ? "b" : "a";
            rows.Add($"i{i:D2},w1,{truth}");
            rows.Add($"i{i:D2},w2,{(i % 10 == 0 ? flipped : truth)}");
            rows.Add($"i{i:D2},w3,{flipped}");
        }

        var result = DawidSkene.Aggregate(Labels([.. rows]));

        Assert.All(result.Items, item => Assert.Equal(int.Parse(item.Item[1..], System.Globalization.CultureInfo.InvariantCulture) % 2 == 0 ? "a" : "b", item.Answer));
        var w3 = result.Contributors.Single(c => c.Contributor == "w3");
        Assert.True(w3.Accuracy < 0.05, $"w3 accuracy {w3.Accuracy}");
        Assert.True(w3.Confusion![1] > 0.95, "w3 answers b when the truth is a");
        Assert.True(result.Converged);
    }

    [Fact]
    public void DawidSkene_OneCoin_GivesSymmetricConfusion()
    {
        var labels = Labels("i1,w1,a", "i1,w2,a", "i2,w1,b", "i2,w2,a", "i3,w1,c", "i3,w2,c");

        var result = DawidSkene.AggregateOneCoin(labels);

        foreach (var c in result.Contributors)
        {
            var m = c.Confusion!;
            Assert.Equal(m[1], m[2], 12);
            Assert.Equal(m[1], m[3], 12);
            Assert.Equal(m[0], m[4], 12);
        }
    }

    [Fact]
    public void GoldAnchored_KeepsClampedItemsAtTheirGoldAnswer()
    {
        var labels = Labels("i1,w1,a", "i1,w2,a", "i2,w1,b", "i2,w2,b");

        var result = DawidSkene.AggregateGoldAnchored(labels, [new GoldAnswer("i1", "b"), new GoldAnswer("nope", "a"), new GoldAnswer("i2", "zzz")]);

        Assert.Equal("b", result.Items[0].Answer);
        Assert.Equal(1.0, result.Items[0].Confidence, 12);
    }

    [Fact]
    public void Aggregators_OnEmptyInput_ReturnEmptyResults()
    {
        var empty = LabelSet.Create([]);

        foreach (var result in new[] { MajorityVote.Aggregate(empty), MajorityVote.AggregateWeighted(empty), DawidSkene.Aggregate(empty), DawidSkene.AggregateOneCoin(empty), DawidSkene.AggregateGoldAnchored(empty, []) })
        {
            Assert.Empty(result.Items);
            Assert.Empty(result.Contributors);
            Assert.Equal(0, result.AccuracyAgainst([new GoldAnswer("x", "y")]));
        }
    }

    [Fact]
    public void LabelSet_WithDeclaredClasses_RejectsUnknownAnswersAndEmptyIds()
    {
        var labels = LabelSet.Create(
            [new("i1", "w1", "a"), new("i1", "w2", "maybe"), new("", "w3", "a"), new("i2", "w4", "b")],
            ["b", "a"]);

        Assert.Equal(2, labels.Count);
        Assert.Equal(2, labels.RejectedCount);
        Assert.Equal(["b", "a"], labels.Classes);
        Assert.Equal(["w1", "w4"], labels.Contributors);
    }

    [Fact]
    public void DawidSkene_WithDegenerateInput_NeverProducesNaN()
    {
        // One class only, a declared class nobody used, one item with a single label: confusion rows are empty or constant.
        var labels = LabelSet.Create([new("i1", "w1", "a"), new("i2", "w1", "a"), new("i2", "w2", "a")], ["a", "b", "c"]);

        foreach (var result in new[] { DawidSkene.Aggregate(labels), DawidSkene.AggregateOneCoin(labels), MajorityVote.AggregateWeighted(labels) })
        {
            Assert.All(result.Items, i =>
            {
                Assert.Equal("a", i.Answer);
                Assert.All(i.Posterior, p => Assert.True(double.IsFinite(p)));
                Assert.Equal(1.0, i.Posterior.Sum(), 9);
            });
            Assert.All(result.Contributors, c => Assert.True(double.IsFinite(c.Accuracy)));
            Assert.All(result.Contributors.Where(c => c.Confusion is not null).SelectMany(c => c.Confusion!), v => Assert.True(double.IsFinite(v)));
        }
    }

    [Fact]
    public void DawidSkene_Parallel_MatchesSingleThreaded()
    {
        var labels = SyntheticLabels.Create(items: 3000, perItem: 5, workers: 60, classes: 4, seed: 3);

        var one = DawidSkene.Aggregate(labels, new DawidSkeneOptions(MaxIterations: 30, Tolerance: 0));
        var two = DawidSkene.Aggregate(labels, new DawidSkeneOptions(MaxIterations: 30, Tolerance: 0, DegreeOfParallelism: 2));

        for (var i = 0; i < one.Items.Count; i++)
        {
            Assert.Equal(one.Items[i].Answer, two.Items[i].Answer);
            Assert.Equal(one.Items[i].Confidence, two.Items[i].Confidence, 9);
        }
    }

    [Fact]
    public void EmEngine_VectorPathForFourClasses_MatchesScalarPath()
    {
        var labels = SyntheticLabels.Create(items: 2000, perItem: 6, workers: 40, classes: 4, seed: 5);
        var problem = new EmProblem(labels.Items.Count, labels.Contributors.Count, 4, labels.ItemStart, labels.Worker, labels.Answer);

        var vector = EmEngine.Run(problem, new EmSettings(25, 0, 0.01, false, 1, Vectorise: true));
        var scalar = EmEngine.Run(problem, new EmSettings(25, 0, 0.01, false, 1, Vectorise: false));

        for (var x = 0; x < vector.Posterior.Length; x++)
        {
            Assert.Equal(scalar.Posterior[x], vector.Posterior[x], 9);
        }

        Assert.Equal(scalar.LogLikelihood, vector.LogLikelihood, 6);
    }

    [Fact]
    public void DawidSkene_OnSyntheticCrowdWithSpammers_BeatsMajorityVote()
    {
        var (labels, truth) = SyntheticLabels.CreateWithTruth(items: 4000, perItem: 5, workers: 100, classes: 4, seed: 11);

        var mv = MajorityVote.Aggregate(labels).AccuracyAgainst(truth);
        var ds = DawidSkene.Aggregate(labels).AccuracyAgainst(truth);

        Assert.True(ds > mv + 0.003, $"DS {ds:F4} vs MV {mv:F4}");
    }
}
