using Marketplace.Testing;
using Marketplace.Web.Data;
using Marketplace.Web.Identity;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Marketplace.Browser.Tests;

/// <summary>
/// The real app on Kestrel at 127.0.0.1 (its own SQLite file) and Debian's Chromium driven by Playwright.
/// Playwright never downloads a browser here: it launches /usr/bin/chromium.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private readonly string _database = Path.Combine(Path.GetTempPath(), $"marketplace-browser-{Guid.NewGuid():N}.db");
    private WebApplicationFactory<Program>? _factory;
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public string BaseUrl { get; private set; } = "";

    /// <summary>Every email the app sends; sign-up's confirmation link is read from here.</summary>
    public CapturedEmails Emails { get; } = new();

    /// <summary>The app's services, for arranging what a test needs straight in its database.</summary>
    public IServiceProvider Services => _factory?.Services ?? throw new InvalidOperationException("The fixture has not started.");

    /// <summary>Screenshots are test artifacts: TestResults/screenshots beside the test project.</summary>
    public static string ArtifactsFolder { get; } = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "TestResults", "screenshots")).FullName;

    public async Task InitializeAsync()
    {
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Testing");
            b.UseUrls("http://127.0.0.1:0");
            b.UseSetting("Database:Provider", nameof(DatabaseProvider.Sqlite));
            b.UseSetting("ConnectionStrings:Marketplace", $"Data Source={_database};Pooling=False");
            b.ConfigureTestServices(services => services.AddSingleton<IEmailSender>(Emails));
        });
        _factory.UseKestrel();
        _factory.StartServer();
        var addresses = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        BaseUrl = addresses.Addresses.Single();

        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: run ./test.sh, which installs Debian's chromium package.");
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // This machine has no network beyond loopback: keep Chromium from trying.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        });
    }

    /// <summary>Sign-up as a person does it: the form, the emailed link, then sign-in.</summary>
    public async Task ConfirmAndSignInAsync(IPage page, string email, string password)
    {
        await page.WaitForURLAsync("**/Account/CheckEmail");
        await page.GotoAsync(CapturedEmails.LinkIn(await Emails.WaitForAsync(email, "Confirm your email")).ToString());
        await page.WaitForURLAsync("**/Account/SignIn?notice=confirmed");
        await page.FillAsync("#Input_Email", email);
        await page.FillAsync("#Input_Password", password);
        await page.ClickAsync("button:has-text('Sign in')");
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        foreach (var file in new[] { _database, _database + "-wal", _database + "-shm" })
        {
            File.Delete(file);
        }
    }
}
