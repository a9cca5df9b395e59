using Marketplace.Testing;
using Marketplace.Web.Data;
using Marketplace.Web.Domain;
using Marketplace.Web.Fraud;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Marketplace.Browser.Tests;

/// <summary>An admin in Chromium: opens the case the scan raised, reads its evidence, and suspends the contributor with a reason.</summary>
public sealed class FraudCasePagesTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const string Password = "a long enough passphrase";

    [Fact]
    public async Task Admin_OpensACase_SeesTheEvidence_AndSuspendsWithAReason()
    {
        var speeder = await SpeederWithACaseAsync();
        var adminEmail = await UserAsync(Roles.Admin);
        await using var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = fixture.BaseUrl });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/Account/SignIn");
        await page.FillAsync("#Input_Email", adminEmail);
        await page.FillAsync("#Input_Password", Password);
        await page.ClickAsync("button:has-text('Sign in')");
        await page.WaitForURLAsync("**/Admin");

        await page.GotoAsync("/Admin/Cases");
        await page.ClickAsync("nav.admin-nav >> text=Fraud cases"); // the console's own link back to this list
        await page.WaitForURLAsync("**/Admin/Cases");
        var caseId = await WithDbAsync(db => db.Set<FraudCase>().Where(c => c.ContributorId == speeder.UserId && c.Kind == FraudCaseKind.TooFast).Select(c => c.Id).SingleAsync());
        await page.ClickAsync($"[data-testid=case-{caseId}]");
        await page.WaitForURLAsync($"**/Admin/Cases/{caseId}");

        Assert.Equal("Open", await page.InnerTextAsync("[data-testid=case-status]"));
        Assert.Equal(speeder.Pseudonym, await page.InnerTextAsync("[data-testid=case-contributor]"));
        Assert.Contains("6 of the last 6 answers under the 2 s floor", await page.InnerTextAsync("[data-testid=case-signal]"), StringComparison.Ordinal);
        Assert.Equal(6, await page.Locator("[data-testid=answers] tbody tr").CountAsync());
        Assert.Contains("cat", await page.InnerTextAsync("[data-testid=answers] tbody tr >> nth=0"), StringComparison.Ordinal);
        Assert.Equal("active", await page.InnerTextAsync("[data-testid=case-standing]"));

        // Without a reason the decision is refused, and the form says which field.
        await page.SelectOptionAsync("#Input_Action", "suspend");
        await page.ClickAsync("[data-testid=case-submit]");
        Assert.Contains("Say why", await page.InnerTextAsync("[data-valmsg-for='Input.Reason']"), StringComparison.Ordinal);

        await page.SelectOptionAsync("#Input_Action", "suspend");
        await page.FillAsync("#Input_Reason", "Six answers in under two seconds each.");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ArtifactsFolder, "fraud-case.png"), FullPage = true });
        await page.ClickAsync("[data-testid=case-submit]");
        await page.Locator("[data-testid=done]").WaitForAsync();

        Assert.Equal("Suspended", await page.InnerTextAsync("[data-testid=case-status]"));
        Assert.StartsWith("suspended since", await page.InnerTextAsync("[data-testid=case-standing]"), StringComparison.Ordinal);
        Assert.Contains("Suspend by", await page.InnerTextAsync("[data-testid=history]"), StringComparison.Ordinal);
        Assert.Contains("Six answers in under two seconds each.", await page.InnerTextAsync("[data-testid=history]"), StringComparison.Ordinal);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ArtifactsFolder, "fraud-case-suspended.png"), FullPage = true });
        Assert.NotNull(await WithDbAsync(db => db.ContributorProfiles.Where(p => p.UserId == speeder.UserId).Select(p => p.SuspendedAt).SingleAsync()));
    }

    /// <summary>A contributor who answered six tasks in no time, and the scan that opened a case about it.</summary>
    private async Task<ContributorProfile> SpeederWithACaseAsync()
    {
        var arrange = new MarketArrangement(fixture.Services, TimeProvider.System);
        var speeder = await arrange.ContributorAsync();
        var job = await arrange.JobAsync(new JobSetup { Items = 8, Redundancy = 1, BudgetMinor = 10_000, Title = $"Speed {Guid.NewGuid():N}"[..16] });
        for (var i = 0; i < 6; i++)
        {
            await arrange.LabelAsync(speeder, job.Id, "cat");
        }

        await using (var scanning = fixture.Services.CreateAsyncScope())
        {
            await scanning.ServiceProvider.GetRequiredService<FraudScan>().RunAsync(CancellationToken.None);
        }

        return await WithDbAsync(db => db.ContributorProfiles.AsNoTracking().SingleAsync(p => p.UserId == speeder));
    }

    private async Task<string> UserAsync(string role) =>
        (await new MarketArrangement(fixture.Services, TimeProvider.System).UserAsync(role, password: Password)).Email!;

    private async Task<T> WithDbAsync<T>(Func<MarketplaceDbContext, Task<T>> work)
    {
        await using var scope = fixture.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<MarketplaceDbContext>());
    }
}
