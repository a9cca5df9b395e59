using System.Net;
using Marketplace.Testing;
using Marketplace.Web.Domain;
using Marketplace.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Tests;

public abstract class AccountTests(MarketplaceAppFactory app)
{
    [Fact]
    public async Task SignUp_AsContributor_CreatesProfile_AndSignsInOnceTheEmailedLinkConfirmsTheAddress()
    {
        var browser = new BrowserSession(app.CreateBrowserClient());
        var email = BrowserSession.NewEmail("contributor");

        var response = await browser.SignUpAsync(Roles.Contributor, email);

        Assert.Equal("/Account/CheckEmail", response.Headers.Location?.OriginalString);
        var profile = await app.WithDbAsync(db => db.ContributorProfiles.Include(p => p.User).SingleAsync(p => p.User!.Email == email));
        Assert.StartsWith("C-", profile.Pseudonym, StringComparison.Ordinal);
        Assert.Null(profile.User!.OrganizationId);
        var unconfirmed = await browser.SignInAsync(email);
        Assert.Equal(HttpStatusCode.OK, unconfirmed.StatusCode);
        Assert.Contains("Confirm your email address first", await unconfirmed.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var link = CapturedEmails.LinkIn(await app.Emails.WaitForAsync(email, "Confirm your email"));
        var confirmed = await browser.Client.GetAsync(link.PathAndQuery);
        Assert.Equal("/Account/SignIn?notice=confirmed", confirmed.Headers.Location?.OriginalString);

        Assert.Equal("/Work", (await browser.SignInAsync(email)).Headers.Location?.OriginalString);
        Assert.Contains(email, await browser.Client.GetStringAsync("/Work"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignUp_AsBuyer_CreatesTheirOrganization()
    {
        var browser = new BrowserSession(app.CreateBrowserClient());
        var email = BrowserSession.NewEmail("buyer");
        var organization = $"Acme {Guid.NewGuid():N}";

        var response = await browser.SignUpAsync(Roles.Buyer, email, organization: organization);

        Assert.Equal("/Account/CheckEmail", response.Headers.Location?.OriginalString);
        var user = await app.WithDbAsync(db => db.Users.Include(u => u.Organization).SingleAsync(u => u.Email == email));
        Assert.Equal(organization, user.Organization?.Name);
        await browser.Client.GetAsync(CapturedEmails.LinkIn(await app.Emails.WaitForAsync(email, "Confirm your email")).PathAndQuery);
        Assert.Equal("/Buyer", (await browser.SignInAsync(email)).Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await browser.Client.GetAsync("/Buyer")).StatusCode);
    }

    [Fact]
    public async Task ConfirmEmail_WithAForgedCode_ConfirmsNothing()
    {
        var email = BrowserSession.NewEmail("forged");
        var browser = new BrowserSession(app.CreateBrowserClient());
        await browser.SignUpAsync(Roles.Contributor, email);
        var id = await app.WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());

        var response = await browser.Client.GetAsync($"/Account/ConfirmEmail?user={id}&code=forged");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("invalid or has expired", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(await app.WithDbAsync(db => db.Users.Where(u => u.Id == id).Select(u => u.EmailConfirmed).SingleAsync()));
    }

    [Fact]
    public async Task SignUp_WithBadFields_ShowsAnErrorOnEachFieldAndCreatesNothing()
    {
        var browser = new BrowserSession(app.CreateBrowserClient());

        var response = await browser.SignUpAsync(Roles.Buyer, "not-an-email", password: "short", confirm: "different", organization: "");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("That is not an email address.", html, StringComparison.Ordinal);
        Assert.Contains("Use 12 to 128 characters.", html, StringComparison.Ordinal);
        Assert.Contains("The passwords do not match.", html, StringComparison.Ordinal);
        Assert.Contains("Buyers belong to an organization", html, StringComparison.Ordinal);
        Assert.False(await app.WithDbAsync(db => db.Users.AnyAsync(u => u.Email == "not-an-email")));
    }

    [Fact]
    public async Task SignUp_WithoutAntiforgeryToken_IsRefused()
    {
        var client = app.CreateBrowserClient();
        var email = BrowserSession.NewEmail("csrf");

        var response = await client.PostAsync("/Account/SignUp", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Role"] = Roles.Contributor,
            ["Input.DisplayName"] = "Mallory",
            ["Input.Email"] = email,
            ["Input.Password"] = BrowserSession.Password,
            ["Input.ConfirmPassword"] = BrowserSession.Password,
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(await app.WithDbAsync(db => db.Users.AnyAsync(u => u.Email == email)));
    }

    [Fact]
    public async Task SignIn_AfterFiveWrongPasswords_LocksTheAccountEvenForTheRightOne()
    {
        var user = await app.CreateUserAsync(Roles.Contributor, password: BrowserSession.Password);
        var browser = new BrowserSession(app.CreateBrowserClient());

        for (var i = 0; i < 5; i++)
        {
            var wrong = await browser.SignInAsync(user.Email!, "wrong password " + i);
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        }

        var right = await browser.SignInAsync(user.Email!);
        var html = await right.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, right.StatusCode); // the form again, not a redirect into the app
        Assert.Contains(Pages.Account.SignInModel.RefusedMessage, html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.Client.GetAsync("/api/account/me")).StatusCode);
    }

    [Fact]
    public async Task SignIn_SignOut_RoundTrip()
    {
        var user = await app.CreateUserAsync(Roles.Buyer, password: BrowserSession.Password);
        var browser = new BrowserSession(app.CreateBrowserClient());

        var signIn = await browser.SignInAsync(user.Email!);
        Assert.Equal("/Buyer", signIn.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await browser.Client.GetAsync("/api/account/me")).StatusCode);

        var signOut = await browser.PostFormAsync("/Account/SignOut", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.Client.GetAsync("/api/account/me")).StatusCode);
    }

    [Fact]
    public async Task Passwords_AreHashedWithAtLeast210000Iterations()
    {
        var user = await app.CreateUserAsync(Roles.Contributor, password: BrowserSession.Password);
        var hash = Convert.FromBase64String(user.PasswordHash!);

        // ASP.NET Core Identity v3 format: 0x01, PRF (uint32 BE), iteration count (uint32 BE), salt length, salt, subkey.
        Assert.Equal(0x01, hash[0]);
        var prf = (hash[1] << 24) | (hash[2] << 16) | (hash[3] << 8) | hash[4];
        var iterations = (hash[5] << 24) | (hash[6] << 16) | (hash[7] << 8) | hash[8];
        Assert.Equal(2, prf); // HMAC-SHA512
        Assert.True(iterations >= 210_000, $"{iterations} iterations");
    }
}

public sealed class SqliteAccountTests(SqliteAppFactory app) : AccountTests(app), IClassFixture<SqliteAppFactory>;

[Collection(PostgresCollection.Name)]
public sealed class PostgresAccountTests(PostgresAppFactory app) : AccountTests(app);
