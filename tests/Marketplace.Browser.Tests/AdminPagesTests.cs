using Marketplace.Web.Domain;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Marketplace.Browser.Tests;

/// <summary>An admin in Chromium: the overview's charts draw from the API, and the audit log filters.</summary>
public sealed class AdminPagesTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const string Password = "a long enough passphrase";

    [Fact]
    public async Task Admin_SeesThePoolChartsDrawn_AndFiltersTheAuditLog()
    {
        var email = $"admin-{Guid.NewGuid():N}@example.test";
        await using (var scope = fixture.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var admin = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = "Admin", CreatedAt = DateTime.UtcNow };
            Assert.True((await users.CreateAsync(admin, Password)).Succeeded);
            Assert.True((await users.AddToRoleAsync(admin, Roles.Admin)).Succeeded);
        }

        await using var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = fixture.BaseUrl });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/Account/SignIn");
        await page.FillAsync("#Input_Email", email);
        await page.FillAsync("#Input_Password", Password);
        await page.ClickAsync("button:has-text('Sign in')");
        await page.WaitForURLAsync("**/Admin");

        // Chart.js is served from the npm copy and draws all five charts from /api/admin/charts.
        await page.Locator("[data-testid=charts][data-ready=true]").WaitForAsync();
        Assert.Equal("30", await page.GetAttributeAsync("#chart-labels", "data-points"));
        Assert.Equal("20", await page.GetAttributeAsync("#chart-accuracy", "data-points"));
        Assert.Equal("12", await page.GetAttributeAsync("#chart-payouts", "data-points"));
        Assert.Equal("30", await page.GetAttributeAsync("#chart-cases", "data-points"));
        Assert.Equal(0, await page.Locator("[data-testid=charts] .error").CountAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ArtifactsFolder, "admin-overview.png"), FullPage = true });

        // The nav reaches the audit log; filtering by an action prefix narrows it and keeps the export link in step.
        await page.ClickAsync(".admin-nav a:has-text('Audit log')");
        await page.WaitForURLAsync("**/Admin/Audit");
        await page.FillAsync("input[name=action]", "payout-run.");
        await page.ClickAsync("button:has-text('Filter')");
        await page.WaitForURLAsync("**/Admin/Audit?*action=payout-run.*");
        Assert.Contains("action=payout-run.", await page.GetAttributeAsync("[data-testid=audit-export]", "href"), StringComparison.Ordinal);
    }
}
