namespace Marketplace.Payouts.Tests;

public class MoneyTests
{
    [Theory]
    [InlineData(10_000, 1_500, 1_500)]   // 15% of 100.00 = 15.00
    [InlineData(333, 1_500, 50)]         // 49.95 rounds half away from zero to 50
    [InlineData(1, 5_000, 1)]            // 0.5 rounds up to 1
    [InlineData(-333, 1_500, -50)]
    public void PercentOf_RoundsHalfAwayFromZero(long amount, int basisPoints, long expected)
    {
        Assert.Equal(expected, new Money(amount, "USD").PercentOf(basisPoints).MinorUnits);
    }

    [Fact]
    public void Add_DifferentCurrencies_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => new Money(1, "USD") + new Money(1, "EUR"));
    }

    [Fact]
    public void Add_Overflow_ThrowsRatherThanWrapping()
    {
        Assert.Throws<OverflowException>(() => new Money(long.MaxValue, "USD") + new Money(1, "USD"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("US")]
    [InlineData("US1")]
    public void Constructor_RejectsMalformedCurrency(string currency)
    {
        Assert.Throws<ArgumentException>(() => new Money(1, currency));
    }

    [Theory]
    [InlineData(123_456, "usd", "1,234.56 USD")]
    [InlineData(500, "JPY", "500 JPY")]
    [InlineData(1_234, "KWD", "1.234 KWD")]
    public void ToString_UsesTheCurrencysMinorDigits(long amount, string currency, string expected)
    {
        Assert.Equal(expected, new Money(amount, currency).ToString());
    }
}
