using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Payouts;
using Marketplace.Web.Domain;
using Marketplace.Web.Fraud;
using Marketplace.Web.Hosting;
using Marketplace.Web.Live;
using Marketplace.Web.Tasks;
using Marketplace.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace Marketplace.Web.Tests;

/// <summary>Fraud cases end to end: the scan opens them, admins decide, contributors see and appeal, money and items follow.</summary>
public abstract class FraudCasesTests(MarketplaceAppFactory app)
{
    [Fact]
    public async Task Scan_OpensATooFastCaseForAPlantedSpeeder_AndNoneForAnHonestContributor()
    {
        var job = await app.ActiveJobAsync(items: 8, redundancy: 2);
        var speeder = await app.ContributorAsync();
        var honest = await app.ContributorAsync();
        for (var i = 0; i < 6; i++)
        {
            await app.LabelAsync(speeder, job.Id, "cat");
            await app.LabelAsync(honest, job.Id, i % 2 == 0 ? "cat" : "dog", thinking: TimeSpan.FromSeconds(3));
        }

        await ScanAsync();

        var cases = await CasesOfAsync(speeder, honest);
        var found = Assert.Single(cases);
        Assert.Equal((speeder, FraudCaseKind.TooFast, FraudCaseStatus.Open), (found.ContributorId, found.Kind, found.Status));
        var evidence = Evidence(found);
        Assert.Equal(6, evidence.Answers.Count);
        Assert.All(evidence.Answers, a => Assert.True(a.Seconds < 2, $"{a.Seconds} s"));
        Assert.All(evidence.Answers, a => Assert.Equal("cat", a.Answer));
        Assert.Contains("6 of the last 6 answers under the 2 s floor", found.Summary, StringComparison.Ordinal);
        Assert.Equal(FraudCaseActionKind.Opened, Assert.Single(await HistoryAsync(found.Id)).Action);
    }

    [Fact]
    public async Task Scan_Again_RefreshesTheOpenCaseWithFreshEvidence_AndTheDatabaseRefusesADouble()
    {
        var job = await app.ActiveJobAsync(items: 8, redundancy: 1);
        var speeder = await app.ContributorAsync();
        for (var i = 0; i < 5; i++)
        {
            await app.LabelAsync(speeder, job.Id, "dog");
        }

        await ScanAsync();
        var first = Assert.Single(await CasesOfAsync(speeder));
        await app.LabelAsync(speeder, job.Id, "dog");
        await ScanAsync();
        await ScanAsync();

        var again = Assert.Single(await CasesOfAsync(speeder));
        Assert.Equal(first.Id, again.Id);
        Assert.Equal(2, again.Version);
        Assert.Equal(6, Evidence(again).Answers.Count);
        Assert.Single(await HistoryAsync(first.Id));

        var doubled = await Assert.ThrowsAsync<DbUpdateException>(() => app.WithDbAsync(db =>
        {
            db.Set<FraudCase>().Add(NewCase(speeder, FraudCaseKind.TooFast));
            return db.SaveChangesAsync();
        }));
        Assert.NotNull(doubled);
    }

    [Fact]
    public async Task Scan_FlagsAGoldFailureStreak_WithTheFailuresAndAnAccountOnTheSameDevice()
    {
        var job = await app.ActiveJobAsync(items: 1, gold: 5, goldRate: 1.0, goldAnswer: _ => "\"cat\""); // gold first, while any is unseen
        var failing = await app.ContributorAsync();
        var partner = await app.ContributorAsync();
        await app.WithServiceAsync<Fingerprints, int>(async f =>
        {
            await f.SeenAsync(failing, FingerprintKind.Device, "d3v1ce-shared", CancellationToken.None);
            await f.SeenAsync(partner, FingerprintKind.Device, "d3v1ce-shared", CancellationToken.None);
            await f.SeenAsync(failing, FingerprintKind.Ip, "203.0.113.7", CancellationToken.None);
            return 0;
        });
        for (var i = 0; i < 4; i++)
        {
            await app.LabelAsync(failing, job.Id, "dog", thinking: TimeSpan.FromSeconds(3));
        }

        await ScanAsync();

        var found = Assert.Single(await CasesOfAsync(failing));
        Assert.Equal(FraudCaseKind.GoldFailureStreak, found.Kind);
        var evidence = Evidence(found);
        Assert.Equal(4, evidence.GoldFailures.Count);
        Assert.All(evidence.GoldFailures, g => Assert.Equal((true, false), (g.Gold, g.Correct)));
        var linked = Assert.Single(evidence.Partners);
        Assert.Equal(partner, linked.ContributorId);
        Assert.Equal([new EvidenceLink("Device", "d3v1ce-shared")], linked.Links);
        Assert.Empty(await CasesOfAsync(partner));
    }

    [Fact]
    public async Task Scan_FlagsCollusion_WhenAgreeingAccountsShareADevice_AndNotAnEquallyAgreeingPairThatDoesNot()
    {
        var linkedJob = await app.ActiveJobAsync(items: 10, redundancy: 2);
        var strangersJob = await app.ActiveJobAsync(items: 10, redundancy: 2);
        var (a, b, c, d) = (await app.ContributorAsync(), await app.ContributorAsync(), await app.ContributorAsync(), await app.ContributorAsync());
        await app.WithServiceAsync<Fingerprints, int>(async f =>
        {
            await f.SeenAsync(a, FingerprintKind.Device, "one-laptop", CancellationToken.None);
            await f.SeenAsync(b, FingerprintKind.Device, "one-laptop", CancellationToken.None);
            await f.SeenAsync(c, FingerprintKind.Device, "laptop-c", CancellationToken.None);
            await f.SeenAsync(d, FingerprintKind.Device, "laptop-d", CancellationToken.None);
            return 0;
        });
        for (var i = 0; i < 10; i++)
        {
            foreach (var (who, job) in new[] { (a, linkedJob), (b, linkedJob), (c, strangersJob), (d, strangersJob) })
            {
                await app.LabelAsync(who, job.Id, "cat");
            }
        }

        await ScanAsync();

        var collusion = (await CasesOfAsync(a, b, c, d)).Where(x => x.Kind == FraudCaseKind.Collusion).ToList();
        Assert.Equal(new[] { a, b }.Order(StringComparer.Ordinal), collusion.Select(x => x.ContributorId).Order(StringComparer.Ordinal));
        var partner = Assert.Single(Evidence(collusion.Single(x => x.ContributorId == a)).Partners);
        Assert.Equal((b, 10, 10, 0), (partner.ContributorId, partner.SharedItems, partner.Agreements, partner.SharedWrongGold));
        Assert.Contains(new EvidenceLink("Device", "one-laptop"), partner.Links);
    }

    [Fact]
    public async Task SignIn_RecordsTheDevice_AndTwoAccountsFromOneBrowserAreLinked()
    {
        var first = await app.CreateUserAsync(Roles.Contributor, password: BrowserSession.Password);
        var second = await app.CreateUserAsync(Roles.Contributor, password: BrowserSession.Password);
        var browser = new BrowserSession(app.CreateBrowserClient());
        browser.Client.DefaultRequestHeaders.UserAgent.ParseAdd("FraudTest/1.0");

        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync(first.Email!)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostFormAsync("/Account/SignOut", new Dictionary<string, string>())).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync(second.Email!)).StatusCode);

        var devices = await app.WithDbAsync(db => db.Set<ContributorFingerprint>().Where(f => (f.UserId == first.Id || f.UserId == second.Id) && f.Kind == FingerprintKind.Device).ToListAsync());
        Assert.Equal(2, devices.Count);
        Assert.Single(devices.Select(f => f.Value).Distinct());
        var linked = await app.WithDbAsync(db => Fingerprints.LinkedAccountsAsync(db, [first.Id], 10, CancellationToken.None));
        Assert.Equal(second.Id, Assert.Single(linked[first.Id]).ContributorId);
    }

    [Fact]
    public async Task APayoutAccountConnectedWhileSuspended_IsOnHoldFromTheStart()
    {
        var (contributor, browser) = await app.SignedInAsync(Roles.Contributor);
        await app.ProfileAsync(contributor.Id, [TaskType.SingleChoice]);
        await app.WithDbAsync(db => db.ContributorProfiles.Where(p => p.UserId == contributor.Id).ExecuteUpdateAsync(s => s.SetProperty(p => p.SuspendedAt, DateTime.UtcNow)));

        (await browser.Client.PostAsync("/api/work/payout-account", null)).EnsureSuccessStatusCode();

        Assert.True(await app.WithDbAsync(db => db.PayoutAccounts.AnyAsync(p => p.ContributorId == contributor.Id && p.OnHold)));
    }

    [Fact]
    public async Task Suspend_RefusesClaims_EndsLeases_HoldsPayouts_RecordsWhoWhenWhy_AndTheContributorSeesTheReason()
    {
        var job = await app.ActiveJobAsync(items: 12, redundancy: 1);
        var (contributor, contributorBrowser) = await app.SignedInAsync(Roles.Contributor);
        await app.ProfileAsync(contributor.Id, [TaskType.SingleChoice]);
        await app.WithServiceAsync<ConnectPayoutAccount, OnboardingLink>(c => c.ExecuteAsync(contributor.Id, contributor.Email, "US", new Uri("http://localhost/r"), new Uri("http://localhost/b")));
        for (var i = 0; i < 6; i++)
        {
            await app.LabelAsync(contributor.Id, job.Id, "cat");
        }

        var held = await contributorBrowser.Client.PostAsync($"/api/work/jobs/{job.Id}/claim", null);
        var lease = (await held.Content.ReadFromJsonAsync<TaskView>(ApiJson.Options))!;
        await ScanAsync();
        var (admin, adminBrowser) = await app.SignedInAsync(Roles.Admin);
        var list = await adminBrowser.Client.GetFromJsonAsync<CaseList>($"/api/admin/cases?contributor={contributor.Id}&kind=TooFast&status=undecided", ApiJson.Options);
        var summary = Assert.Single(list!.Cases);
        var before = await adminBrowser.Client.GetFromJsonAsync<CaseDetail>($"/api/admin/cases/{summary.Id}", ApiJson.Options);
        Assert.Equal(6, before!.Evidence.Answers.Count);

        var suspended = await adminBrowser.Client.PostAsJsonAsync($"/api/admin/cases/{summary.Id}/suspend", new { version = summary.Version, reason = "Six answers in under two seconds each." });

        Assert.Equal(HttpStatusCode.OK, suspended.StatusCode);
        var detail = (await suspended.Content.ReadFromJsonAsync<CaseDetail>(ApiJson.Options))!;
        Assert.Equal((FraudCaseStatus.Suspended, summary.Version + 1, true), (detail.Case.Status, detail.Case.Version, detail.PayoutsHeld));
        Assert.NotNull(detail.SuspendedAt);
        var line = detail.History[^1];
        Assert.Equal((FraudCaseActionKind.Suspend, admin.Id, "Six answers in under two seconds each."), (line.Action, line.ActorId, line.Reason));
        Assert.True(await app.WithDbAsync(db => db.AuditEntries.AnyAsync(e => e.Action == "case.suspend" && e.TargetId == summary.Id.ToString() && e.ActorId == admin.Id)));

        await ProblemAssert.StatusAsync(await contributorBrowser.Client.PostAsync($"/api/work/jobs/{job.Id}/claim", null), HttpStatusCode.Forbidden, "suspended");
        await ProblemAssert.StatusAsync(await contributorBrowser.Client.PostAsync("/api/work/claim", null), HttpStatusCode.Forbidden, "suspended");
        await ProblemAssert.StatusAsync(
            await contributorBrowser.Client.PostAsJsonAsync($"/api/work/assignments/{lease.AssignmentId}/submit", new { answer = "cat" }), HttpStatusCode.Conflict, "expired");
        Assert.True(await app.WithDbAsync(db => db.PayoutAccounts.AnyAsync(p => p.ContributorId == contributor.Id && p.OnHold)));
        var standing = await contributorBrowser.Client.GetFromJsonAsync<Standing>("/api/work/standing", ApiJson.Options);
        var mine = Assert.Single(standing!.Cases);
        Assert.Equal((FraudCaseStatus.Suspended, "Six answers in under two seconds each.", true), (mine.Status, mine.Reason, mine.CanAppeal));
        Assert.Contains("Six answers in under two seconds each.", await contributorBrowser.Client.GetStringAsync("/Work"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RejectRange_ReopensExactlyThoseItems_AndReversesExactlyTheirPendingEarnings()
    {
        var job = await app.ActiveJobAsync(items: 5, redundancy: 2);
        var fraudster = await app.ContributorAsync();
        var honest = await app.ContributorAsync();
        var items = new List<Guid>();
        for (var i = 0; i < 4; i++)
        {
            items.Add(await app.LabelAsync(fraudster, job.Id, "dog", thinking: TimeSpan.FromSeconds(10)));
        }

        for (var i = 0; i < 4; i++)
        {
            await app.LabelAsync(honest, job.Id, "cat");
        }

        var labels = await app.WithDbAsync(db => db.Assignments.Where(a => a.ContributorId == fraudster).OrderBy(a => a.EndedAt).ToListAsync());
        Assert.All(items, item => Assert.NotNull(app.WithDbAsync(db => db.Items.SingleAsync(i => i.Id == item)).Result.FinalizedAt));
        var pay = await app.WithDbAsync(db => db.Earnings.Where(e => e.ContributorId == fraudster).ToDictionaryAsync(e => e.AssignmentId, e => e.PayMinor + e.FeeMinor));
        var escrowBefore = await EscrowAsync(job.Id);
        var fraudCase = await PlantCaseAsync(fraudster, FraudCaseKind.SpammerScore);
        var (_, adminBrowser) = await app.SignedInAsync(Roles.Admin);

        var response = await adminBrowser.Client.PostAsJsonAsync($"/api/admin/cases/{fraudCase.Id}/reject-labels", new
        {
            version = 1,
            reason = "Answers ignore the items.",
            from = labels[0].EndedAt!.Value.AddSeconds(-1),
            to = labels[2].EndedAt!.Value.AddSeconds(1),
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var detail = (await response.Content.ReadFromJsonAsync<CaseDetail>(ApiJson.Options))!;
        Assert.Equal(FraudCaseStatus.Open, detail.Case.Status);
        using (var details = JsonDocument.Parse(detail.History[^1].Details!))
        {
            Assert.Equal(3, details.RootElement.GetProperty("labelsRejected").GetInt32());
            Assert.Equal(3, details.RootElement.GetProperty("itemsReopened").GetInt32());
        }

        var after = await app.WithDbAsync(db => db.Assignments.Where(a => a.ContributorId == fraudster).OrderBy(a => a.EndedAt).Select(a => a.Status).ToListAsync());
        Assert.Equal([AssignmentStatus.Rejected, AssignmentStatus.Rejected, AssignmentStatus.Rejected, AssignmentStatus.Submitted], after);
        var reopened = labels.Take(3).Select(l => l.ItemId).ToHashSet();
        foreach (var itemId in items)
        {
            var item = await app.WithDbAsync(db => db.Items.AsNoTracking().SingleAsync(i => i.Id == itemId));
            if (reopened.Contains(itemId))
            {
                Assert.Equal((1, 1, (DateTime?)null), (item.LabelsHeld, item.LabelsSubmitted, item.FinalizedAt));
                Assert.Equal("\"cat\"", item.ConsensusAnswer); // decided again from the honest label alone
            }
            else
            {
                Assert.Equal((2, 2), (item.LabelsHeld, item.LabelsSubmitted));
                Assert.NotNull(item.FinalizedAt);
            }
        }

        var earnings = await app.WithDbAsync(db => db.Earnings.Where(e => e.ContributorId == fraudster).ToDictionaryAsync(e => e.AssignmentId, e => e.Status));
        Assert.All(labels.Take(3), l => Assert.Equal(EarningStatus.Reversed, earnings[l.Id]));
        Assert.Equal(EarningStatus.Pending, earnings[labels[3].Id]);
        var balance = Assert.Single(await app.WithServiceAsync<PayoutQueries, IReadOnlyList<ContributorBalance>>(q => q.BalancesAsync(fraudster)));
        Assert.Equal(await app.WithDbAsync(db => db.Earnings.Where(e => e.AssignmentId == labels[3].Id).Select(e => e.PayMinor).SingleAsync()), balance.PendingMinor);
        Assert.Equal(escrowBefore + labels.Take(3).Sum(l => pay[l.Id]), await EscrowAsync(job.Id));
        Assert.All((await app.WithServiceAsync<Ledger, IReadOnlyDictionary<string, long>>(l => l.TrialBalanceAsync())).Values, net => Assert.Equal(0, net));
        Assert.Empty(await app.WithServiceAsync<Ledger, IReadOnlyList<(LedgerAccountId Account, string Currency, long Running, long Entries)>>(l => l.RunningBalanceDriftAsync()));

        // The slots are back in the pool: a newcomer gets exactly those three items, then nothing but the untouched fifth.
        var newcomer = await app.ContributorAsync();
        var served = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            served.Add(await app.LabelAsync(newcomer, job.Id, "cat"));
        }

        Assert.Equal(reopened.Order(), served.Order());
        Assert.DoesNotContain(await app.LabelAsync(newcomer, job.Id, "cat"), items);
    }

    [Fact]
    public async Task Actions_OnAStaleVersionOrAClosedCase_Are409_AndBadInputNamesTheField()
    {
        var contributor = await app.ContributorAsync();
        var fraudCase = await PlantCaseAsync(contributor, FraudCaseKind.ConstantAnswers);
        var (_, admin) = await app.SignedInAsync(Roles.Admin);
        var url = $"/api/admin/cases/{fraudCase.Id}";

        await ProblemAssert.FieldAsync(await admin.Client.PostAsJsonAsync($"{url}/warn", new { reason = "x" }), "version");
        await ProblemAssert.FieldAsync(await admin.Client.PostAsJsonAsync($"{url}/warn", new { version = 1, reason = "  " }), "reason");
        await ProblemAssert.FieldAsync(await admin.Client.PostAsJsonAsync($"{url}/warn", new { version = 1, reason = new string('x', 2001) }), "reason");
        await ProblemAssert.FieldAsync(await admin.Client.PostAsJsonAsync($"{url}/reject-labels", new { version = 1, reason = "r", to = DateTime.UtcNow }), "from");
        await ProblemAssert.FieldAsync(await admin.Client.PostAsJsonAsync($"{url}/reject-labels", new { version = 1, reason = "r", from = DateTime.UtcNow, to = DateTime.UtcNow.AddHours(-1) }), "to");
        await ProblemAssert.FieldAsync(await admin.Client.GetAsync("/api/admin/cases?status=bogus"), "status");
        await ProblemAssert.FieldAsync(await admin.Client.GetAsync("/api/admin/cases?kind=bogus"), "kind");
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Client.PostAsJsonAsync($"{url}/forgive", new { version = 1, reason = "r" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Client.PostAsJsonAsync($"/api/admin/cases/{Guid.NewGuid()}/warn", new { version = 1, reason = "r" })).StatusCode);

        await ProblemAssert.StatusAsync(await admin.Client.PostAsJsonAsync($"{url}/suspend", new { version = 7, reason = "r" }), HttpStatusCode.Conflict, "not 7");
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.PostAsJsonAsync($"{url}/dismiss", new { version = 1, reason = "A fast but careful worker." })).StatusCode);
        await ProblemAssert.StatusAsync(await admin.Client.PostAsJsonAsync($"{url}/ban", new { version = 2, reason = "r" }), HttpStatusCode.Conflict, "closed");

        var closed = await app.WithDbAsync(db => db.Set<FraudCase>().AsNoTracking().SingleAsync(c => c.Id == fraudCase.Id));
        Assert.Equal((FraudCaseStatus.Dismissed, (string?)null, 2), (closed.Status, closed.OpenKey, closed.Version));
        Assert.Null(await app.WithDbAsync(db => db.ContributorProfiles.Where(p => p.UserId == contributor).Select(p => p.SuspendedAt).SingleAsync()));
        // Closed, the same kind may open afresh.
        await PlantCaseAsync(contributor, FraudCaseKind.ConstantAnswers);
    }

    [Fact]
    public async Task Warning_IsShownToTheContributor_WhoMayAppealOnce_AndTheAdminSeesTheAppeal()
    {
        var (contributor, browser) = await app.SignedInAsync(Roles.Contributor);
        await app.ProfileAsync(contributor.Id, [TaskType.SingleChoice]);
        var other = await app.SignedInAsync(Roles.Contributor);
        var fraudCase = await PlantCaseAsync(contributor.Id, FraudCaseKind.GoldFailureStreak);
        var (_, admin) = await app.SignedInAsync(Roles.Admin);
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.PostAsJsonAsync($"/api/admin/cases/{fraudCase.Id}/warn", new { version = 1, reason = "Read the gold guidelines again." })).StatusCode);

        var home = await browser.Client.GetStringAsync("/Work");
        Assert.Contains("Read the gold guidelines again.", home, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"appeal-form\"", home, StringComparison.Ordinal);
        await ProblemAssert.FieldAsync(await browser.Client.PostAsJsonAsync("/api/work/appeals", new { caseId = fraudCase.Id, text = "" }), "text");
        await ProblemAssert.FieldAsync(await browser.Client.PostAsJsonAsync("/api/work/appeals", new { text = "why" }), "caseId");
        Assert.Equal(HttpStatusCode.NotFound, (await other.Browser.Client.PostAsJsonAsync("/api/work/appeals", new { caseId = fraudCase.Id, text = "not mine" })).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await browser.Client.PostAsJsonAsync("/api/work/appeals", new { caseId = fraudCase.Id, text = "Those gold items were ambiguous." })).StatusCode);
        await ProblemAssert.StatusAsync(await browser.Client.PostAsJsonAsync("/api/work/appeals", new { caseId = fraudCase.Id, text = "Again." }), HttpStatusCode.Conflict, "once");

        var detail = await admin.Client.GetFromJsonAsync<CaseDetail>($"/api/admin/cases/{fraudCase.Id}", ApiJson.Options);
        Assert.Equal("Those gold items were ambiguous.", detail!.Appeal);
        Assert.True(detail.Case.Appealed);
        Assert.Equal((FraudCaseActionKind.Appeal, contributor.Id), (detail.History[^1].Action, detail.History[^1].ActorId));
        Assert.Contains("Those gold items were ambiguous.", await admin.Client.GetStringAsync($"/Admin/Cases/{fraudCase.Id}"), StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"appeal-form\"", await browser.Client.GetStringAsync("/Work"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ban_LocksTheAccount_SignInAndApiTokensAreRefused_AndClaimsToo()
    {
        var job = await app.ActiveJobAsync(items: 3);
        var contributor = await app.CreateUserAsync(Roles.Contributor, password: BrowserSession.Password);
        await app.ProfileAsync(contributor.Id, [TaskType.SingleChoice]);
        var token = await app.CreateApiTokenAsync(contributor.Id);
        var api = app.CreateClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/work/dashboard")).StatusCode);
        var fraudCase = await PlantCaseAsync(contributor.Id, FraudCaseKind.Collusion);
        var (_, admin) = await app.SignedInAsync(Roles.Admin);

        var banned = await admin.Client.PostAsJsonAsync($"/api/admin/cases/{fraudCase.Id}/ban", new { version = 1, reason = "Runs three accounts from one laptop." });

        Assert.Equal(HttpStatusCode.OK, banned.StatusCode);
        var detail = (await banned.Content.ReadFromJsonAsync<CaseDetail>(ApiJson.Options))!;
        Assert.Equal((FraudCaseStatus.Banned, true), (detail.Case.Status, detail.Banned));
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/work/dashboard")).StatusCode);
        var signIn = await new BrowserSession(app.CreateBrowserClient()).SignInAsync(contributor.Email!);
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode); // the form again, not a redirect into the app
        var claim = await app.WithServiceAsync<ClaimTask, Outcome<TaskView?>>(c => c.ExecuteAsync(contributor.Id, job.Id, CancellationToken.None));
        Assert.Equal(FailureKind.Forbidden, claim.Failure?.Kind);
    }

    [Fact]
    public async Task NewCase_IsPushedToAdmins_AndToNobodyElse()
    {
        var job = await app.ActiveJobAsync(items: 8, redundancy: 1);
        var speeder = await app.ContributorAsync();
        var admin = await app.CreateUserAsync(Roles.Admin);
        await using var adminLive = await LiveClient.ConnectAsync(app, admin.Id);
        await using var contributorLive = await LiveClient.ConnectAsync(app, speeder);
        for (var i = 0; i < 6; i++)
        {
            await app.LabelAsync(speeder, job.Id, "cat");
        }

        await ScanAsync();

        var notice = await adminLive.NextAsync<FraudCaseNotice>(nameof(ILiveClient.FraudCaseOpened), n => n.ContributorId == speeder);
        Assert.Equal(nameof(FraudCaseKind.TooFast), notice.Kind);
        Assert.Equal((await CasesOfAsync(speeder)).Single().Id, notice.CaseId);
        await Task.Delay(300);
        Assert.Empty(contributorLive.Heard<FraudCaseNotice>(nameof(ILiveClient.FraudCaseOpened)));
    }

    [Fact]
    public async Task TheScan_IsScheduledWithQuartz()
    {
        var scheduler = await app.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        Assert.NotNull(await scheduler.GetJobDetail(FraudScanJob.Key));
    }

    public static TheoryData<string, string> AdminRoutes => new()
    {
        { "GET", "/api/admin/cases" },
        { "GET", $"/api/admin/cases/{Guid.Empty}" },
        { "POST", $"/api/admin/cases/{Guid.Empty}/suspend" },
        { "POST", "/api/admin/cases/scan" },
        { "GET", "/Admin/Cases" },
        { "GET", $"/Admin/Cases/{Guid.Empty}" },
    };

    [Theory]
    [MemberData(nameof(AdminRoutes))]
    public async Task AdminRoutes_RefuseBuyersContributorsAndAnonymous(string method, string path)
    {
        var anonymous = app.CreateBrowserClient();
        var anonymousResponse = await SendAsync(anonymous, method, path);
        if (path.StartsWith("/api", StringComparison.Ordinal))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymousResponse.StatusCode);
        }
        else
        {
            Assert.Equal(HttpStatusCode.Redirect, anonymousResponse.StatusCode);
            Assert.Contains("/Account/SignIn", anonymousResponse.Headers.Location!.ToString(), StringComparison.Ordinal);
        }

        foreach (var role in new[] { Roles.Buyer, Roles.Contributor })
        {
            var (_, browser) = await app.SignedInAsync(role);
            var response = await SendAsync(browser.Client, method, path);
            if (path.StartsWith("/api", StringComparison.Ordinal))
            {
                Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            }
            else
            {
                Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
                Assert.Contains("/Account/AccessDenied", response.Headers.Location!.ToString(), StringComparison.Ordinal);
            }
        }
    }

    [Theory]
    [InlineData("GET", "/api/work/standing")]
    [InlineData("POST", "/api/work/appeals")]
    public async Task ContributorRoutes_RefuseBuyersAdminsAndAnonymous(string method, string path)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(app.CreateBrowserClient(), method, path)).StatusCode);
        foreach (var role in new[] { Roles.Buyer, Roles.Admin })
        {
            var (_, browser) = await app.SignedInAsync(role);
            Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(browser.Client, method, path)).StatusCode);
        }
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string method, string path) =>
        method == "GET" ? client.GetAsync(path) : client.PostAsJsonAsync(path, new { version = 1, reason = "r" });

    private Task<FraudScanResult> ScanAsync() => app.WithServiceAsync<FraudScan, FraudScanResult>(s => s.RunAsync(CancellationToken.None));

    private Task<List<FraudCase>> CasesOfAsync(params string[] contributors) =>
        app.WithDbAsync(db => db.Set<FraudCase>().AsNoTracking().Where(c => contributors.Contains(c.ContributorId)).ToListAsync());

    private Task<List<FraudCaseAction>> HistoryAsync(Guid caseId) =>
        app.WithDbAsync(db => db.Set<FraudCaseAction>().AsNoTracking().Where(a => a.CaseId == caseId).OrderBy(a => a.Id).ToListAsync());

    private async Task<long> EscrowAsync(Guid jobId) =>
        (await app.WithServiceAsync<EscrowQueries, Money>(e => e.BalanceAsync(jobId, "USD", CancellationToken.None))).MinorUnits;

    private static CaseEvidence Evidence(FraudCase fraudCase) => JsonSerializer.Deserialize<CaseEvidence>(fraudCase.Evidence, JsonSerializerOptions.Web)!;

    /// <summary>An open case as the scan would leave it, for tests about what admins do with one.</summary>
    private Task<FraudCase> PlantCaseAsync(string contributor, FraudCaseKind kind) => app.WithDbAsync(async db =>
    {
        var fraudCase = NewCase(contributor, kind);
        db.Set<FraudCase>().Add(fraudCase);
        await db.SaveChangesAsync();
        return fraudCase;
    });

    private FraudCase NewCase(string contributor, FraudCaseKind kind)
    {
        var now = app.Clock.GetUtcNow().UtcDateTime;
        return new FraudCase
        {
            Id = Guid.CreateVersion7(),
            ContributorId = contributor,
            Kind = kind,
            Status = FraudCaseStatus.Open,
            OpenKey = FraudCase.KeyOf(contributor, kind),
            Score = 0.9,
            Summary = $"planted {kind}",
            Evidence = JsonSerializer.Serialize(new CaseEvidence(new EvidenceSignal(kind.ToString(), 0.9, "planted"), [], [], [], []), JsonSerializerOptions.Web),
            OpenedAt = now,
            UpdatedAt = now,
            Version = 1,
        };
    }
}

public sealed class SqliteFraudCasesTests(SqliteAppFactory app) : FraudCasesTests(app), IClassFixture<SqliteAppFactory>;

[Collection(PostgresCollection.Name)]
public sealed class PostgresFraudCasesTests(PostgresAppFactory app) : FraudCasesTests(app);
