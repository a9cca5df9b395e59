using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Web.Domain;
using Marketplace.Web.Hosting;
using Marketplace.Web.Quality;
using Marketplace.Web.Tasks;
using Marketplace.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Tests;

/// <summary>
/// The admin's tier set: versions, validation, preview, overrides and history, and that every consumer reads it.
/// Each provider gets a database of its own: saved tiers are global, and other test classes expect the defaults.
/// </summary>
public abstract class TierTests(MarketplaceAppFactory app)
{
    private const string Tiers = "/api/admin/tiers";

    /// <summary>A well-formed set: New (0, 0), Bronze, Silver, Gold with the thresholds and terms given.</summary>
    private static object[] Set(int bronzeGold = 10, double bronzeBound = 0.5, int silverGold = 40, double silverBound = 0.8, int goldGold = 100, double goldBound = 0.9, decimal silverPay = 1.1m, int silverHold = 7) =>
    [
        Tier("New", 1, 0, 0),
        Tier("Bronze", 2, bronzeGold, bronzeBound),
        Tier("Silver", 3, silverGold, silverBound, silverPay, silverHold),
        Tier("Gold", 4, goldGold, goldBound, 1.25m, 2),
    ];

    private static Dictionary<string, object?> Tier(string name, int order, int gold, double bound, decimal pay = 1m, int hold = 7, double goldRate = 1, string[]? taskTypes = null) => new()
    {
        ["name"] = name,
        ["order"] = order,
        ["minGoldCount"] = gold,
        ["minLowerBound"] = bound,
        ["payMultiplier"] = pay,
        ["holdDays"] = hold,
        ["goldRateFactor"] = goldRate,
        ["taskTypes"] = taskTypes ?? [],
    };

    public static TheoryData<string, string> BadSets => new()
    {
        // duplicate names, case aside
        { """[{"name":"New","order":1,"minGoldCount":0,"minLowerBound":0,"payMultiplier":1,"holdDays":7,"goldRateFactor":1},{"name":"new","order":2,"minGoldCount":10,"minLowerBound":0.5,"payMultiplier":1,"holdDays":7,"goldRateFactor":1}]""", "tiers[1].name" },
        // overlapping: Silver's thresholds equal Bronze's
        { """[{"name":"New","order":1,"minGoldCount":0,"minLowerBound":0,"payMultiplier":1,"holdDays":7,"goldRateFactor":1},{"name":"Bronze","order":2,"minGoldCount":10,"minLowerBound":0.5,"payMultiplier":1,"holdDays":7,"goldRateFactor":1},{"name":"Silver","order":3,"minGoldCount":10,"minLowerBound":0.5,"payMultiplier":1.1,"holdDays":7,"goldRateFactor":1}]""", "tiers[2]" },
        // unordered: Silver (order 3) asks a lower bound below Bronze's (order 2); listed out of order on purpose
        { """[{"name":"Silver","order":3,"minGoldCount":30,"minLowerBound":0.4,"payMultiplier":1.1,"holdDays":7,"goldRateFactor":1},{"name":"New","order":1,"minGoldCount":0,"minLowerBound":0,"payMultiplier":1,"holdDays":7,"goldRateFactor":1},{"name":"Bronze","order":2,"minGoldCount":10,"minLowerBound":0.5,"payMultiplier":1,"holdDays":7,"goldRateFactor":1}]""", "tiers[0].minLowerBound" },
        // unordered: fewer gold answers going up
        { """[{"name":"New","order":1,"minGoldCount":0,"minLowerBound":0,"payMultiplier":1,"holdDays":7,"goldRateFactor":1},{"name":"Bronze","order":2,"minGoldCount":20,"minLowerBound":0.5,"payMultiplier":1,"holdDays":7,"goldRateFactor":1},{"name":"Silver","order":3,"minGoldCount":10,"minLowerBound":0.7,"payMultiplier":1.1,"holdDays":7,"goldRateFactor":1}]""", "tiers[2].minGoldCount" },
        { """[{"name":"New","order":1,"minGoldCount":0,"minLowerBound":0,"payMultiplier":1,"holdDays":7,"goldRateFactor":1},{"name":"Bronze","order":1,"minGoldCount":10,"minLowerBound":0.5,"payMultiplier":1,"holdDays":7,"goldRateFactor":1}]""", "tiers[1].order" },
        { """[{"name":"New","order":1,"minGoldCount":0,"minLowerBound":0,"payMultiplier":50,"holdDays":7,"goldRateFactor":1}]""", "tiers[0].payMultiplier" },
        { """[{"name":"New","order":1,"minGoldCount":0,"minLowerBound":0,"payMultiplier":1,"holdDays":400,"goldRateFactor":1}]""", "tiers[0].holdDays" },
        { """[{"name":"New","order":1,"minGoldCount":0,"minLowerBound":0,"payMultiplier":1,"holdDays":7,"goldRateFactor":1,"taskTypes":["Poetry"]}]""", "tiers[0].taskTypes" },
        { """[{"name":"","order":1,"minGoldCount":0,"minLowerBound":0,"payMultiplier":1,"holdDays":7,"goldRateFactor":1}]""", "tiers[0].name" },
        { """[{"name":"Entry","order":1,"minGoldCount":5,"minLowerBound":0,"payMultiplier":1,"holdDays":7,"goldRateFactor":1}]""", "tiers[0]" },
        { "[]", "tiers" },
    };

    [Theory]
    [MemberData(nameof(BadSets))]
    public async Task SaveAndPreview_RefuseConflictingOrBadTiers_NamingTheTierAndField(string tiers, string field)
    {
        var admin = await AdminAsync();
        var before = await CurrentAsync(admin);
        var set = JsonSerializer.Deserialize<JsonElement>(tiers);

        var saved = await admin.PutAsJsonAsync(Tiers, new { expectedVersion = before.Version, reason = "test", tiers = set });
        var previewed = await admin.PostAsJsonAsync($"{Tiers}/preview", new { tiers = set });

        foreach (var response in new[] { saved, previewed })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
            Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}: {errors}");
        }

        Assert.Equal(before.Version, (await CurrentAsync(admin)).Version);
    }

    [Fact]
    public async Task Save_WithoutAReasonOrVersion_NamesThoseFields()
    {
        var admin = await AdminAsync();

        var response = await admin.PutAsJsonAsync(Tiers, new { tiers = Set() });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("reason", out _), errors.ToString());
        Assert.True(errors.TryGetProperty("expectedVersion", out _), errors.ToString());
    }

    [Fact]
    public async Task Save_OnAStaleVersion_Is409_AndTheNewerVersionStands()
    {
        var admin = await AdminAsync();
        var start = await CurrentAsync(admin);

        var first = await admin.PutAsJsonAsync(Tiers, new { expectedVersion = start.Version, reason = "raise Silver", tiers = Set(silverGold: 45) });
        var second = await admin.PutAsJsonAsync(Tiers, new { expectedVersion = start.Version, reason = "lower Silver", tiers = Set(silverGold: 35) });

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Contains($"current version is {start.Version + 1}", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var current = await CurrentAsync(admin);
        Assert.Equal((start.Version + 1, 45, "raise Silver"), (current.Version, current.Tiers[2].MinGoldCount, current.Reason));
        var versions = (await admin.GetFromJsonAsync<List<TierSetView>>($"{Tiers}/versions", ApiJson.Options))!;
        Assert.Equal(Enumerable.Range(1, start.Version + 1).Reverse(), versions.Select(v => v.Version));
        Assert.Equal("configuration", versions[^1].SavedBy);
        Assert.Equal(["New", "Bronze", "Silver", "Gold"], versions[^1].Tiers.Select(t => t.Name));
        var audited = await app.WithDbAsync(db => db.AuditEntries.Where(e => e.Action == "tier.update" && e.TargetId == $"{start.Version + 1}").ToListAsync());
        Assert.Equal("raise Silver", Assert.Single(audited).Reason);
    }

    [Fact]
    public async Task Preview_CountsWhoWouldMoveUpOrDown_OverAHandBuiltPopulation()
    {
        var admin = await AdminAsync();
        await SaveAsync(admin, Set()); // the set in effect, so overrides to Gold are valid whatever ran before
        var proposed = new { tiers = Set(bronzeGold: 10, bronzeBound: 0.5, silverGold: 40, silverBound: 0.8, goldGold: 100, goldBound: 0.9) };
        var baseline = await PreviewAsync(admin, proposed);

        // Beta(1,1) prior: 20/0 has a lower bound near 0.84, 50/0 near 0.93, 120/0 near 0.97, 5/15 near 0.1.
        await app.ContributorAsync(tier: "New");                                   // stays New
        await app.ContributorAsync(tier: "New", goldCorrect: 20);                  // up to Bronze
        await app.ContributorAsync(tier: "Silver", goldCorrect: 50);               // stays Silver
        await app.ContributorAsync(tier: "Silver", goldCorrect: 5, goldWrong: 15); // down to New
        await app.ContributorAsync(tier: "Bronze", goldCorrect: 120);              // up to Gold
        var held = await app.ContributorAsync(tier: "New");                        // held in Gold by an override
        await OverrideAsync(admin, held, "Gold", TimeSpan.FromDays(100));

        var preview = await PreviewAsync(admin, proposed);

        Assert.Equal(
            (6, 2, 1, 2, 1),
            (preview.Contributors - baseline.Contributors, preview.Up - baseline.Up, preview.Down - baseline.Down, preview.Unchanged - baseline.Unchanged, preview.Overridden - baseline.Overridden));
        int Delta(Func<TierCount, int> count, string tier) =>
            count(preview.Tiers.Single(t => t.Tier == tier)) - (baseline.Tiers.SingleOrDefault(t => t.Tier == tier) is { } b ? count(b) : 0);
        Assert.Equal([2, 1, 2, 1], new[] { "New", "Bronze", "Silver", "Gold" }.Select(t => Delta(c => c.Before, t)));
        Assert.Equal([2, 1, 1, 2], new[] { "New", "Bronze", "Silver", "Gold" }.Select(t => Delta(c => c.After, t)));
        int Moves(TierPreview p, string from, string to) => p.Moves.SingleOrDefault(m => m.From == from && m.To == to)?.Count ?? 0;
        Assert.Equal([1, 1, 1], new[] { ("New", "Bronze"), ("Silver", "New"), ("Bronze", "Gold") }.Select(m => Moves(preview, m.Item1, m.Item2) - Moves(baseline, m.Item1, m.Item2)));
        Assert.Equal(preview.Contributors, preview.Up + preview.Down + preview.Unchanged + preview.Overridden);
    }

    [Fact]
    public async Task SavedTiers_TakeEffectAtTheNextEvaluation_AndTheMoveIsInTheHistory()
    {
        var admin = await AdminAsync();
        await SaveAsync(admin, Set(bronzeGold: 30));
        var contributor = await app.ContributorAsync(tier: "New", goldCorrect: 20);
        await ReevaluateAllAsync();
        Assert.Equal("New", await TierOfAsync(contributor));

        var version = await SaveAsync(admin, Set(bronzeGold: 15));
        Assert.Equal("New", await TierOfAsync(contributor)); // saving moves nobody by itself

        await ReevaluateAllAsync();

        Assert.Equal("Bronze", await TierOfAsync(contributor));
        var history = (await admin.GetFromJsonAsync<List<TierHistoryEntry>>($"{Tiers}/history/{contributor}", ApiJson.Options))!;
        var move = Assert.Single(history);
        Assert.Equal(("New", "Bronze", TierChangeKind.Evaluation, version), (move.From, move.To, move.Kind, move.TierSetVersion));
    }

    [Fact]
    public async Task Override_HoldsTheTierUntilItExpires_ThenEvaluationResumes()
    {
        var admin = await AdminAsync();
        await SaveAsync(admin, Set());
        var contributor = await app.ContributorAsync(tier: "New");

        await OverrideAsync(admin, contributor, "Gold", TimeSpan.FromDays(2));
        Assert.Equal("Gold", await TierOfAsync(contributor));
        await ReevaluateAllAsync();
        Assert.Equal("Gold", await TierOfAsync(contributor));

        app.Clock.Advance(TimeSpan.FromDays(2) + TimeSpan.FromMinutes(1));
        await ReevaluateAllAsync();

        Assert.Equal("New", await TierOfAsync(contributor));
        Assert.False(await app.WithDbAsync(db => db.Set<TierOverride>().AnyAsync(o => o.ContributorId == contributor)));
        var history = (await admin.GetFromJsonAsync<List<TierHistoryEntry>>($"{Tiers}/history/{contributor}", ApiJson.Options))!;
        Assert.Equal([(TierChangeKind.Expiry, "Gold", "New"), (TierChangeKind.Override, "New", "Gold")], history.Select(h => (h.Kind, h.From, h.To)));
        Assert.True(await app.WithDbAsync(db => db.AuditEntries.AnyAsync(e => e.Action == "tier.override" && e.TargetId == contributor)));
    }

    [Fact]
    public async Task RemovingAnOverride_PlacesTheContributorByTheirRecordAtOnce_AndIsAudited()
    {
        var admin = await AdminAsync();
        await SaveAsync(admin, Set());
        var contributor = await app.ContributorAsync(tier: "New");
        await OverrideAsync(admin, contributor, "Silver", TimeSpan.FromDays(10));

        var unexplained = await admin.DeleteAsync($"{Tiers}/overrides/{contributor}");
        var removed = await admin.DeleteAsync($"{Tiers}/overrides/{contributor}?reason=appeal%20upheld");
        var again = await admin.DeleteAsync($"{Tiers}/overrides/{contributor}?reason=twice");

        Assert.Equal(HttpStatusCode.BadRequest, unexplained.StatusCode);
        Assert.Contains("\"reason\"", await unexplained.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal("New", await TierOfAsync(contributor));
        var latest = (await admin.GetFromJsonAsync<List<TierHistoryEntry>>($"{Tiers}/history/{contributor}", ApiJson.Options))![0];
        Assert.Equal((TierChangeKind.Override, "Silver", "New"), (latest.Kind, latest.From, latest.To));
        Assert.Contains("appeal upheld", latest.Reason, StringComparison.Ordinal);
        var audit = await app.WithDbAsync(db => db.AuditEntries.SingleAsync(e => e.Action == "tier.override.remove" && e.TargetId == contributor));
        Assert.Equal("appeal upheld", audit.Reason);
    }

    [Fact]
    public async Task Override_WithBadFields_NamesEachField_AndAnUnknownContributorIs404()
    {
        var admin = await AdminAsync();
        var contributor = await app.ContributorAsync();

        var bad = await admin.PostAsJsonAsync($"{Tiers}/overrides/{contributor}", new { tier = "Platinum", reason = " ", expiresAt = app.Clock.GetUtcNow().UtcDateTime.AddDays(-1) });
        var nobody = await admin.PostAsJsonAsync($"{Tiers}/overrides/no-such-user", new { tier = "Gold", reason = "r", expiresAt = app.Clock.GetUtcNow().UtcDateTime.AddDays(1) });

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        foreach (var field in new[] { "tier", "reason", "expiresAt" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}: {errors}");
        }

        Assert.Equal(HttpStatusCode.NotFound, nobody.StatusCode);
    }

    [Fact]
    public async Task TierSet_PayMultiplierAndHoldDays_ReachTheEarnings()
    {
        var admin = await AdminAsync();
        await SaveAsync(admin, Set(silverPay: 1.5m, silverHold: 3));
        var job = await app.ActiveJobAsync(items: 1, redundancy: 1);
        var contributor = await app.ContributorAsync(tier: "Silver", goldCorrect: 60);

        await app.LabelAsync(contributor, job.Id, "cat");

        var earning = await app.WithDbAsync(db => db.Earnings.SingleAsync(e => e.ContributorId == contributor));
        Assert.Equal(("Silver", 15L), (earning.Tier, earning.PayMinor)); // 10 × 1.5
        Assert.Equal(TimeSpan.FromDays(3), earning.ReleaseAfter - earning.AccruedAt);
    }

    [Fact]
    public async Task ATierLimitedToSomeTaskTypes_UnlocksOnlyThoseJobs()
    {
        var admin = await AdminAsync();
        object[] set = [Tier("New", 1, 0, 0, taskTypes: ["FreeText"]), Tier("Bronze", 2, 10, 0.5), Tier("Silver", 3, 40, 0.8), Tier("Gold", 4, 100, 0.9)];
        await SaveAsync(admin, set);
        var job = await app.ActiveJobAsync(items: 1, redundancy: 1);
        var contributor = await app.ContributorAsync(tier: "New");

        var refused = await app.WithServiceAsync<ClaimTask, Outcome<TaskView?>>(claim => claim.ExecuteAsync(contributor, job.Id, CancellationToken.None));

        Assert.Equal(FailureKind.Forbidden, refused.Failure?.Kind);
        Assert.Contains("does not unlock SingleChoice", refused.Failure!.Detail, StringComparison.Ordinal);
        await SaveAsync(admin, Set());
        await app.LabelAsync(contributor, job.Id, "cat"); // asserts the claim and the submit succeed
        Assert.Equal(1, await app.WithDbAsync(db => db.Assignments.CountAsync(a => a.ContributorId == contributor && a.JobId == job.Id)));
    }

    [Fact]
    public async Task RemovingATierAnOpenJobRequires_IsRefused()
    {
        var admin = await AdminAsync();
        await SaveAsync(admin, Set());
        await app.ActiveJobAsync(items: 1, minimumTier: "Silver");
        var current = await CurrentAsync(admin);

        var response = await admin.PutAsJsonAsync(Tiers, new { expectedVersion = current.Version, reason = "drop Silver", tiers = new[] { Tier("New", 1, 0, 0), Tier("Bronze", 2, 10, 0.5), Tier("Gold", 4, 100, 0.9) } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Tier 'Silver' is the minimum tier of", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    public static TheoryData<string, string> Routes => new()
    {
        { "GET", Tiers },
        { "GET", $"{Tiers}/versions" },
        { "POST", $"{Tiers}/preview" },
        { "PUT", Tiers },
        { "GET", $"{Tiers}/overrides" },
        { "POST", $"{Tiers}/overrides/someone" },
        { "DELETE", $"{Tiers}/overrides/someone?reason=x" },
        { "GET", $"{Tiers}/history/someone" },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task EveryTierRoute_RefusesAnonymousBuyersAndContributors(string method, string path)
    {
        foreach (var role in new[] { null, Roles.Buyer, Roles.Contributor })
        {
            var browser = role is null ? new BrowserSession(app.CreateBrowserClient()) : (await app.SignedInAsync(role)).Browser;
            var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (method is "POST" or "PUT")
            {
                request.Content = JsonContent.Create(new { expectedVersion = 1, reason = "r", tier = "Gold", expiresAt = app.Clock.GetUtcNow().UtcDateTime.AddDays(1), tiers = Set() });
            }

            var response = await browser.Client.SendAsync(request);

            Assert.Equal(role is null ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden, response.StatusCode);
        }

        Assert.False(await app.WithDbAsync(db => db.Set<TierSetVersion>().AnyAsync(v => v.Reason == "r")));
    }

    [Theory]
    [InlineData(null, "/Account/SignIn")]
    [InlineData(Roles.Buyer, "/Account/AccessDenied")]
    [InlineData(Roles.Contributor, "/Account/AccessDenied")]
    public async Task TiersPage_IsForAdminsOnly(string? role, string redirect)
    {
        var browser = role is null ? new BrowserSession(app.CreateBrowserClient()) : (await app.SignedInAsync(role)).Browser;

        var response = await browser.Client.GetAsync("/Admin/Tiers");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains(redirect, response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TiersPage_PreviewsAnEdit_ThenSavesItAsTheNextVersion()
    {
        var (_, browser) = await app.SignedInAsync(Roles.Admin);
        var admin = browser.Client;
        await SaveAsync(admin, Set());
        var current = await CurrentAsync(admin);
        await app.ContributorAsync(tier: "New", goldCorrect: 30);
        var page = await admin.GetStringAsync("/Admin/Tiers");
        Assert.Contains("href=\"/Admin/Tiers\"", page, StringComparison.Ordinal);
        Assert.Contains($"Version {current.Version}", page, StringComparison.Ordinal);

        var form = new Dictionary<string, string> { ["ExpectedVersion"] = $"{current.Version}", ["Reason"] = "Bronze from 5 gold answers" };
        var rows = new[] { ("New", 1, 0, "0"), ("Bronze", 2, 5, "0.5"), ("Silver", 3, 40, "0.8"), ("Gold", 4, 100, "0.9") };
        for (var i = 0; i < rows.Length; i++)
        {
            (form[$"Rows[{i}].Name"], form[$"Rows[{i}].Order"], form[$"Rows[{i}].MinGoldCount"], form[$"Rows[{i}].MinLowerBound"]) = (rows[i].Item1, $"{rows[i].Item2}", $"{rows[i].Item3}", rows[i].Item4);
            (form[$"Rows[{i}].PayMultiplier"], form[$"Rows[{i}].HoldDays"], form[$"Rows[{i}].GoldRateFactor"], form[$"Rows[{i}].TaskTypes"]) = ("1", "7", "1", "");
        }

        var previewed = await browser.PostFormAsync("/Admin/Tiers", form, "Preview");
        var preview = await previewed.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, previewed.StatusCode);
        Assert.Contains("data-testid=\"preview\"", preview, StringComparison.Ordinal);
        Assert.Contains("New → Bronze", preview, StringComparison.Ordinal);
        Assert.Equal(current.Version, (await CurrentAsync(admin)).Version);

        var saved = await browser.PostFormAsync("/Admin/Tiers", form, "Save");
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal((current.Version + 1, 5), ((await CurrentAsync(admin)).Version, (await CurrentAsync(admin)).Tiers[1].MinGoldCount));

        var stale = await browser.PostFormAsync("/Admin/Tiers", form, "Save");
        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
        Assert.Contains($"the current version is {current.Version + 1}", await stale.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<HttpClient> AdminAsync() => (await app.SignedInAsync(Roles.Admin)).Browser.Client;

    private static async Task<TierSetView> CurrentAsync(HttpClient admin) => (await admin.GetFromJsonAsync<TierSetView>(Tiers, ApiJson.Options))!;

    private static async Task<int> SaveAsync(HttpClient admin, object[] tiers)
    {
        var current = await CurrentAsync(admin);
        var response = await admin.PutAsJsonAsync(Tiers, new { expectedVersion = current.Version, reason = "test set", tiers });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<TierSetView>(ApiJson.Options))!.Version;
    }

    private static async Task<TierPreview> PreviewAsync(HttpClient admin, object request)
    {
        var response = await admin.PostAsJsonAsync($"{Tiers}/preview", request);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<TierPreview>(ApiJson.Options))!;
    }

    private async Task OverrideAsync(HttpClient admin, string contributor, string tier, TimeSpan lasting)
    {
        var response = await admin.PostAsJsonAsync($"{Tiers}/overrides/{contributor}", new { tier, reason = "test override", expiresAt = app.Clock.GetUtcNow().UtcDateTime + lasting });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private Task<int> ReevaluateAllAsync() => app.WithServiceAsync<ContributorTiers, int>(t => t.ReevaluateAllAsync(CancellationToken.None));

    private Task<string> TierOfAsync(string contributor) => app.WithDbAsync(db => db.ContributorProfiles.Where(p => p.UserId == contributor).Select(p => p.Tier).SingleAsync());
}

public sealed class SqliteTierTests(SqliteAppFactory app) : TierTests(app), IClassFixture<SqliteAppFactory>;

/// <summary>On a PostgreSQL database of its own (like the stress tests): the tiers it saves would change the shared one's.</summary>
public sealed class PostgresTierTests(PostgresAppFactory app) : TierTests(app), IClassFixture<PostgresAppFactory>;
