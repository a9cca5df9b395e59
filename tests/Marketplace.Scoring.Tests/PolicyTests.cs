using Marketplace.Scoring.Economics;
using Marketplace.Scoring.Quality;
using Marketplace.Scoring.Redundancy;

namespace Marketplace.Scoring.Tests;

public class PolicyTests
{
    private static readonly string[] YesNo = ["no", "yes"];

    [Theory]
    // Two agreeing votes at 0.9: 0.81 / (0.81 + 0.01).
    [InlineData(new[] { "yes", "yes" }, 0.9, "yes", 0.81 / 0.82)]
    // Disagreeing equal voters cancel: with as many votes each, the tie goes to the lowest class ordinal.
    [InlineData(new[] { "yes", "no" }, 0.8, "no", 0.5)]
    // Votes at accuracy 0.5 carry no information and leave the posterior flat: the tie goes to the most votes.
    [InlineData(new[] { "yes", "yes" }, 0.5, "yes", 0.5)]
    [InlineData(new[] { "no", "yes", "yes" }, 0.5, "yes", 0.5)]
    [InlineData(new[] { "yes" }, 0.7, "yes", 0.7)]
    public void Posterior_OneCoinVotes_MatchesHandComputedBayes(string[] answers, double accuracy, string top, double confidence)
    {
        var votes = answers.Select((a, i) => new ItemVote($"w{i}", a, accuracy)).ToList();

        var decision = RedundancyPolicy.Decide(YesNo, votes, new RedundancyOptions(0.99, 1, 10));

        Assert.Equal(top, decision.Answer);
        Assert.Equal(confidence, decision.Confidence, 12);
    }

    [Fact]
    public void Decide_WhenTargetReached_FinishesAndSaysWhy()
    {
        var votes = new[] { new ItemVote("a", "yes", 0.9), new ItemVote("b", "yes", 0.9) };

        var decision = RedundancyPolicy.Decide(YesNo, votes, new RedundancyOptions(0.95, 1, 10));

        Assert.True(decision.Finished);
        Assert.Equal("confidence 0.988 reached target 0.950", decision.Reason);
    }

    [Fact]
    public void Decide_AtRedundancyCap_FinishesEvenWhenUnsure()
    {
        var votes = new[] { new ItemVote("a", "yes", 0.6), new ItemVote("b", "no", 0.6) };

        var decision = RedundancyPolicy.Decide(YesNo, votes, new RedundancyOptions(0.95, 1, 2));

        Assert.True(decision.Finished);
        Assert.Equal("redundancy cap of 2 labels reached", decision.Reason);
    }

    [Fact]
    public void Decide_BelowMinimumLabels_KeepsTheItemOpen()
    {
        var decision = RedundancyPolicy.Decide(YesNo, [new ItemVote("a", "yes", 0.99)], new RedundancyOptions(0.95, 2, 5));

        Assert.False(decision.Finished);
    }

    [Fact]
    public void Decide_UsesConfusionWhenGiven_AndIgnoresUnknownAnswers()
    {
        // A contributor who says "yes" 80% of the time whatever the truth tells us nothing.
        var spammer = new ItemVote("s", "yes", 0.99, [0.2, 0.8, 0.2, 0.8]);

        var decision = RedundancyPolicy.Decide(YesNo, [spammer, new ItemVote("x", "maybe", 0.9)], new RedundancyOptions());

        Assert.Equal(0.5, decision.Confidence, 12);
        Assert.False(decision.Finished);
    }

    [Fact]
    public void Prioritize_PutsLeastConfidentThenLeastLabelledFirst()
    {
        var ranked = RedundancyPolicy.Prioritize([new("c", 0.9, 1), new("b", 0.6, 3), new("a", 0.6, 3), new("d", 0.6, 2), new("e", double.NaN, 0)]);

        Assert.Equal(["e", "d", "a", "b", "c"], ranked.Select(r => r.Item));
    }

    [Theory]
    // Uniform prior: width 0.95 → the maximum rate.
    [InlineData(0, 0, 0.30)]
    // Beta(201, 1): interval width ≈ 0.018, below the tight width → the minimum rate.
    [InlineData(200, 0, 0.02)]
    public void GoldRate_IsHighWhileWideAndLowOnceTight(int correct, int wrong, double expected)
    {
        Assert.Equal(expected, GoldRate.For(BetaPosterior.From(correct, wrong, BetaPrior.Uniform)), 12);
    }

    [Fact]
    public void GoldRate_ForContributor_IsHigherWhileUncertain_ScaledByTier_AndZeroWhenTheJobOptsOut()
    {
        var fresh = BetaPosterior.From(0, 0, BetaPrior.Uniform);
        var known = BetaPosterior.From(450, 50, BetaPrior.Uniform);

        Assert.Equal(0.3, GoldRate.ForContributor(0.05, fresh), 3);
        Assert.InRange(GoldRate.ForContributor(0.05, known), 0.05, 0.06);
        Assert.Equal(0.15, GoldRate.ForContributor(0.05, fresh, tierFactor: 0.5), 3); // a tier's gold-rate factor scales it
        Assert.Equal(0.4, GoldRate.ForContributor(0.4, fresh), 3); // a job asking for more than 0.3 gets its own rate
        Assert.Equal(1, GoldRate.ForContributor(0.4, fresh, tierFactor: 10)); // never above 1
        Assert.Equal(0, GoldRate.ForContributor(0, fresh));
    }

    [Fact]
    public void GoldRate_InBetween_IsLinearInIntervalWidth()
    {
        var posterior = BetaPosterior.From(8, 2, BetaPrior.Uniform);
        var expected = 0.02 + (0.28 * (posterior.Width95 - 0.10) / 0.85);

        Assert.Equal(expected, GoldRate.For(posterior), 12);
        Assert.InRange(GoldRate.For(posterior, new GoldRateOptions(MinRate: 0.5, MaxRate: 0.1)), 0.1, 0.5);
    }

    private static TierPolicy Tiers() => new(
    [
        new TierDefinition("Gold", 50, 0.85, 1.5m, ["all"]),
        new TierDefinition("Bronze", 10, 0.60, 1.0m, ["basic"]),
        new TierDefinition("Silver", 20, 0.75, 1.2m, ["basic", "medical"]),
    ]);

    [Fact]
    public void Tier_WithTooFewGold_SaysHowManyMoreAreNeeded()
    {
        var decision = Tiers().Evaluate(BetaPosterior.From(8, 0, BetaPrior.Uniform), null);

        Assert.Null(decision.Tier);
        Assert.False(decision.Changed);
        Assert.Equal("no tier; for Bronze: needs 2 more gold answers", decision.Reason);
    }

    [Fact]
    public void Tier_WithLowLowerBound_NamesTheBoundAndThreshold()
    {
        // Beta(41, 6): lower bound about 0.76; Silver needs 0.75, Gold needs 0.85 and 50 gold answers.
        var posterior = BetaPosterior.From(40, 5, BetaPrior.Uniform);

        var decision = Tiers().Evaluate(posterior, "Bronze");

        Assert.Equal("Silver", decision.Tier!.Name);
        Assert.True(decision.Changed);
        Assert.Equal($"tier Silver; for Gold: needs 5 more gold answers, accuracy lower bound {posterior.LowerBound95:0.00} < 0.85", decision.Reason);
    }

    [Fact]
    public void Tier_JustBelowThreshold_KeepsCurrentTierButDoesNotPromoteIntoIt()
    {
        // The first record with 5 misses whose lower bound sits between 0.75 - 0.02 and 0.75.
        var posterior = Enumerable.Range(20, 200)
            .Select(correct => BetaPosterior.From(correct, 5, BetaPrior.Uniform))
            .First(p => p.LowerBound95 is > 0.735 and < 0.745);

        Assert.Equal("Silver", Tiers().Evaluate(posterior, "Silver").Tier!.Name);
        Assert.Equal("Bronze", Tiers().Evaluate(posterior, "Bronze").Tier!.Name);
    }

    [Fact]
    public void Tier_WithNoTiersDefined_GivesNoTierAndSaysSo()
    {
        var decision = new TierPolicy([]).Evaluate(BetaPosterior.From(10, 0, BetaPrior.Uniform), "Gold");

        Assert.Null(decision.Tier);
        Assert.True(decision.Changed);
        Assert.Equal("no tiers are defined", decision.Reason);
    }

    [Fact]
    public void GoldRate_ForDefaultPosterior_TreatsItAsUniformPrior()
    {
        Assert.Equal(0.30, GoldRate.For(default), 12);
        Assert.Equal(0.5, default(BetaPosterior).Mean, 12);
    }

    [Fact]
    public void Quote_WithAccuratePool_NeedsFewLabelsAndReachesTarget()
    {
        var quote = JobEconomics.Quote(new QuoteRequest(1000, 2, 0.95, 5, 12, [0.9, 0.92, 0.95]), seed: 1);

        // Two agreeing labels at ≥ 0.9 exceed 0.95; one label never does, so about 2 labels per item.
        Assert.InRange(quote.ExpectedLabelsPerItem, 2.0, 2.5);
        Assert.InRange(quote.ExpectedAccuracy, 0.95, 1.0);
        Assert.Equal(quote.ExpectedLabels * 12, quote.ExpectedCostMinor);
        Assert.Equal(quote, JobEconomics.Quote(new QuoteRequest(1000, 2, 0.95, 5, 12, [0.9, 0.92, 0.95]), seed: 1));
    }

    [Fact]
    public void Quote_WithEmptyPool_ExpectsTheCapAndSaysSo()
    {
        var quote = JobEconomics.Quote(new QuoteRequest(10, 2, 0.95, 3, 100, []), seed: 1);

        Assert.Equal(3.0, quote.ExpectedLabelsPerItem, 12);
        Assert.Contains("no pool accuracies", quote.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void CostPerCorrectLabel_DividesSpendByExpectedCorrectItems()
    {
        var items = new[]
        {
            new Aggregation.ItemConsensus("a", "x", 0.9, [0.9, 0.1], 3),
            new Aggregation.ItemConsensus("b", "x", 0.6, [0.6, 0.4], 3),
        };

        Assert.Equal(1500 / 1.5, JobEconomics.CostPerCorrectLabel(1500, items)!.Value, 12);
        Assert.Null(JobEconomics.CostPerCorrectLabel(1500, []));
        Assert.Equal(500, JobEconomics.CostPerCorrectLabel(1500, 3));
    }
}
