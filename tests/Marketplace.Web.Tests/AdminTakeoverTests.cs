using System.Net;
using System.Net.Http.Headers;
using Marketplace.Web.Cli;
using Marketplace.Web.Domain;
using Marketplace.Web.Identity;
using Marketplace.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;

namespace Marketplace.Web.Tests;

/// <summary>
/// Issue #20, finding 3: anyone may sign up with the address an operator later names as admin. Neither
/// <c>create-admin</c> nor <c>Bootstrap:AdminEmail</c> may then hand that account, with its registrant's password,
/// sessions and tokens, the admin role.
/// </summary>
public abstract class AdminTakeoverTests(MarketplaceAppFactory app)
{
    private const string OperatorPassword = "the operator's own passphrase";

    [Fact]
    public async Task CreateAdmin_ForAnAddressSomeoneRegistered_RefusesAndChangesNothing()
    {
        var squatter = await SquatterAsync();

        var (code, _, error) = await CreateAdminAsync("--email", squatter.User.Email!);

        Assert.Equal(1, code);
        Assert.Contains(CommandLine.PromoteExisting, error, StringComparison.Ordinal);
        Assert.False(await IsAdminAsync(squatter.User.Id));
        app.Clock.Advance(IdentityRegistrations.SessionRecheckInterval + TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.Redirect, (await squatter.Session.Client.GetAsync("/Admin")).StatusCode);
        Assert.Equal("/Buyer", (await new BrowserSession(app.CreateBrowserClient()).SignInAsync(squatter.User.Email!)).Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task CreateAdmin_PromoteExisting_ResetsThePassword_EndsTheSessions_AndRevokesTheTokens()
    {
        var squatter = await SquatterAsync();

        var (code, output, _) = await CreateAdminAsync("--email", squatter.User.Email!, CommandLine.PromoteExisting);

        Assert.Equal(0, code);
        Assert.Contains("is now an admin", output, StringComparison.Ordinal);
        Assert.True(await IsAdminAsync(squatter.User.Id));
        Assert.Equal(HttpStatusCode.OK, (await new BrowserSession(app.CreateBrowserClient()).SignInAsync(squatter.User.Email!)).StatusCode); // their password: refused
        Assert.Equal(HttpStatusCode.Unauthorized, (await squatter.Api.GetAsync("/api/account/me")).StatusCode);
        app.Clock.Advance(IdentityRegistrations.SessionRecheckInterval + TimeSpan.FromSeconds(30));
        var session = await squatter.Session.Client.GetAsync("/Admin");
        Assert.Equal(HttpStatusCode.Redirect, session.StatusCode);
        Assert.Contains("/Account/SignIn", session.Headers.Location!.OriginalString, StringComparison.Ordinal); // signed out, not merely refused
        var owner = new BrowserSession(app.CreateBrowserClient());
        Assert.Equal("/Admin", (await owner.SignInAsync(squatter.User.Email!, OperatorPassword)).Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await owner.Client.GetAsync("/Admin")).StatusCode);
    }

    [Fact]
    public async Task CreateAdmin_ForANewAddress_CreatesAConfirmedAdmin()
    {
        var email = BrowserSession.NewEmail("admin");

        var (code, output, _) = await CreateAdminAsync("--email", email);

        Assert.Equal((0, $"Created admin {email}."), (code, output.Trim()));
        Assert.Equal("/Admin", (await new BrowserSession(app.CreateBrowserClient()).SignInAsync(email, OperatorPassword)).Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task BootstrapAdmin_AtStartUp_CreatesANewAdmin_ButNeverPromotesAnExistingAccount()
    {
        var squatter = await SquatterAsync();
        var fresh = BrowserSession.NewEmail("first-admin");

        await StartWithBootstrapAsync(fresh);
        await StartWithBootstrapAsync(squatter.User.Email!);

        Assert.Equal("/Admin", (await new BrowserSession(app.CreateBrowserClient()).SignInAsync(fresh, OperatorPassword)).Headers.Location?.OriginalString);
        Assert.False(await IsAdminAsync(squatter.User.Id));
        Assert.Equal(HttpStatusCode.OK, (await new BrowserSession(app.CreateBrowserClient()).SignInAsync(squatter.User.Email!, OperatorPassword)).StatusCode);
    }

    /// <summary>Someone who registered an address before the operator named it: signed in, with an API token.</summary>
    private async Task<Squatter> SquatterAsync()
    {
        var user = await app.CreateUserAsync(Roles.Buyer, await app.CreateOrganizationAsync(), BrowserSession.Password);
        var session = new BrowserSession(app.CreateBrowserClient());
        Assert.Equal(HttpStatusCode.Redirect, (await session.SignInAsync(user.Email!)).StatusCode);
        var api = app.CreateClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await app.CreateApiTokenAsync(user.Id));
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/account/me")).StatusCode);
        return new Squatter(user, session, api);
    }

    /// <summary>Runs <c>create-admin</c> as the command line does, the password given in MARKETPLACE_ADMIN_PASSWORD.</summary>
    private async Task<(int Code, string Out, string Error)> CreateAdminAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var console = new CommandConsole(output, error, new StringReader(""), name => name == "MARKETPLACE_ADMIN_PASSWORD" ? OperatorPassword : null);
        var code = await CommandLine.RunAsync(app.Services, ["create-admin", .. args], console, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>Starts the app again on the same database with <c>Bootstrap:AdminEmail</c> set, and stops it.</summary>
    private async Task StartWithBootstrapAsync(string email)
    {
        await using var restarted = app.WithWebHostBuilder(b => b.UseSetting("Bootstrap:AdminEmail", email).UseSetting("Bootstrap:AdminPassword", OperatorPassword));
        using var client = restarted.CreateClient(); // the host starts, and its start-up tasks run, before this returns
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
    }

    private Task<bool> IsAdminAsync(string userId) => app.WithServiceAsync<UserManager<ApplicationUser>, bool>(async users =>
        await users.IsInRoleAsync((await users.FindByIdAsync(userId))!, Roles.Admin));

    private sealed record Squatter(ApplicationUser User, BrowserSession Session, HttpClient Api);
}

public sealed class SqliteAdminTakeoverTests(SqliteAppFactory app) : AdminTakeoverTests(app), IClassFixture<SqliteAppFactory>;

[Collection(PostgresCollection.Name)]
public sealed class PostgresAdminTakeoverTests(PostgresAppFactory app) : AdminTakeoverTests(app);
