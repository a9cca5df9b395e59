using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Marketplace.Testing;
using Marketplace.Web.Domain;
using Marketplace.Web.Identity;
using Marketplace.Web.Pages.Account;
using Marketplace.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Tests;

/// <summary>
/// Issue #20, finding 8: failed sign-ins must not cut off an account's API tokens, and sign-in, sign-up and the
/// password reset must answer alike, in alike time, whether or not an account has the address.
/// </summary>
public abstract partial class AccountEnumerationTests(MarketplaceAppFactory app)
{
    private const string NewPassword = "a brand new long passphrase";

    [Fact]
    public async Task FailedSignIns_LockTheSignIn_ButNotTheAccountsApiTokens()
    {
        var buyer = await app.CreateUserAsync(Roles.Buyer, await app.CreateOrganizationAsync(), BrowserSession.Password);
        var api = app.CreateClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await app.CreateApiTokenAsync(buyer.Id, ApiTokenScopes.Read));
        var attacker = new BrowserSession(app.CreateBrowserClient());

        for (var i = 0; i < 6; i++)
        {
            await attacker.SignInAsync(buyer.Email!, $"guess {i}");
        }

        Assert.True(await app.WithDbAsync(db => db.Users.Where(u => u.Id == buyer.Id).Select(u => u.LockoutEnd).SingleAsync()) > DateTimeOffset.UtcNow);
        Assert.Equal(HttpStatusCode.OK, (await new BrowserSession(app.CreateBrowserClient()).SignInAsync(buyer.Email!)).StatusCode); // locked: the form again
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/account/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/jobs")).StatusCode);
    }

    [Fact]
    public async Task SignIn_UnknownEmail_AnswersAsAWrongPassword_InAsMuchTime()
    {
        var user = await app.CreateUserAsync(Roles.Contributor, password: BrowserSession.Password);
        var unknown = BrowserSession.NewEmail("nobody");
        var browser = new BrowserSession(app.CreateBrowserClient());

        // Four rounds stay under the lockout; the known account answers a wrong password each time.
        var (known, missing) = await TimeBothAsync(4, browser, "/Account/SignIn", who => new Dictionary<string, string>
        {
            ["Input.Email"] = who ? user.Email! : unknown,
            ["Input.Password"] = "not the password",
        });

        Assert.Equal(HttpStatusCode.OK, known.Response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, missing.Response.StatusCode);
        Assert.Equal(Errors(known.Html), Errors(missing.Html));
        Assert.Contains(SignInModel.RefusedMessage, known.Html, StringComparison.Ordinal);
        AssertAsSlow(known.Median, missing.Median);
    }

    [Fact]
    public async Task SignIn_LockedAccount_AnswersAsAnUnknownEmail()
    {
        var user = await app.CreateUserAsync(Roles.Contributor, password: BrowserSession.Password);
        var browser = new BrowserSession(app.CreateBrowserClient());
        for (var i = 0; i < 5; i++)
        {
            await browser.SignInAsync(user.Email!, $"guess {i}");
        }

        var locked = await (await browser.SignInAsync(user.Email!, "another guess")).Content.ReadAsStringAsync();
        var unknown = await (await browser.SignInAsync(BrowserSession.NewEmail("nobody"), "another guess")).Content.ReadAsStringAsync();

        Assert.Equal(Errors(unknown), Errors(locked));
        Assert.Contains(SignInModel.RefusedMessage, locked, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignUp_WithATakenEmail_AnswersAsForANewOne_InAsMuchTime_AndOnlyTheOwnerHearsOfIt()
    {
        var owner = await app.CreateUserAsync(Roles.Contributor, password: BrowserSession.Password);
        var organization = $"Squat {Guid.NewGuid():N}";
        var fresh = new List<string>();
        var browser = new BrowserSession(app.CreateBrowserClient());

        var (taken, created) = await TimeBothAsync(3, browser, "/Account/SignUp", isTaken =>
        {
            var email = isTaken ? owner.Email! : BrowserSession.NewEmail("fresh");
            if (!isTaken)
            {
                fresh.Add(email);
            }

            return SignUpFields(email, isTaken ? $"{organization} {fresh.Count}" : $"Fresh {Guid.NewGuid():N}");
        });

        Assert.Equal(HttpStatusCode.Redirect, taken.Response.StatusCode);
        Assert.Equal(created.Response.Headers.Location, taken.Response.Headers.Location);
        AssertAsSlow(created.Median, taken.Median);
        Assert.Contains("someone tried to sign up", (await app.Emails.WaitForAsync(owner.Email!, "already have an account")).Body, StringComparison.OrdinalIgnoreCase);
        await app.Emails.WaitForAsync(fresh[^1], "Confirm your email");
        Assert.Equal(1, await app.WithDbAsync(db => db.Users.CountAsync(u => u.Email == owner.Email)));
        Assert.False(await app.WithDbAsync(db => db.Organizations.AnyAsync(o => EF.Functions.Like(o.Name, organization + "%"))));
        Assert.Equal("/Work", (await new BrowserSession(app.CreateBrowserClient()).SignInAsync(owner.Email!)).Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task SignUp_WithATakenEmailAndAWeakPassword_IsRefusedAsForANewOne()
    {
        var owner = await app.CreateUserAsync(Roles.Contributor, password: BrowserSession.Password);
        const string weak = "aaaaaaaaaaaa"; // long enough, but one character

        var taken = await (await new BrowserSession(app.CreateBrowserClient()).SignUpAsync(Roles.Contributor, owner.Email!, weak)).Content.ReadAsStringAsync();
        var fresh = await (await new BrowserSession(app.CreateBrowserClient()).SignUpAsync(Roles.Contributor, BrowserSession.NewEmail("fresh"), weak)).Content.ReadAsStringAsync();

        Assert.Equal(FieldErrors(fresh), FieldErrors(taken));
        Assert.NotEmpty(FieldErrors(taken));
    }

    [Fact]
    public async Task ForgotPassword_AnswersTheSameForAnyAddress_AndMailsOnlyAnAccount()
    {
        var user = await app.CreateUserAsync(Roles.Buyer, await app.CreateOrganizationAsync(), BrowserSession.Password);
        var unknown = BrowserSession.NewEmail("nobody");
        var browser = new BrowserSession(app.CreateBrowserClient());

        var missing = await browser.ForgotPasswordAsync(unknown);
        var known = await browser.ForgotPasswordAsync(user.Email!);

        Assert.Equal(known.StatusCode, missing.StatusCode);
        Assert.Equal(Notice(await known.Content.ReadAsStringAsync()), Notice(await missing.Content.ReadAsStringAsync()));
        await app.Emails.WaitForAsync(user.Email!, "Reset your password"); // sent after the unknown one would have been
        Assert.Empty(app.Emails.To(unknown));
    }

    [Fact]
    public async Task ResetPassword_WithTheMailedLink_SetsIt_EndsOtherSessions_AndLiftsTheLockout()
    {
        var user = await app.CreateUserAsync(Roles.Buyer, await app.CreateOrganizationAsync(), BrowserSession.Password);
        var elsewhere = new BrowserSession(app.CreateBrowserClient());
        Assert.Equal(HttpStatusCode.Redirect, (await elsewhere.SignInAsync(user.Email!)).StatusCode);
        var me = new BrowserSession(app.CreateBrowserClient());
        for (var i = 0; i < 5; i++)
        {
            await me.SignInAsync(user.Email!, $"forgotten {i}");
        }

        await me.ForgotPasswordAsync(user.Email!);
        var link = CapturedEmails.LinkIn(await app.Emails.WaitForAsync(user.Email!, "Reset your password"));
        var reset = await me.ResetPasswordAsync(link, NewPassword);

        Assert.Equal("/Account/SignIn?notice=password-reset", reset.Headers.Location?.OriginalString);
        Assert.Equal("/Buyer", (await me.SignInAsync(user.Email!, NewPassword)).Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await new BrowserSession(app.CreateBrowserClient()).SignInAsync(user.Email!)).StatusCode); // the old password: refused
        app.Clock.Advance(IdentityRegistrations.SessionRecheckInterval + TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.Unauthorized, (await elsewhere.Client.GetAsync("/api/account/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await me.Client.GetAsync("/api/account/me")).StatusCode);
        var again = await new BrowserSession(app.CreateBrowserClient()).ResetPasswordAsync(link, "yet another long passphrase");
        Assert.Contains("invalid, already used or expired", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResetPassword_WithAForgedCode_ChangesNothing()
    {
        var user = await app.CreateUserAsync(Roles.Contributor, password: BrowserSession.Password);
        var browser = new BrowserSession(app.CreateBrowserClient());

        var response = await browser.ResetPasswordAsync(new Uri($"http://localhost/Account/ResetPassword?user={user.Id}&code=forged"), NewPassword);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("invalid, already used or expired", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await browser.SignInAsync(user.Email!, NewPassword)).StatusCode);
        Assert.Equal("/Work", (await browser.SignInAsync(user.Email!)).Headers.Location?.OriginalString);
    }

    private static Dictionary<string, string> SignUpFields(string email, string organization) => new()
    {
        ["Input.Role"] = Roles.Buyer,
        ["Input.DisplayName"] = "Someone",
        ["Input.OrganizationName"] = organization,
        ["Input.Email"] = email,
        ["Input.Password"] = BrowserSession.Password,
        ["Input.ConfirmPassword"] = BrowserSession.Password,
    };

    /// <summary>
    /// Posts the form for one case and then the other, interleaved, <paramref name="rounds"/> times each; returns each
    /// case's last answer and median time. Only the POST is timed, not the page fetched for its antiforgery token.
    /// </summary>
    private static async Task<(Timed First, Timed Second)> TimeBothAsync(int rounds, BrowserSession browser, string page, Func<bool, Dictionary<string, string>> fields)
    {
        var times = new[] { new List<TimeSpan>(), new List<TimeSpan>() };
        var last = new HttpResponseMessage[2];
        for (var i = 0; i < rounds; i++)
        {
            foreach (var first in new[] { true, false })
            {
                var form = new Dictionary<string, string>(fields(first)) { ["__RequestVerificationToken"] = await browser.AntiforgeryTokenAsync(page) };
                var clock = Stopwatch.StartNew();
                last[first ? 0 : 1] = await browser.Client.PostAsync(page, new FormUrlEncodedContent(form));
                times[first ? 0 : 1].Add(clock.Elapsed);
            }
        }

        return (await TimedAsync(last[0], times[0]), await TimedAsync(last[1], times[1]));
    }

    private static async Task<Timed> TimedAsync(HttpResponseMessage response, List<TimeSpan> times) =>
        new(response, await response.Content.ReadAsStringAsync(), times.Order().ElementAt(times.Count / 2));

    /// <summary>
    /// The case that may not be told apart takes at least half as long as the reference: both hash a password
    /// (about a tenth of a second or more here), where skipping the hash answers in a few milliseconds.
    /// </summary>
    private static void AssertAsSlow(TimeSpan reference, TimeSpan other) =>
        Assert.True(other.TotalMilliseconds >= reference.TotalMilliseconds / 2, $"{other.TotalMilliseconds:0} ms against {reference.TotalMilliseconds:0} ms: the time tells the cases apart.");

    private static string Errors(string html) => ErrorSummary().Match(html).Value;

    private static List<string> FieldErrors(string html) => [.. FieldError().Matches(html).Select(m => m.Value)];

    private static string Notice(string html) => ResetNotice().Match(html).Value;

    [GeneratedRegex("data-testid=\"sign-in-errors\"[^>]*>.*?</div>", RegexOptions.Singleline)]
    private static partial Regex ErrorSummary();

    [GeneratedRegex("<span class=\"field-error[^\"]*\"[^>]*>[^<]+</span>")]
    private static partial Regex FieldError();

    [GeneratedRegex("data-testid=\"reset-requested\"[^>]*>[^<]*")]
    private static partial Regex ResetNotice();

    private sealed record Timed(HttpResponseMessage Response, string Html, TimeSpan Median);
}

public sealed class SqliteAccountEnumerationTests(SqliteAppFactory app) : AccountEnumerationTests(app), IClassFixture<SqliteAppFactory>;

[Collection(PostgresCollection.Name)]
public sealed class PostgresAccountEnumerationTests(PostgresAppFactory app) : AccountEnumerationTests(app);
