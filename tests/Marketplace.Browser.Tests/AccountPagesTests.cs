using Microsoft.Playwright;

namespace Marketplace.Browser.Tests;

public sealed class AccountPagesTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const string Password = "a long enough passphrase";

    [Fact]
    public async Task Contributor_SignsUpSignsOutAndSignsInAgain()
    {
        await using var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = fixture.BaseUrl });
        var page = await context.NewPageAsync();
        var email = $"ada-{Guid.NewGuid():N}@example.test";

        await page.GotoAsync("/");
        await page.ClickAsync("text=Sign up");
        await page.CheckAsync("input[value=Contributor]");
        await page.FillAsync("#Input_DisplayName", "Ada Lovelace");
        await page.FillAsync("#Input_Email", email);
        await page.FillAsync("#Input_Password", Password);
        await page.FillAsync("#Input_ConfirmPassword", Password);
        await page.ClickAsync("button:has-text('Create account')");
        await page.WaitForURLAsync("**/Account/CheckEmail");
        Assert.Equal("Check your email", await page.InnerTextAsync("h1"));
        await fixture.ConfirmAndSignInAsync(page, email, Password);

        await page.WaitForURLAsync("**/Work");
        Assert.Equal("Your work", await page.InnerTextAsync("h1"));
        Assert.StartsWith("C-", await page.InnerTextAsync("[data-testid=pseudonym]"), StringComparison.Ordinal);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ArtifactsFolder, "contributor-signed-up.png"), FullPage = true });

        await page.ClickAsync("button:has-text('Sign out')");
        await page.Locator("header a:has-text('Sign up')").WaitForAsync();
        Assert.Equal(0, await page.Locator("[data-testid=signed-in-as]").CountAsync());
        Assert.EndsWith("/", page.Url, StringComparison.Ordinal);

        await page.GotoAsync("/Account/SignIn");
        await page.FillAsync("#Input_Email", email);
        await page.FillAsync("#Input_Password", Password);
        await page.ClickAsync("button:has-text('Sign in')");

        await page.WaitForURLAsync("**/Work");
        Assert.Equal(email, await page.InnerTextAsync("[data-testid=signed-in-as]"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ArtifactsFolder, "contributor-signed-in.png"), FullPage = true });
    }

    [Fact]
    public async Task SignIn_WithAWrongPassword_SaysSoWithoutRevealingWhetherTheAccountExists()
    {
        await using var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = fixture.BaseUrl });
        var page = await context.NewPageAsync();

        await page.GotoAsync("/Account/SignIn");
        await page.FillAsync("#Input_Email", "nobody@example.test");
        await page.FillAsync("#Input_Password", "whatever it is");
        await page.ClickAsync("button:has-text('Sign in')");

        Assert.Contains("Email or password is wrong.", await page.InnerTextAsync("[data-testid=sign-in-errors]"), StringComparison.Ordinal);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ArtifactsFolder, "sign-in-error.png") });
    }
}
