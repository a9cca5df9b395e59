using System.Net;
using Marketplace.Web.Domain;
using Marketplace.Web.Identity;
using Marketplace.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests;

/// <summary>Account emails leave through real SMTP when it is configured, with links to the configured public address only.</summary>
public sealed class AccountEmailDeliveryTests(SqliteAppFactory app) : IClassFixture<SqliteAppFactory>
{
    private const string PublicUrl = "https://marketplace.example";

    [Fact]
    public async Task ResetLink_GoesOutBySmtp_AndPointsAtThePublicUrl_WhateverHostTheRequestNamed()
    {
        var user = await app.CreateUserAsync(Roles.Buyer, await app.CreateOrganizationAsync(), BrowserSession.Password);
        await using var smtp = new SmtpCatcher();
        await using var mailing = app.WithWebHostBuilder(b => b
            .UseSetting("Email:Smtp:Host", "127.0.0.1")
            .UseSetting("Email:Smtp:Port", smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .UseSetting("Email:Smtp:EnableSsl", "false")
            .UseSetting("Site:PublicBaseUrl", PublicUrl)
            .ConfigureTestServices(s => s.AddSingleton<IEmailSender, SmtpEmailSender>())); // the tests' capture replaced it: put it back
        var client = mailing.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        // A poisoned Host header, as someone asking for another person's reset would send to steal the link.
        client.DefaultRequestHeaders.Host = "attacker.example";

        var response = await new BrowserSession(client).ForgotPasswordAsync(user.Email!);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (headers, body) = await smtp.NextMessageAsync();
        Assert.Contains($"To: {user.Email}", headers, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Subject: Reset your password", headers, StringComparison.Ordinal);
        Assert.Contains($"{PublicUrl}/Account/ResetPassword?user={user.Id}&code=", body, StringComparison.Ordinal);
        Assert.DoesNotContain("attacker.example", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Smtp_WithoutAPublicUrl_StopsTheAppFromStarting()
    {
        await using var misconfigured = app.WithWebHostBuilder(b => b.UseSetting("Email:Smtp:Host", "127.0.0.1"));
        await using var configured = app.WithWebHostBuilder(b => b.UseSetting("Email:Smtp:Host", "127.0.0.1").UseSetting("Site:PublicBaseUrl", PublicUrl));

        // The host logs the OptionsValidationException and the factory reports it disposed; the same settings with the URL start.
        Assert.ThrowsAny<Exception>(() => misconfigured.CreateClient());
        Assert.Equal(HttpStatusCode.OK, (await configured.CreateClient().GetAsync("/health/live")).StatusCode);
    }
}
