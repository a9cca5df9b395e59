using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Marketplace.Payouts;
using Marketplace.Web.Admin;
using Marketplace.Web.Audit;
using Marketplace.Web.Data;
using Marketplace.Web.Domain;
using Marketplace.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests;

public abstract partial class AdminConsoleTests(MarketplaceAppFactory app)
{
    /// <summary>Every admin route the app maps: <c>/api/admin/...</c> endpoints and pages under <c>/Admin</c>, with each HTTP method.</summary>
    private IReadOnlyList<(string Method, string Path, bool IsPage)> AdminRoutes()
    {
        var routes = new List<(string, string, bool)>();
        foreach (var endpoint in app.Services.GetServices<EndpointDataSource>().SelectMany(s => s.Endpoints).OfType<RouteEndpoint>())
        {
            var pattern = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
            var isPage = endpoint.Metadata.GetMetadata<PageActionDescriptor>() is not null;
            if (!pattern.StartsWith("/api/admin", StringComparison.OrdinalIgnoreCase) && !(isPage && pattern.StartsWith("/Admin", StringComparison.Ordinal)))
            {
                continue;
            }

            var path = RouteParameter().Replace(pattern, m => m.Groups[1].Value.Contains("guid", StringComparison.Ordinal) || m.Groups[1].Value.EndsWith("id", StringComparison.OrdinalIgnoreCase)
                ? Guid.NewGuid().ToString()
                : "1");
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? (isPage ? ["GET", "POST"] : ["GET"]);
            routes.AddRange(methods.Select(m => (m, path, isPage)));
        }

        routes.Add(("GET", "/admin/hangfire", false));
        return routes.Distinct().ToList();
    }

    [Fact]
    public void RouteWalk_FindsTheAdminConsole()
    {
        var routes = AdminRoutes();
        Assert.Contains(routes, r => r.Path == "/api/admin/audit");
        Assert.Contains(routes, r => r.Path == "/api/admin/payouts/runs" && r.Method == "POST");
        Assert.Contains(routes, r => r.Path == "/Admin" && r.IsPage);
        Assert.Contains(routes, r => r.Path == "/Admin/Audit" && r.IsPage);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(Roles.Buyer)]
    [InlineData(Roles.Contributor)]
    public async Task EveryAdminRoute_RefusesAnyoneButAnAdmin(string? role)
    {
        var client = role is null ? app.CreateBrowserClient() : (await app.SignedInAsync(role)).Browser.Client;
        var routes = AdminRoutes();
        var let = new List<string>();
        foreach (var (method, path, isPage) in routes)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (method is "POST" or "PUT" or "PATCH")
            {
                request.Content = JsonContent.Create(new { });
            }

            using var response = await client.SendAsync(request);
            var refused = response.StatusCode switch
            {
                HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => true,
                HttpStatusCode.Redirect or HttpStatusCode.Found => response.Headers.Location?.OriginalString is { } to
                    && (to.Contains("/Account/SignIn", StringComparison.Ordinal) || to.Contains("/Account/AccessDenied", StringComparison.Ordinal)),
                _ => false,
            };
            if (!refused)
            {
                let.Add($"{method} {path} ({(isPage ? "page" : "api")}) -> {(int)response.StatusCode}");
            }
        }

        Assert.True(let.Count == 0, $"{role ?? "anonymous"} got through:{Environment.NewLine}{string.Join(Environment.NewLine, let)}");
    }

    [Fact]
    public async Task EveryAdminPage_OpensForAnAdmin()
    {
        var (_, admin) = await app.SignedInAsync(Roles.Admin);
        foreach (var (_, path, _) in AdminRoutes().Where(r => r.IsPage && r.Method == "GET" && !r.Path.Contains('-', StringComparison.Ordinal)))
        {
            var response = await admin.Client.GetAsync(path);
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound, $"{path} -> {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task AuditLog_RecordsAdminActionsAndEveryLedgerPosting_AndNeverChanges()
    {
        var (adminUser, admin) = await app.SignedInAsync(Roles.Admin);
        var job = await app.ActiveJobAsync(items: 2, gold: 0, redundancy: 1);
        var contributor = await app.ContributorAsync();
        var item = await app.LabelAsync(contributor, job.Id, "cat");
        var assignment = await app.WithDbAsync(db => db.Assignments.Where(a => a.ItemId == item).Select(a => a.Id).SingleAsync());

        var triggered = await admin.Client.PostAsync("/api/admin/payouts/runs", null);
        Assert.Equal(HttpStatusCode.Accepted, triggered.StatusCode);

        // The admin action names its admin; the label's accrual is a money line written by the system's work loop.
        var actions = await admin.Client.GetFromJsonAsync<AuditPage>($"/api/admin/audit?action=payout-run.", ApiJson.Options);
        var trigger = Assert.Single(actions!.Entries, e => e.ActorId == adminUser.Id);
        Assert.Equal("payout-run.trigger", trigger.Action);
        Assert.Equal(adminUser.Email, trigger.ActorName);

        var money = await admin.Client.GetFromJsonAsync<AuditPage>($"/api/admin/audit?action=money.Accrual&targetId={assignment:N}", ApiJson.Options);
        var accrual = Assert.Single(money!.Entries);
        Assert.Equal(CauseKind.Accrual.ToString(), accrual.TargetKind);
        Assert.Contains("amountMinor", accrual.Details, StringComparison.Ordinal);
        var funding = await admin.Client.GetFromJsonAsync<AuditPage>($"/api/admin/audit?action=money.&targetKind=Payment", ApiJson.Options);
        Assert.NotEmpty(funding!.Entries);

        // Every ledger transaction has exactly one audit line.
        var (transactions, lines) = await app.WithDbAsync(async db => (await db.LedgerTransactions.CountAsync(), await db.AuditEntries.CountAsync(e => e.Action.StartsWith("money."))));
        Assert.Equal(transactions, lines);

        // Append-only: neither an audit line nor a ledger entry can be changed or deleted through the app's context.
        await Assert.ThrowsAsync<InvalidOperationException>(() => app.WithDbAsync(async db =>
        {
            db.AuditEntries.Remove(await db.AuditEntries.FirstAsync());
            return await db.SaveChangesAsync();
        }));
        await Assert.ThrowsAsync<InvalidOperationException>(() => app.WithDbAsync(async db =>
        {
            var entry = await db.LedgerEntries.FirstAsync();
            db.Entry(entry).State = EntityState.Modified;
            return await db.SaveChangesAsync();
        }));
    }

    [Fact]
    public async Task AuditLog_FiltersPagesAndExportsCsv()
    {
        var (_, admin) = await app.SignedInAsync(Roles.Admin);
        var target = Guid.NewGuid().ToString();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var audit = scope.ServiceProvider.GetRequiredService<AuditLog>();
            for (var i = 0; i < AuditLog.PageSize + 5; i++)
            {
                audit.Record(new AuditActor("someone", "=HYPERLINK(\"http://evil\")"), "test.bulk", "Thing", target, $"reason {i}, with a comma");
            }

            await scope.ServiceProvider.GetRequiredService<MarketplaceDbContext>().SaveChangesAsync();
        }

        var first = await admin.Client.GetFromJsonAsync<AuditPage>($"/api/admin/audit?action=test.&targetId={target}", ApiJson.Options);
        Assert.Equal(AuditLog.PageSize, first!.Entries.Count);
        Assert.NotNull(first.Before);
        var second = await admin.Client.GetFromJsonAsync<AuditPage>($"/api/admin/audit?action=test.&targetId={target}&before={first.Before}", ApiJson.Options);
        Assert.Equal(5, second!.Entries.Count);
        Assert.Null(second.Before);
        Assert.Empty(first.Entries.Select(e => e.Id).Intersect(second.Entries.Select(e => e.Id)));
        Assert.Empty((await admin.Client.GetFromJsonAsync<AuditPage>($"/api/admin/audit?action=test.&targetId={target}&from={app.Clock.GetUtcNow().UtcDateTime.AddDays(1):O}", ApiJson.Options))!.Entries);

        var csv = await admin.Client.GetAsync($"/api/admin/audit.csv?targetId={target}");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var lines = (await csv.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(string.Join(',', AuditLog.CsvColumns), lines[0].TrimEnd('\r'));
        Assert.Equal(AuditLog.PageSize + 6, lines.Length);
        Assert.Contains("\"reason 0, with a comma\"", lines[1], StringComparison.Ordinal);
        Assert.DoesNotContain(",=HYPERLINK", lines[1], StringComparison.Ordinal); // a spreadsheet must not run it
    }

    [Fact]
    public async Task PayoutOversight_PausesAndResumesRuns_RefusesToRetryOrReturnAPaidPayout_AndAuditsIt()
    {
        var (adminUser, admin) = await app.SignedInAsync(Roles.Admin);
        var contributor = await app.ContributorAsync();

        // Arrange: 25.00 available and an enabled (dry-run) payout account, then a run planned and paid.
        var payoutId = await ArrangePaidPayoutAsync(contributor, 2_500);
        var runId = await app.WithDbAsync(db => db.Payouts.Where(p => p.Id == payoutId).Select(p => p.RunId).SingleAsync());

        Assert.Equal(HttpStatusCode.NoContent, (await admin.Client.PostAsync($"/api/admin/payouts/runs/{runId}/pause", null)).StatusCode);
        Assert.True(await app.WithDbAsync(db => db.PayoutRuns.Where(r => r.Id == runId).Select(r => r.Paused).SingleAsync()));
        var page = await admin.Client.GetStringAsync($"/Admin/Payouts/Run/{runId}");
        Assert.Contains("data-testid=\"run-state\">Paused", page, StringComparison.Ordinal);
        Assert.Contains("Paid", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.Client.PostAsync($"/api/admin/payouts/runs/{runId}/resume", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Client.PostAsync($"/api/admin/payouts/runs/{Guid.NewGuid()}/pause", null)).StatusCode);

        // A paid payout can be neither retried nor returned from here; a return needs a reason; unknown ids are 404.
        Assert.Equal(HttpStatusCode.Conflict, (await admin.Client.PostAsync($"/api/admin/payouts/{payoutId}/retry", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.Client.PostAsJsonAsync($"/api/admin/payouts/{payoutId}/return", new { reason = "bank said no" })).StatusCode);
        var noReason = await admin.Client.PostAsJsonAsync($"/api/admin/payouts/{payoutId}/return", new { reason = " " });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Contains("reason", await noReason.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Client.PostAsync($"/api/admin/payouts/{Guid.NewGuid()}/retry", null)).StatusCode);
        Assert.Equal(PayoutState.Paid, await app.WithDbAsync(db => db.Payouts.Where(p => p.Id == payoutId).Select(p => p.State).SingleAsync()));

        // Pause and resume are audited with their admin; the refused actions left no audit line.
        var audited = await app.WithDbAsync(db => db.AuditEntries.Where(e => e.ActorId == adminUser.Id).OrderBy(e => e.Id).Select(e => e.Action).ToListAsync());
        Assert.Equal(["payout-run.pause", "payout-run.resume"], audited);

        var runs = await admin.Client.GetStringAsync("/Admin/Payouts");
        Assert.Contains($"/Admin/Payouts/Run/{runId}", runs, StringComparison.Ordinal);
        var reconciliation = await admin.Client.GetStringAsync("/Admin/Reconciliation");
        Assert.Contains("data-testid=\"unexplained-count\">0", reconciliation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Clawback_IsAnAuditedAdminDecision_TakenOnce_AndTheContributorSeesIt()
    {
        var (adminUser, admin) = await app.SignedInAsync(Roles.Admin);
        var contributor = await app.ContributorAsync();
        var payoutId = await ArrangePaidPayoutAsync(contributor, 3_000);
        var job = await app.ActiveJobAsync(items: 1);
        var url = $"/api/admin/payouts/{payoutId}/clawback";

        await ProblemAssert.FieldAsync(await admin.Client.PostAsJsonAsync(url, new { reason = "copied answers" }), "amountMinor");
        await ProblemAssert.FieldAsync(await admin.Client.PostAsJsonAsync(url, new { amountMinor = 500, reason = " " }), "reason");
        await ProblemAssert.FieldAsync(await admin.Client.PostAsJsonAsync(url, new { amountMinor = 3_001, reason = "copied answers" }), "amountMinor");
        await ProblemAssert.FieldAsync(await admin.Client.PostAsJsonAsync(url, new { amountMinor = 500, reason = "copied answers", creditJobId = Guid.NewGuid() }), "creditJobId");
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Client.PostAsJsonAsync($"/api/admin/payouts/{Guid.NewGuid()}/clawback", new { amountMinor = 1, reason = "r" })).StatusCode);

        var decision = new { clawbackId = Guid.NewGuid(), amountMinor = 500, reason = "copied answers on job 7", creditJobId = job.Id };
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.PostAsJsonAsync(url, decision)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.PostAsJsonAsync(url, decision)).StatusCode); // a resubmitted form

        var audited = await app.WithDbAsync(db => db.AuditEntries.Where(e => e.Action == "payout.clawback" && e.TargetId == payoutId.ToString()).ToListAsync());
        var line = Assert.Single(audited);
        Assert.Equal((adminUser.Id, "copied answers on job 7"), (line.ActorId, line.Reason));
        Assert.Equal(1, await app.WithDbAsync(db => db.LedgerTransactions.CountAsync(t => t.CauseKind == CauseKind.Clawback)));
        Assert.Equal(500, await app.WithServiceAsync<EscrowQueries, long>(async e => (await e.BalanceAsync(job.Id, "USD")).MinorUnits) - await EscrowWithoutClawbackAsync(job.Id));

        // Never silent: the contributor's earnings and home page show what was taken back and why.
        var token = await app.CreateApiTokenAsync(contributor);
        var api = app.CreateClient();
        api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        var earnings = await api.GetFromJsonAsync<Payments.EarningsView>("/api/work/earnings", ApiJson.Options);
        var payout = Assert.Single(earnings!.Payouts, p => p.Id == payoutId);
        Assert.Equal(500, payout.ClawedBackMinor);
        Assert.Contains("copied answers on job 7", Assert.Single(payout.Clawbacks!), StringComparison.Ordinal);
    }

    private Task<long> EscrowWithoutClawbackAsync(Guid jobId) => app.WithDbAsync(db => db.LedgerEntries
        .Where(e => e.AccountKind == AccountKind.JobEscrow && e.AccountOwner == jobId.ToString("N")
            && !db.LedgerTransactions.Any(t => t.Id == e.TransactionId && t.CauseKind == CauseKind.Clawback))
        .SumAsync(e => e.Direction == EntryDirection.Credit ? e.AmountMinor : -e.AmountMinor));

    private async Task<Guid> ArrangePaidPayoutAsync(string contributor, long amountMinor)
    {
        var payoutId = await ArrangePlannedPayoutAsync(contributor, amountMinor);
        await app.WithServiceAsync<ExecutePayout, PayoutExecution>(e => e.ExecuteAsync(payoutId));
        return payoutId;
    }

    private Task<Guid> ArrangePlannedPayoutAsync(string contributor, long amountMinor) => app.PlannedPayoutAsync(contributor, amountMinor);

    [Fact]
    public async Task Inspection_FindsContributorsAndJobs_AndChartsCountWhatHappened()
    {
        var (_, admin) = await app.SignedInAsync(Roles.Admin);
        var job = await app.ActiveJobAsync(items: 3, gold: 2, redundancy: 1, goldRate: 0.5);
        var title = job.Title;
        var contributor = await app.ContributorAsync(goldCorrect: 8, goldWrong: 2);
        for (var n = 0; n < 3; n++)
        {
            await app.LabelAsync(contributor, job.Id, "cat");
        }

        var email = await app.WithDbAsync(db => db.Users.Where(u => u.Id == contributor).Select(u => u.Email!).SingleAsync());
        var found = await admin.Client.GetFromJsonAsync<List<ContributorRow>>($"/api/admin/contributors?q={Uri.EscapeDataString(email.ToUpperInvariant())}", ApiJson.Options);
        var row = Assert.Single(found!);
        Assert.Equal(contributor, row.UserId);
        Assert.Equal(3, row.Labels);

        var inspection = await admin.Client.GetFromJsonAsync<ContributorInspection>($"/api/admin/contributors/{contributor}", ApiJson.Options);
        Assert.Equal(3, inspection!.RecentLabels.Count);
        Assert.All(inspection.RecentLabels, l => Assert.Equal(job.Id, l.JobId));
        var goldAnswered = inspection.RecentLabels.Count(l => l.IsCorrect is not null);
        Assert.Equal(goldAnswered, inspection.AccuracyHistory.Sum(w => w.GoldAnswers));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Client.GetAsync($"/api/admin/contributors/{Guid.NewGuid()}")).StatusCode);

        var jobs = await admin.Client.GetFromJsonAsync<List<JobRow>>($"/api/admin/jobs?q={Uri.EscapeDataString(title[^8..].ToUpperInvariant())}", ApiJson.Options);
        Assert.Contains(jobs!, j => j.Id == job.Id && j.Items == 3);
        var cancelled = await admin.Client.GetFromJsonAsync<List<JobRow>>($"/api/admin/jobs?q={job.Id}&status=Cancelled", ApiJson.Options);
        Assert.Empty(cancelled!);
        var jobInspection = await admin.Client.GetFromJsonAsync<JobInspection>($"/api/admin/jobs/{job.Id}", ApiJson.Options);
        var share = Assert.Single(jobInspection!.TopContributors);
        Assert.Equal((contributor, 3), (share.UserId, share.Labels));
        Assert.Equal(3 - goldAnswered, jobInspection.Progress.Labels); // progress counts labels on real items, not gold

        // Charts: today's labels include these three; the accuracy histogram holds every contributor with gold answers.
        var charts = await admin.Client.GetFromJsonAsync<PoolCharts>("/api/admin/charts", ApiJson.Options);
        var today = app.Clock.GetUtcNow().UtcDateTime.ToString("MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(30, charts!.LabelsPerDay.Count);
        var labelsToday = await app.WithDbAsync(db => db.Assignments.CountAsync(a => a.Status == AssignmentStatus.Submitted && a.Kind != AssignmentKind.Qualification && a.EndedAt >= app.Clock.GetUtcNow().UtcDateTime.Date));
        Assert.Equal(labelsToday, charts.LabelsPerDay.Single(p => p.Label == today).Value);
        Assert.True(labelsToday >= 3);
        var withGold = await app.WithDbAsync(db => db.Qualifications.GroupBy(q => q.ContributorId).CountAsync(g => g.Sum(q => q.GoldCorrect + q.GoldWrong) > 0));
        Assert.Equal(withGold, charts.AccuracyDistribution.Sum(p => p.Value));
        Assert.Equal(12, charts.PayoutsPerWeek.Count);
        var since = app.Clock.GetUtcNow().UtcDateTime.Date.AddDays(-29);
        Assert.Equal(await app.WithDbAsync(db => db.Set<FraudCase>().CountAsync(f => f.OpenedAt >= since)), charts.FraudCasesPerDay.Sum(p => p.Value));
        Assert.Equal(30, charts.FraudCasesPerDay.Count);

        var page = await admin.Client.GetStringAsync($"/Admin/Contributors/Details/{contributor}");
        Assert.Contains(title, page, StringComparison.Ordinal);
        Assert.Contains(title, await admin.Client.GetStringAsync($"/Admin/Jobs?q={Uri.EscapeDataString(title)}"), StringComparison.Ordinal);
        Assert.Contains("data-testid=\"escrow\"", await admin.Client.GetStringAsync($"/Admin/Jobs/Details/{job.Id}"), StringComparison.Ordinal);
        Assert.Contains("data-charts=\"/api/admin/charts\"", await admin.Client.GetStringAsync("/Admin"), StringComparison.Ordinal);
    }

    [GeneratedRegex(@"\{([^}]+)\}")]
    private static partial Regex RouteParameter();
}

public sealed class SqliteAdminConsoleTests(SqliteAppFactory app) : AdminConsoleTests(app), IClassFixture<SqliteAppFactory>;

[Collection(PostgresCollection.Name)]
public sealed class PostgresAdminConsoleTests(PostgresAppFactory app) : AdminConsoleTests(app);
