using Marketplace.Scoring.Quality;

namespace Marketplace.Scoring.Tests;

public class BetaPosteriorTests
{
    [Theory]
    [InlineData(8, 2, 1.0, 1.0, 0.75)]
    [InlineData(0, 0, 1.0, 1.0, 0.5)]
    [InlineData(9, 1, 2.0, 2.0, 11.0 / 14.0)]
    [InlineData(0, 5, 1.0, 1.0, 1.0 / 7.0)]
    public void Mean_IsAlphaOverAlphaPlusBeta(int correct, int wrong, double a, double b, double expected)
    {
        var posterior = BetaPosterior.From(correct, wrong, new BetaPrior(a, b));

        Assert.Equal(expected, posterior.Mean, 12);
    }

    // Closed forms: Beta(1,1) is uniform; Beta(2,1) has CDF x², Beta(1,2) has CDF 1-(1-x)².
    [Theory]
    [InlineData(0, 0, 0.025)]
    [InlineData(1, 0, 0.158113883008419)]
    [InlineData(0, 1, 0.012579117093425)]
    public void LowerBound95_MatchesClosedFormQuantile(int correct, int wrong, double expected)
    {
        var posterior = BetaPosterior.From(correct, wrong, BetaPrior.Uniform);

        Assert.Equal(expected, posterior.LowerBound95, 9);
    }

    // Independent route: for integer a, b the Beta CDF is a binomial tail, I_x(a,b) = Σ_{j=a}^{a+b-1} C(a+b-1, j) x^j (1-x)^(a+b-1-j); invert by bisection.
    [Theory]
    [InlineData(8, 2)]
    [InlineData(40, 3)]
    [InlineData(3, 12)]
    [InlineData(100, 0)]
    public void LowerBound95_AgreesWithBinomialTailBisection(int correct, int wrong)
    {
        var posterior = BetaPosterior.From(correct, wrong, BetaPrior.Uniform);

        var expected = Bisect(x => BetaCdfInteger(correct + 1, wrong + 1, x), 0.025);
        Assert.Equal(expected, posterior.LowerBound95, 8);
        Assert.Equal(Bisect(x => BetaCdfInteger(correct + 1, wrong + 1, x), 0.975), posterior.UpperBound95, 8);
    }

    [Fact]
    public void Beta9And3_HasMeanThreeQuartersAndLowerBoundNearPoint48()
    {
        var posterior = BetaPosterior.From(8, 2, BetaPrior.Uniform);

        Assert.Equal(9, posterior.Alpha);
        Assert.Equal(3, posterior.Beta);
        Assert.Equal(0.75, posterior.Mean, 12);
        // 0.4822 also read off a Beta(9,3) table; the bisection test pins more digits.
        Assert.InRange(posterior.LowerBound95, 0.4821, 0.4824);
    }

    [Theory]
    [InlineData(-3, -1, 0.0, -2.0)]
    [InlineData(2, 2, double.NaN, double.PositiveInfinity)]
    public void From_WithBadCountsOrPrior_GivesAProperDistribution(int correct, int wrong, double a, double b)
    {
        var posterior = BetaPosterior.From(correct, wrong, new BetaPrior(a, b));

        Assert.True(double.IsFinite(posterior.Mean));
        Assert.True(double.IsFinite(posterior.LowerBound95));
        Assert.InRange(posterior.LowerBound95, 0, posterior.Mean);
    }

    private static double BetaCdfInteger(int a, int b, double x)
    {
        var n = a + b - 1;
        double sum = 0;
        for (var j = a; j <= n; j++)
        {
            sum += Choose(n, j) * Math.Pow(x, j) * Math.Pow(1 - x, n - j);
        }

        return sum;
    }

    private static double Choose(int n, int k)
    {
        double r = 1;
        for (var i = 1; i <= k; i++)
        {
            r = r * (n - k + i) / i;
        }

        return r;
    }

    private static double Bisect(Func<double, double> cdf, double p)
    {
        double lo = 0, hi = 1;
        for (var i = 0; i < 200; i++)
        {
            var mid = (lo + hi) / 2;
            if (cdf(mid) < p)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }

        return (lo + hi) / 2;
    }
}
