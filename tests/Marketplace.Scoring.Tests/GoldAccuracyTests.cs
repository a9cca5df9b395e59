using Marketplace.Scoring.Quality;

namespace Marketplace.Scoring.Tests;

public class GoldAccuracyTests
{
    [Fact]
    public void Estimate_GroupsByContributorTaskTypeAndSkill_AndRollsSkillsUpToTaskType()
    {
        var results = new[]
        {
            new GoldResult("ann", "image", "birds", "1", "1"),
            new GoldResult("ann", "image", "birds", "0", "1"),
            new GoldResult("ann", "image", "cars", "1", "1"),
            new GoldResult("bob", "text", null, "a", "a"),
        };

        var estimates = GoldAccuracy.Estimate(results, BetaPrior.Uniform);

        Assert.Equal(
            ["ann/image/-: 2+1", "ann/image/birds: 1+1", "ann/image/cars: 1+0", "bob/text/-: 1+0"],
            estimates.Select(e => $"{e.Contributor}/{e.TaskType}/{e.Skill ?? "-"}: {e.Posterior.Correct}+{e.Posterior.Wrong}"));
        Assert.Equal(3.0 / 5.0, estimates[0].Mean, 12);
    }

    [Fact]
    public void Estimate_WithPrior_AddsPseudoCounts()
    {
        var results = Enumerable.Repeat(new GoldResult("ann", "t", null, "x", "x"), 8)
            .Concat(Enumerable.Repeat(new GoldResult("ann", "t", null, "y", "x"), 2));

        var estimate = Assert.Single(GoldAccuracy.Estimate(results, new BetaPrior(4, 1)));

        Assert.Equal(12.0 / 15.0, estimate.Mean, 12);
    }

    [Fact]
    public void Confusion_CountsTrueByGiven_AndSkipsUnknownClasses()
    {
        string[] classes = ["a", "b", "c"];
        var results = new[]
        {
            new GoldResult("ann", "t", null, "a", "a"),
            new GoldResult("ann", "t", null, "b", "a"),
            new GoldResult("ann", "t", null, "c", "c"),
            new GoldResult("ann", "t", null, "zzz", "c"),
            new GoldResult("bob", "t", null, "q", "q"),
        };

        var confusion = GoldAccuracy.Confusion(results, classes);

        Assert.Equal([1, 1, 0, 0, 0, 0, 0, 0, 1], confusion[0].Counts);
        Assert.Equal(new int[9], confusion[1].Counts);
        var p = confusion[1].Probabilities();
        Assert.All(p, v => Assert.Equal(1.0 / 3.0, v, 12));
        Assert.Equal(2.0 / 5.0, confusion[0].Probabilities()[0], 12);
    }
}
