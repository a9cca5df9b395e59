namespace Marketplace.Scoring.Tests;

public class SmokeTests
{
    [Fact]
    public void MathNet_InverseBeta_IsAvailable()
    {
        var x = MathNet.Numerics.Distributions.Beta.InvCDF(2, 2, 0.5);
        Assert.Equal(0.5, x, 6);
    }
}
