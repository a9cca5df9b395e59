using Marketplace.Scoring.Aggregation;

namespace Marketplace.Scoring.Tests;

public class RankingAndSpatialTests
{
    [Fact]
    public void BradleyTerry_ThreeWinsToOne_GivesStrengthRatioThree()
    {
        var comparisons = new[] { new PairwiseComparison("a", "b"), new("a", "b"), new("a", "b"), new("b", "a") };

        // With a negligible prior the MLE is s_a / s_b = wins ratio = 3.
        var ranked = BradleyTerry.Rank(comparisons, priorGames: 1e-9);

        Assert.Equal(["a", "b"], ranked.Select(r => r.Option));
        Assert.Equal(3.0, ranked[0].Strength / ranked[1].Strength, 4);
        Assert.Equal(1.0, ranked[0].Strength * ranked[1].Strength, 9);
    }

    [Fact]
    public void BradleyTerry_UndefeatedOption_StaysFiniteAndRanksFirst()
    {
        var comparisons = new[] { new PairwiseComparison("c", "b"), new("b", "a"), new("c", "a"), new("a", "a") };

        var ranked = BradleyTerry.Rank(comparisons);

        Assert.Equal(["c", "b", "a"], ranked.Select(r => r.Option));
        Assert.All(ranked, r => Assert.True(double.IsFinite(r.Strength) && r.Strength > 0));
        Assert.Equal(2, ranked[0].Comparisons);
    }

    [Fact]
    public void BradleyTerry_OnNoComparisons_ReturnsEmpty() => Assert.Empty(BradleyTerry.Rank([]));

    [Theory]
    [InlineData(0, 0, 2, 2, 1, 1, 3, 3, 1.0 / 7.0)]
    [InlineData(0, 0, 2, 2, 0, 0, 2, 2, 1.0)]
    [InlineData(0, 0, 1, 1, 2, 2, 3, 3, 0.0)]
    [InlineData(0, 0, 4, 2, 2, 0, 4, 2, 0.5)]
    public void Iou_MatchesHandComputedValues(double ax1, double ay1, double ax2, double ay2, double bx1, double by1, double bx2, double by2, double expected)
    {
        var a = new BoxAnnotation("i", "w1", "car", ax1, ay1, ax2, ay2);
        var b = new BoxAnnotation("i", "w2", "car", bx1, by1, bx2, by2);

        Assert.Equal(expected, SpatialConsensus.Iou(a, b), 12);
    }

    [Fact]
    public void Boxes_MatchedByMajority_GiveMedianBox_AndLoneBoxesAreDropped()
    {
        var boxes = new[]
        {
            new BoxAnnotation("img", "w1", "car", 10, 10, 50, 50),
            new BoxAnnotation("img", "w2", "car", 12, 8, 52, 48),
            new BoxAnnotation("img", "w3", "car", 9, 11, 49, 53),
            new BoxAnnotation("img", "w3", "car", 200, 200, 220, 220),
        };

        var consensus = Assert.Single(SpatialConsensus.Boxes(boxes));

        Assert.Equal((10.0, 10.0, 50.0, 50.0, 3), (consensus.X1, consensus.Y1, consensus.X2, consensus.Y2, consensus.Support));
    }

    [Fact]
    public void Spans_OverlappingMarks_GiveMedianSpan()
    {
        var spans = new[]
        {
            new SpanAnnotation("doc", "w1", "PER", 0, 10),
            new SpanAnnotation("doc", "w2", "PER", 1, 10),
            new SpanAnnotation("doc", "w3", "PER", 2, 11),
            new SpanAnnotation("doc", "w4", "PER", 40, 45),
        };

        var consensus = Assert.Single(SpatialConsensus.Spans(spans));

        Assert.Equal((1, 10, 3), (consensus.Start, consensus.End, consensus.Support));
        Assert.Equal(0.9, SpatialConsensus.SpanOverlap(spans[0], spans[1]), 12);
    }
}
