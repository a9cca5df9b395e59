namespace Marketplace.Payouts.Tests;

public class StripeOptionsTests
{
    private readonly StripeOptionsValidator _validator = new();

    [Fact]
    public void NoKey_IsDryRunAndValid()
    {
        var options = new StripeOptions();
        Assert.True(options.IsDryRun);
        Assert.True(_validator.Validate(null, options).Succeeded);
    }

    [Theory]
    [InlineData("pk_test_123", "whsec_1", "Stripe:SecretKey")]
    [InlineData("sk_test_123", null, "Stripe:WebhookSecret")]
    [InlineData("sk_test_123", "secret", "Stripe:WebhookSecret")]
    public void BadKeys_FailNamingTheSetting(string key, string? webhookSecret, string setting)
    {
        var result = _validator.Validate(null, new StripeOptions { SecretKey = key, WebhookSecret = webhookSecret });
        Assert.True(result.Failed);
        Assert.Contains(setting, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void LiveConfiguration_IsValid()
    {
        var result = _validator.Validate(null, new StripeOptions { SecretKey = "sk_live_x", WebhookSecret = "whsec_y", PublishableKey = "pk_live_z" });
        Assert.True(result.Succeeded);
    }
}
