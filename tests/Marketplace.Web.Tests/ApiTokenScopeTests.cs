using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Marketplace.Web.Domain;
using Marketplace.Web.Identity;
using Marketplace.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Tests;

/// <summary>
/// Issue #20, finding 13: a token does what its scopes allow and nothing else; it cannot make or revoke tokens,
/// and it never opens a page.
/// </summary>
public abstract class ApiTokenScopeTests(MarketplaceAppFactory app)
{
    private static readonly object NewJob = new { title = "Scoped", taskType = "SingleChoice", labels = new[] { "a", "b" }, payPerLabelMinor = 10, currency = "USD", redundancy = 1 };

    [Fact]
    public async Task Token_CannotMintOrRevokeTokens_EvenWithEveryScope()
    {
        var buyer = await app.CreateUserAsync(Roles.Buyer, await app.CreateOrganizationAsync());
        var api = Bearer(await app.CreateApiTokenAsync(buyer.Id));
        var own = await app.WithDbAsync(db => db.ApiTokens.Where(t => t.UserId == buyer.Id).Select(t => t.Id).SingleAsync());

        var minted = await api.PostAsJsonAsync("/api/account/tokens", new { name = "forever", expiresInDays = 365, scopes = new[] { "write" } });
        var revoked = await api.DeleteAsync($"/api/account/tokens/{own}");

        Assert.Equal(HttpStatusCode.Forbidden, minted.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.GetAsync("/api/account/tokens")).StatusCode);
        Assert.Equal(1, await app.WithDbAsync(db => db.ApiTokens.CountAsync(t => t.UserId == buyer.Id && t.RevokedAt == null)));
    }

    [Fact]
    public async Task ReadToken_MayGet_ButNotChangeAnything()
    {
        var buyer = await app.CreateUserAsync(Roles.Buyer, await app.CreateOrganizationAsync());
        var api = Bearer(await app.CreateApiTokenAsync(buyer.Id, ApiTokenScopes.Read));

        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/jobs")).StatusCode);
        var created = await api.PostAsJsonAsync("/api/jobs", NewJob, ApiJson.Options);

        await ProblemAssert.StatusAsync(created, HttpStatusCode.Forbidden, "write scope");
        Assert.False(await app.WithDbAsync(db => db.Jobs.AnyAsync(j => j.OrganizationId == buyer.OrganizationId)));
    }

    [Fact]
    public async Task WriteToken_MayChangeWhatItsUserMay()
    {
        var buyer = await app.CreateUserAsync(Roles.Buyer, await app.CreateOrganizationAsync());
        var api = Bearer(await app.CreateApiTokenAsync(buyer.Id, ApiTokenScopes.Read | ApiTokenScopes.Write));

        var created = await api.PostAsJsonAsync("/api/jobs", NewJob, ApiJson.Options);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/jobs")).StatusCode);
    }

    [Fact]
    public async Task AdminRoutes_NeedTheAdminScopeAndTheAdminRole()
    {
        var admin = await app.CreateUserAsync(Roles.Admin);
        var buyer = await app.CreateUserAsync(Roles.Buyer, await app.CreateOrganizationAsync());
        var job = await app.ActiveJobAsync(items: 1);
        var readOnlyAdmin = Bearer(await app.CreateApiTokenAsync(admin.Id, ApiTokenScopes.Read));
        var fullAdmin = Bearer(await app.CreateApiTokenAsync(admin.Id, ApiTokenScopes.Read | ApiTokenScopes.Admin));
        var buyerWithAdminScope = Bearer(await app.CreateApiTokenAsync(buyer.Id, ApiTokenScopes.Read | ApiTokenScopes.Admin));

        Assert.Equal(HttpStatusCode.Forbidden, (await readOnlyAdmin.GetAsync("/api/admin/audit")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fullAdmin.GetAsync("/api/admin/audit")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await buyerWithAdminScope.GetAsync("/api/admin/audit")).StatusCode);
        // Without the scope the token is no admin anywhere: not even the jobs an admin sees.
        Assert.Equal(HttpStatusCode.Forbidden, (await readOnlyAdmin.GetAsync($"/api/jobs/{job.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fullAdmin.GetAsync($"/api/jobs/{job.Id}")).StatusCode);
        Assert.DoesNotContain(Roles.Admin, (await readOnlyAdmin.GetFromJsonAsync<MeResponse>("/api/account/me"))!.Roles);
    }

    [Theory]
    [InlineData("/Buyer")]
    [InlineData("/Account/Tokens")]
    [InlineData("/Admin")]
    public async Task Token_DoesNotOpenPages(string page)
    {
        var user = page == "/Admin" ? await app.CreateUserAsync(Roles.Admin) : await app.CreateUserAsync(Roles.Buyer, await app.CreateOrganizationAsync());
        var browser = app.CreateBrowserClient();
        browser.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await app.CreateApiTokenAsync(user.Id));

        var response = await browser.GetAsync(page);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/Account/SignIn", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scopes_AreChosenWhenATokenIsMade_AndShownWithIt()
    {
        var (_, browser) = await app.SignedInAsync(Roles.Buyer);

        var plain = await (await browser.Client.PostAsJsonAsync("/api/account/tokens", new { name = "reader" })).Content.ReadFromJsonAsync<CreatedApiTokenResponse>();
        var writer = await (await browser.Client.PostAsJsonAsync("/api/account/tokens", new { name = "writer", scopes = new[] { "write" } })).Content.ReadFromJsonAsync<CreatedApiTokenResponse>();
        var unknown = await browser.Client.PostAsJsonAsync("/api/account/tokens", new { name = "odd", scopes = new[] { "root" } });
        var admin = await browser.Client.PostAsJsonAsync("/api/account/tokens", new { name = "boss", scopes = new[] { "admin" } });

        Assert.Equal(new[] { TokenScopes.Read }, plain!.Scopes);
        Assert.Equal(new[] { TokenScopes.Read, TokenScopes.Write }, writer!.Scopes);
        await ProblemAssert.FieldAsync(unknown, "scopes");
        await ProblemAssert.FieldAsync(admin, "scopes"); // a buyer is no admin
        var listed = await browser.Client.GetFromJsonAsync<List<ApiTokenResponse>>("/api/account/tokens");
        Assert.Equal(new[] { TokenScopes.Read, TokenScopes.Write }, listed!.Single(t => t.Id == writer.Id).Scopes);
        Assert.Contains("read, write", await browser.Client.GetStringAsync("/Account/Tokens"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoke_Twice_IsAConflictProblem_AndSomeoneElsesTokenIsNotFound()
    {
        var (_, browser) = await app.SignedInAsync(Roles.Buyer);
        var token = await (await browser.Client.PostAsJsonAsync("/api/account/tokens", new { name = "once" })).Content.ReadFromJsonAsync<CreatedApiTokenResponse>();
        var other = await app.CreateUserAsync(Roles.Buyer, await app.CreateOrganizationAsync());
        await app.CreateApiTokenAsync(other.Id);
        var theirs = await app.WithDbAsync(db => db.ApiTokens.Where(t => t.UserId == other.Id).Select(t => t.Id).SingleAsync());

        Assert.Equal(HttpStatusCode.NoContent, (await browser.Client.DeleteAsync($"/api/account/tokens/{token!.Id}")).StatusCode);
        var again = await browser.Client.DeleteAsync($"/api/account/tokens/{token.Id}");
        var notMine = await browser.Client.DeleteAsync($"/api/account/tokens/{theirs}");

        await ProblemAssert.StatusAsync(again, HttpStatusCode.Conflict, "already revoked");
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
        await ProblemAssert.StatusAsync(notMine, HttpStatusCode.NotFound, "no API token with this id");
        Assert.Equal(HttpStatusCode.NotFound, (await browser.Client.DeleteAsync($"/api/account/tokens/{Guid.NewGuid()}")).StatusCode);
        Assert.Null(await app.WithDbAsync(db => db.ApiTokens.Where(t => t.Id == theirs).Select(t => t.RevokedAt).SingleAsync()));
    }

    private HttpClient Bearer(string secret)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return client;
    }
}

public sealed class SqliteApiTokenScopeTests(SqliteAppFactory app) : ApiTokenScopeTests(app), IClassFixture<SqliteAppFactory>;

[Collection(PostgresCollection.Name)]
public sealed class PostgresApiTokenScopeTests(PostgresAppFactory app) : ApiTokenScopeTests(app);
