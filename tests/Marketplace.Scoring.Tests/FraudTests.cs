using System.Globalization;
using Marketplace.Scoring.Fraud;
using Xunit.Abstractions;

namespace Marketplace.Scoring.Tests;

public class FraudTests(ITestOutputHelper output)
{
    private static List<RecentAnswer> Answers(params double[] seconds) =>
        seconds.Select((s, i) => new RecentAnswer($"i{i}", (i % 3).ToString(CultureInfo.InvariantCulture), s)).ToList();

    [Theory]
    [InlineData(new[] { 1.0, 1, 1, 9, 9, 9, 9, 9, 9, 9 }, true, "3 of the last 10 answers under the 2 s floor")]
    [InlineData(new[] { 1.0, 1, 9, 9, 9, 9, 9, 9, 9, 9 }, false, "2 of the last 10 answers under the 2 s floor")]
    // Only the last 10 count: the three fast ones are older.
    [InlineData(new[] { 1.0, 1, 1, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9 }, false, "0 of the last 10 answers under the 2 s floor")]
    [InlineData(new double[0], false, "0 of the last 0 answers under the 2 s floor")]
    public void TooFast_FlagsThreeOfLastTenUnderFloor(double[] seconds, bool flagged, string evidence)
    {
        var signal = FraudSignals.TooFast(Answers(seconds), timeFloorSeconds: 2);

        Assert.Equal(flagged, signal.Flagged);
        Assert.Equal(evidence, signal.Evidence);
    }

    [Fact]
    public void GoldFailureStreak_CountsConsecutiveWrongGoldIgnoringOrdinaryItems()
    {
        var answers = new[]
        {
            new RecentAnswer("g1", "a", 5, false), new RecentAnswer("x", "a", 5), new RecentAnswer("g2", "a", 5, false),
            new RecentAnswer("g3", "a", 5, true), new RecentAnswer("g4", "a", 5, false), new RecentAnswer("g5", "a", 5, false),
            new RecentAnswer("g6", "a", 5, false), new RecentAnswer("g7", "a", 5, false),
        };

        var signal = FraudSignals.GoldFailureStreak(answers, streakThreshold: 4);

        Assert.True(signal.Flagged);
        Assert.Equal("4 wrong gold answers in a row (of 7 gold answers)", signal.Evidence);
        Assert.False(FraudSignals.GoldFailureStreak(answers[..6], 4).Flagged);
    }

    [Theory]
    [InlineData(new[] { "a", "a", "a", "a", "a", "a", "a", "a", "a", "b" }, true, 0.9)]
    [InlineData(new[] { "a", "a", "a", "a", "a", "a", "a", "a", "b", "b" }, false, 0.8)]
    [InlineData(new[] { "a", "a", "a" }, false, 1.0)]
    public void ConstantAnswers_FlagsNearConstantOnceThereAreEnough(string[] answers, bool flagged, double share)
    {
        var signal = FraudSignals.ConstantAnswers(answers.Select((a, i) => new RecentAnswer($"i{i}", a, 5)).ToList());

        Assert.Equal(flagged, signal.Flagged);
        Assert.Equal(share, signal.Score, 12);
    }

    [Theory]
    // Perfect: S = 1. Answers ignore the truth (equal rows): S = 0. Binary one-coin p: S = (2p − 1)² (Raykar & Yu 2012).
    [InlineData(new[] { 1.0, 0, 0, 1 }, 2, 1.0)]
    [InlineData(new[] { 0.7, 0.3, 0.7, 0.3 }, 2, 0.0)]
    [InlineData(new[] { 0.8, 0.2, 0.2, 0.8 }, 2, 0.36)]
    // Four classes, one-coin p = 0.6, q = 0.4/3: S = (p − q)².
    [InlineData(new[] { 0.6, 0.4 / 3, 0.4 / 3, 0.4 / 3, 0.4 / 3, 0.6, 0.4 / 3, 0.4 / 3, 0.4 / 3, 0.4 / 3, 0.6, 0.4 / 3, 0.4 / 3, 0.4 / 3, 0.4 / 3, 0.6 }, 4, 0.2177777777777778)]
    public void SpammerScore_MatchesRaykarYuClosedForms(double[] confusion, int classes, double s)
    {
        var signal = FraudSignals.SpammerScore(confusion, classes);

        Assert.Equal(1 - s, signal.Score, 9);
        Assert.Equal(s < 0.1, signal.Flagged);
    }

    [Theory]
    // S = ((4a − 1)/3)²: a = 0.25 → 0; a = 0.7 → 0.36; a = 1 → 1.
    [InlineData(0.25, 4, 0.0, true)]
    [InlineData(0.7, 4, 0.36, false)]
    [InlineData(1.0, 4, 1.0, false)]
    [InlineData(0.6, 2, 0.04, true)]
    public void SpammerScore_FromOneCoinAccuracy_MatchesClosedForm(double accuracy, int classes, double s, bool flagged)
    {
        var signal = FraudSignals.SpammerScore(accuracy, classes);

        Assert.Equal(1 - s, signal.Score, 9);
        Assert.Equal(flagged, signal.Flagged);
    }

    [Fact]
    public void SpammerScore_WithoutAMatrix_IsNotFlagged() =>
        Assert.False(FraudSignals.SpammerScore([double.NaN], 2).Flagged);

    [Fact]
    public void Collusion_FlagsPairThatCopiesWrongGold_AndShowsEvidence()
    {
        var triples = new List<AnswerTriple>();
        var gold = new List<GoldAnswer>();
        for (var i = 0; i < 20; i++)
        {
            gold.Add(new GoldAnswer($"i{i}", "a"));
            triples.Add(new($"i{i}", "honest", "a"));
            triples.Add(new($"i{i}", "c1", "b"));
            triples.Add(new($"i{i}", "c2", "b"));
        }

        var labels = LabelSet.Create(triples, ["a", "b", "c"]);
        var profiles = new[] { new ContributorProfile("c1", 0.4, ["ip1"]), new ContributorProfile("c2", 0.4, ["ip1"]), new ContributorProfile("honest", 0.95, ["ip2"]) };

        var pair = Assert.Single(FraudSignals.Collusion(labels, profiles, gold));

        Assert.Equal(("c1", "c2", 20, 20, 20), (pair.ContributorA, pair.ContributorB, pair.SharedItems, pair.Agreements, pair.SharedWrongGold));
        Assert.True(pair.SharedDevice);
        Assert.Contains("agreed on 20 of 20 shared items", pair.Evidence, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2012)]
    [InlineData(7)]
    [InlineData(1979)]
    public void Simulation_InjectedRandomAndColludingLabellers_AreFlaggedWithin50Tasks(int seed)
    {
        var outcome = FraudSimulation.Run(seed);
        output.WriteLine($"injected flagged {outcome.InjectedFlaggedRate:P1} of {outcome.Injected}, honest flagged {outcome.HonestFlaggedRate:P1} of {outcome.Honest}");

        Assert.True(outcome.InjectedFlaggedRate >= 0.90, $"injected flagged {outcome.InjectedFlaggedRate:P1}");
        Assert.True(outcome.HonestFlaggedRate <= 0.02, $"honest flagged {outcome.HonestFlaggedRate:P1}");
    }
}
