using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Marketplace.Web.Domain;
using Marketplace.Web.Identity;
using Marketplace.Web.Jobs;
using Marketplace.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Tests;

public abstract class ApiAccessTests(MarketplaceAppFactory app)
{
    [Fact]
    public async Task ApiToken_IsShownOnceStoredHashedAndAuthenticatesAsItsBuyer()
    {
        var (buyer, browser) = await SignedInBuyerAsync();

        var created = await browser.Client.PostAsJsonAsync("/api/account/tokens", new { name = "nightly import", expiresInDays = 30 });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var token = (await created.Content.ReadFromJsonAsync<CreatedApiTokenResponse>())!;
        Assert.StartsWith("mkt_", token.Token, StringComparison.Ordinal);

        var stored = await app.WithDbAsync(db => db.ApiTokens.SingleAsync(t => t.Id == token.Id));
        Assert.NotEqual(token.Token, stored.Hash);
        Assert.Equal(ApiToken.HashOf(token.Token), stored.Hash);
        var listed = await browser.Client.GetFromJsonAsync<List<ApiTokenResponse>>("/api/account/tokens");
        Assert.Equal("nightly import", Assert.Single(listed!).Name);
        Assert.DoesNotContain(token.Token, await browser.Client.GetStringAsync("/api/account/tokens"), StringComparison.Ordinal);

        var api = app.CreateClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        var me = await api.GetFromJsonAsync<MeResponse>("/api/account/me");
        Assert.Equal(buyer.Email, me!.Email);
        Assert.Contains(Roles.Buyer, me.Roles);
        Assert.Equal(buyer.OrganizationId, me.OrganizationId);

        Assert.Equal(HttpStatusCode.NoContent, (await browser.Client.DeleteAsync($"/api/account/tokens/{token.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/account/me")).StatusCode);
    }

    [Theory]
    [InlineData("mkt_made-up-token")]
    [InlineData("not-even-our-format")]
    public async Task ApiToken_Unknown_Is401(string secret)
    {
        var api = app.CreateClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/jobs")).StatusCode);
    }

    [Fact]
    public async Task CreateToken_WithBadFields_IsAProblemNamingEachField()
    {
        var (_, browser) = await SignedInBuyerAsync();

        var response = await browser.Client.PostAsJsonAsync("/api/account/tokens", new { name = " ", expiresInDays = 9999 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<ValidationProblemBody>();
        Assert.Contains("name", problem!.Errors.Keys);
        Assert.Contains("expiresInDays", problem.Errors.Keys);
    }

    [Fact]
    public async Task CreateToken_WithMalformedJson_IsAProblemNotACrash()
    {
        var (_, browser) = await SignedInBuyerAsync();

        var response = await browser.Client.PostAsync("/api/account/tokens", new StringContent("{\"name\": ", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Tokens_AreForBuyersOnly()
    {
        var (_, browser) = await app.SignedInAsync(Roles.Contributor);

        Assert.Equal(HttpStatusCode.Forbidden, (await browser.Client.PostAsJsonAsync("/api/account/tokens", new { name = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().GetAsync("/api/account/tokens")).StatusCode);
    }

    [Fact]
    public async Task Jobs_ABuyerSeesOnlyTheirOrganizations_AnAdminSeesAll()
    {
        var (buyer, browser) = await SignedInBuyerAsync();
        var otherOrganization = await app.CreateOrganizationAsync();
        var mine = await AddJobAsync(buyer.OrganizationId!.Value, buyer.Id, "mine");
        var theirs = await AddJobAsync(otherOrganization, buyer.Id, "theirs");

        var seenByBuyer = await browser.Client.GetFromJsonAsync<List<JobSummary>>("/api/jobs", ApiJson.Options);
        Assert.Contains(seenByBuyer!, j => j.Id == mine);
        Assert.DoesNotContain(seenByBuyer!, j => j.Id == theirs);
        Assert.DoesNotContain("theirs", await browser.Client.GetStringAsync("/Buyer"), StringComparison.Ordinal);

        var (_, adminBrowser) = await app.SignedInAsync(Roles.Admin);
        var seenByAdmin = await adminBrowser.Client.GetFromJsonAsync<List<JobSummary>>("/api/jobs", ApiJson.Options);
        Assert.Contains(seenByAdmin!, j => j.Id == mine);
        Assert.Contains(seenByAdmin!, j => j.Id == theirs);
    }

    [Theory]
    [InlineData(null, "/api/jobs", HttpStatusCode.Unauthorized)]
    [InlineData(Roles.Contributor, "/api/jobs", HttpStatusCode.Forbidden)]
    [InlineData(null, "/Buyer", HttpStatusCode.Redirect)]
    [InlineData(Roles.Contributor, "/Buyer", HttpStatusCode.Redirect)]
    [InlineData(Roles.Buyer, "/Admin", HttpStatusCode.Redirect)]
    [InlineData(Roles.Contributor, "/Admin", HttpStatusCode.Redirect)]
    [InlineData(null, "/Admin", HttpStatusCode.Redirect)]
    [InlineData(Roles.Buyer, "/Work", HttpStatusCode.Redirect)]
    [InlineData(Roles.Admin, "/Admin", HttpStatusCode.OK)]
    [InlineData(Roles.Contributor, "/Work", HttpStatusCode.OK)]
    public async Task Routes_AreGuardedByRole(string? role, string path, HttpStatusCode expected)
    {
        var browser = role is null ? new BrowserSession(app.CreateBrowserClient()) : (await app.SignedInAsync(role)).Browser;

        var response = await browser.Client.GetAsync(path);

        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.Redirect)
        {
            Assert.Matches(role is null ? "/Account/SignIn" : "/Account/AccessDenied", response.Headers.Location!.OriginalString);
        }
    }

    [Fact]
    public async Task UnknownApiRoute_IsAProblemDetails404()
    {
        var (_, browser) = await SignedInBuyerAsync();

        var response = await browser.Client.GetAsync("/api/no-such-thing");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"status\":404", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_ReadyReportsTheDatabaseReachable()
    {
        var client = app.CreateClient();
        Assert.Equal("Healthy", await client.GetStringAsync("/health/ready"));
        Assert.Equal("Healthy", await client.GetStringAsync("/health/live"));
    }

    private Task<(ApplicationUser User, BrowserSession Browser)> SignedInBuyerAsync() => app.SignedInAsync(Roles.Buyer);

    private Task<Guid> AddJobAsync(Guid organizationId, string userId, string title) => app.WithDbAsync(async db =>
    {
        var job = new Job { Id = Guid.NewGuid(), OrganizationId = organizationId, Title = title, Currency = "USD", CreatedByUserId = userId, Redundancy = 3, CreatedAt = DateTime.UtcNow, Labels = ["yes", "no"] };
        db.Jobs.Add(job);
        await db.SaveChangesAsync();
        return job.Id;
    });

    private sealed record ValidationProblemBody(Dictionary<string, string[]> Errors);
}

public sealed class SqliteApiAccessTests(SqliteAppFactory app) : ApiAccessTests(app), IClassFixture<SqliteAppFactory>;

[Collection(PostgresCollection.Name)]
public sealed class PostgresApiAccessTests(PostgresAppFactory app) : ApiAccessTests(app);
