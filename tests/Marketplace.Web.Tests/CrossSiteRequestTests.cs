using System.Net;
using System.Net.Http.Headers;
using Marketplace.Web.Domain;
using Marketplace.Web.Identity;
using Marketplace.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Tests;

/// <summary>
/// Issue #20, finding 12: another site's form can post to the API, and the browser sends the sign-in cookie along
/// (SameSite=Lax stops it only on some requests). A cookie call that changes something must say it comes from the
/// site's own scripts; a bearer token needs no such proof, since no other site can make a browser send one.
/// </summary>
public abstract class CrossSiteRequestTests(MarketplaceAppFactory app)
{
    [Fact]
    public async Task FormPostFromAnotherSite_WithTheCookie_IsRefused_AndChangesNothing()
    {
        var (buyer, job) = await BuyerWithActiveJobAsync();
        var browser = new BrowserSession(app.CreateBrowserClient(asScripts: false));
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync(buyer.Email!)).StatusCode);

        // What <form method=post action=".../pause"> on an attacker's page sends: the cookie, a form body, no header.
        var forged = await browser.Client.PostAsync($"/api/jobs/{job.Id}/pause", new FormUrlEncodedContent(new Dictionary<string, string> { ["x"] = "1" }));
        var deleted = await browser.Client.DeleteAsync($"/api/account/tokens/{Guid.NewGuid()}");

        await ProblemAssert.StatusAsync(forged, HttpStatusCode.BadRequest, ApiRequestRules.ScriptHeader);
        await ProblemAssert.StatusAsync(deleted, HttpStatusCode.BadRequest, ApiRequestRules.ScriptHeader);
        Assert.Equal(JobStatus.Active, await StatusOfAsync(job.Id));
        Assert.Equal(HttpStatusCode.OK, (await browser.Client.GetAsync($"/api/jobs/{job.Id}")).StatusCode); // reading needs no header
    }

    [Fact]
    public async Task PagesScripts_WithTheHeader_ChangeThingsWithTheCookie()
    {
        var (buyer, job) = await BuyerWithActiveJobAsync();
        var browser = new BrowserSession(app.CreateBrowserClient());
        await browser.SignInAsync(buyer.Email!);

        var paused = await browser.Client.PostAsync($"/api/jobs/{job.Id}/pause", null);

        Assert.Equal(HttpStatusCode.OK, paused.StatusCode);
        Assert.Equal(JobStatus.Paused, await StatusOfAsync(job.Id));
    }

    [Fact]
    public async Task BearerToken_NeedsNoHeader()
    {
        var (buyer, job) = await BuyerWithActiveJobAsync();
        var api = app.CreateClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await app.CreateApiTokenAsync(buyer.Id, ApiTokenScopes.Read | ApiTokenScopes.Write));

        var paused = await api.PostAsync($"/api/jobs/{job.Id}/pause", null);

        Assert.Equal(HttpStatusCode.OK, paused.StatusCode);
        Assert.Equal(JobStatus.Paused, await StatusOfAsync(job.Id));
    }

    private async Task<(ApplicationUser Buyer, Job Job)> BuyerWithActiveJobAsync()
    {
        var buyer = await app.CreateUserAsync(Roles.Buyer, await app.CreateOrganizationAsync(), BrowserSession.Password);
        return (buyer, await app.ActiveJobAsync(items: 2, organizationId: buyer.OrganizationId));
    }

    private Task<JobStatus> StatusOfAsync(Guid id) => app.WithDbAsync(db => db.Jobs.Where(j => j.Id == id).Select(j => j.Status).SingleAsync());
}

public sealed class SqliteCrossSiteRequestTests(SqliteAppFactory app) : CrossSiteRequestTests(app), IClassFixture<SqliteAppFactory>;

[Collection(PostgresCollection.Name)]
public sealed class PostgresCrossSiteRequestTests(PostgresAppFactory app) : CrossSiteRequestTests(app);
