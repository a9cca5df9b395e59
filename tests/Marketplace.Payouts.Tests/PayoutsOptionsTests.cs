using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Marketplace.Payouts.Tests;

public class PayoutsOptionsTests
{
    [Fact]
    public void Defaults_AreAWeekOfHoldAWeeklyRunAndValid()
    {
        var options = new PayoutsOptions();

        Assert.Equal(TimeSpan.FromDays(7), options.HoldFor(null));
        Assert.Equal("0 6 * * 1", options.PayoutCron);
        Assert.True(new PayoutsOptionsValidator().Validate(null, options).Succeeded);
    }

    [Theory]
    [InlineData("Payouts:HoldDays", "-1", "Payouts:HoldDays")]
    [InlineData("Payouts:HoldDaysByTier:Gold", "400", "Payouts:HoldDaysByTier:Gold")]
    [InlineData("Payouts:MinimumPayoutMinor", "0", "Payouts:MinimumPayoutMinor")]
    [InlineData("Payouts:PlatformFeeBasisPoints", "10001", "Payouts:PlatformFeeBasisPoints")]
    [InlineData("Payouts:PayoutCron", "weekly", "Payouts:PayoutCron")]
    [InlineData("Stripe:MaxRequestsPerSecond", "500", "Stripe:MaxRequestsPerSecond")]
    [InlineData("Stripe:SecretKey", "sk_test_x", "Stripe:WebhookSecret")]
    public void AddPayouts_ValidatesOnStart_NamingTheSetting(string key, string value, string named)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();
        using var services = new ServiceCollection().AddLogging().AddPayouts(configuration).BuildServiceProvider();

        var failure = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(named, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddPayouts_WithoutAStripeKey_UsesTheDryRunGateway()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Payouts:HoldDaysByTier:Gold"] = "2" }).Build();
        using var services = new ServiceCollection().AddLogging().AddPayouts(configuration).BuildServiceProvider();

        services.GetRequiredService<IStartupValidator>().Validate();

        Assert.IsType<DryRunPaymentsGateway>(services.GetRequiredService<IPaymentsGateway>());
        Assert.Equal(TimeSpan.FromDays(2), services.GetRequiredService<IOptions<PayoutsOptions>>().Value.HoldFor("gold"));
    }
}
