using System.Net;
using System.Net.Http.Json;
using Marketplace.Web.Domain;
using Marketplace.Web.Jobs;
using Marketplace.Web.Live;
using Marketplace.Web.Tasks;
using Marketplace.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using HubException = Microsoft.AspNetCore.SignalR.HubException;

namespace Marketplace.Web.Tests;

/// <summary>Real SignalR clients: each event family arrives, with the right content, and only to the right people.</summary>
public abstract class LiveUpdatesTests(MarketplaceAppFactory app)
{
    [Fact]
    public async Task Anonymous_CannotConnect()
    {
        await using var connection = LiveClient.Build(app, webSockets: false, token: null);

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => connection.StartAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task JobWatchers_HearProgressAndStatus_AndOnlyTheirOrganizationMayWatch()
    {
        var (owner, ownerBrowser) = await app.SignedInAsync(Roles.Buyer);
        var job = await app.ActiveJobAsync(items: 2, redundancy: 2, organizationId: owner.OrganizationId);
        var stranger = await app.CreateUserAsync(Roles.Buyer, await app.CreateOrganizationAsync());
        var contributor = await app.ContributorAsync();
        var admin = await app.CreateUserAsync(Roles.Admin);
        await using var buyerLive = await LiveClient.ConnectAsync(app, owner.Id);
        await using var adminLive = await LiveClient.ConnectAsync(app, admin.Id);
        await using var strangerLive = await LiveClient.ConnectAsync(app, stranger.Id);
        await using var contributorLive = await LiveClient.ConnectAsync(app, contributor);

        await buyerLive.Connection.InvokeAsync(nameof(LiveHub.WatchJob), job.Id);
        await adminLive.Connection.InvokeAsync(nameof(LiveHub.WatchJob), job.Id);
        Assert.Contains("No such job", (await Assert.ThrowsAsync<HubException>(() => strangerLive.Connection.InvokeAsync(nameof(LiveHub.WatchJob), job.Id))).Message, StringComparison.Ordinal);
        Assert.Contains("No such job", (await Assert.ThrowsAsync<HubException>(() => contributorLive.Connection.InvokeAsync(nameof(LiveHub.WatchJob), job.Id))).Message, StringComparison.Ordinal);

        await app.LabelAsync(contributor, job.Id, "cat");

        var progress = await buyerLive.NextAsync<JobProgressNotice>(nameof(ILiveClient.JobProgress), p => p.Progress.Labels == 1);
        Assert.Equal(job.Id, progress.JobId);
        Assert.Equal(2, progress.Progress.Items);
        Assert.True(progress.Progress.SpentMinor >= job.PayPerLabelMinor);
        await adminLive.NextAsync<JobProgressNotice>(nameof(ILiveClient.JobProgress), p => p.Progress.Labels == 1);

        Assert.Equal(HttpStatusCode.OK, (await ownerBrowser.Client.PostAsync($"/api/jobs/{job.Id}/pause", null)).StatusCode);
        Assert.Equal(JobStatus.Paused, (await buyerLive.NextAsync<JobStatusNotice>(nameof(ILiveClient.JobStatusChanged))).Status);

        await Task.Delay(500); // a progress tick or two: nothing of this job may reach the others
        Assert.Empty(strangerLive.Heard<JobProgressNotice>(nameof(ILiveClient.JobProgress)));
        Assert.Empty(strangerLive.Heard<JobStatusNotice>(nameof(ILiveClient.JobStatusChanged)));
        Assert.Empty(contributorLive.Heard<JobProgressNotice>(nameof(ILiveClient.JobProgress)));
    }

    [Fact]
    public async Task Progress_IsCoalesced_ManyLabelsBecomeFewMessagesEndingWithTheTotal()
    {
        var (owner, _) = await app.SignedInAsync(Roles.Buyer);
        var job = await app.ActiveJobAsync(items: 12, redundancy: 1, organizationId: owner.OrganizationId);
        var contributors = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            contributors.Add(await app.ContributorAsync());
        }

        await using var buyerLive = await LiveClient.ConnectAsync(app, owner.Id);
        await buyerLive.Connection.InvokeAsync(nameof(LiveHub.WatchJob), job.Id);
        await Task.WhenAll(contributors.Select(c => app.LabelAsync(c, job.Id, "dog")));

        // An item is decided just after its answer commits, so a message may count a label before its item is
        // finalized; the last one has both.
        var last = await buyerLive.NextAsync<JobProgressNotice>(nameof(ILiveClient.JobProgress), p => p.Progress.Labels == 12 && p.Progress.FinalizedItems == 12);
        Assert.Equal(12, last.Progress.FinalizedItems);
        await Task.Delay(600);
        var heard = buyerLive.Heard<JobProgressNotice>(nameof(ILiveClient.JobProgress));
        Assert.True(heard.Count < 11, $"{heard.Count + 1} progress messages for 12 labels");
        Assert.Equal(JobStatus.Completed, (await buyerLive.NextAsync<JobStatusNotice>(nameof(ILiveClient.JobStatusChanged))).Status);
    }

    [Fact]
    public async Task Contributors_HearTheirOwnGoldResultsAndTierMoves_AndNobodyElses()
    {
        var job = await app.ActiveJobAsync(items: 1, gold: 3, goldRate: 1.0, goldAnswer: _ => "\"cat\""); // gold is served first, while any is unseen
        var scored = await app.ContributorAsync(goldCorrect: 59, goldWrong: 0); // one more right answer makes Gold
        var other = await app.ContributorAsync();
        await using var scoredLive = await LiveClient.ConnectAsync(app, scored);
        await using var otherLive = await LiveClient.ConnectAsync(app, other, webSockets: true);

        await app.LabelAsync(scored, job.Id, "cat");

        var gold = await scoredLive.NextAsync<GoldNotice>(nameof(ILiveClient.GoldScored));
        Assert.True(gold.Correct);
        Assert.Equal(60, gold.Accuracy.GoldAnswers);
        var tier = await scoredLive.NextAsync<TierNotice>(nameof(ILiveClient.TierChanged));
        Assert.Equal(("New", "Gold"), (tier.From, tier.To));
        await Task.Delay(300);
        Assert.Empty(otherLive.Heard<GoldNotice>(nameof(ILiveClient.GoldScored)));
        Assert.Empty(otherLive.Heard<TierNotice>(nameof(ILiveClient.TierChanged)));
    }

    [Fact]
    public async Task Contributors_HearJobsAppear_AndBuyersDoNot()
    {
        var (owner, ownerBrowser) = await app.SignedInAsync(Roles.Buyer);
        var job = await app.ActiveJobAsync(items: 3, organizationId: owner.OrganizationId, status: JobStatus.Funded);
        var contributor = await app.ContributorAsync();
        await using var contributorLive = await LiveClient.ConnectAsync(app, contributor, webSockets: true);
        await using var buyerLive = await LiveClient.ConnectAsync(app, owner.Id);

        Assert.Equal(HttpStatusCode.OK, (await ownerBrowser.Client.PostAsync($"/api/jobs/{job.Id}/launch", null)).StatusCode);

        var appeared = await contributorLive.NextAsync<FeedChange>(nameof(ILiveClient.FeedChanged), f => f.JobId == job.Id);
        Assert.Equal((FeedChangeKind.Appeared, job.Title, job.PayPerLabelMinor), (appeared.Kind, appeared.Title, appeared.PayMinor));
        var raised = await ownerBrowser.Client.PatchAsync($"/api/jobs/{job.Id}", JsonContent.Create(new { payPerLabelMinor = job.PayPerLabelMinor + 5 }));
        Assert.Equal(HttpStatusCode.OK, raised.StatusCode);
        await contributorLive.NextAsync<FeedChange>(nameof(ILiveClient.FeedChanged), f => f.JobId == job.Id && f.Kind == FeedChangeKind.Changed && f.PayMinor == job.PayPerLabelMinor + 5);
        Assert.Empty(buyerLive.Heard<FeedChange>(nameof(ILiveClient.FeedChanged)));
    }

    [Fact]
    public async Task MoneyEvents_FundingToWatchers_ReleasedEarningsToTheirContributor_RunsToAdmins()
    {
        var (owner, ownerBrowser) = await app.SignedInAsync(Roles.Buyer);
        var created = await ownerBrowser.Client.PostAsJsonAsync("/api/jobs", new { title = "Live money", taskType = "SingleChoice", labels = new[] { "a", "b" }, payPerLabelMinor = 10, currency = "USD", redundancy = 1 }, ApiJson.Options);
        var draft = (await created.Content.ReadFromJsonAsync<JobDetails>(ApiJson.Options))!;
        (await ownerBrowser.Client.PostAsync($"/api/jobs/{draft.Id}/items", new StringContent("id,text\n1,one\n", System.Text.Encoding.UTF8, "text/csv"))).EnsureSuccessStatusCode();
        var admin = await app.CreateUserAsync(Roles.Admin);
        var worker = await app.ContributorAsync();
        var bystander = await app.ContributorAsync();
        await using var buyerLive = await LiveClient.ConnectAsync(app, owner.Id);
        await using var adminLive = await LiveClient.ConnectAsync(app, admin.Id);
        await using var workerLive = await LiveClient.ConnectAsync(app, worker);
        await using var bystanderLive = await LiveClient.ConnectAsync(app, bystander);
        await buyerLive.Connection.InvokeAsync(nameof(LiveHub.WatchJob), draft.Id);

        (await ownerBrowser.Client.PostAsJsonAsync($"/api/jobs/{draft.Id}/fund", new { }, ApiJson.Options)).EnsureSuccessStatusCode();
        var funded = await buyerLive.NextAsync<FundingNotice>(nameof(ILiveClient.FundingConfirmed));
        Assert.Equal((draft.Id, 12L, 12L), (funded.JobId, funded.AmountMinor, funded.EscrowMinor));

        // Earnings become available after the hold: their contributor hears it, nobody else.
        var job = await app.ActiveJobAsync(items: 1, redundancy: 1);
        await app.LabelAsync(worker, job.Id, "cat");
        app.Clock.Advance(TimeSpan.FromDays(8));
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var release = ActivatorUtilities.CreateInstance<Marketplace.Web.Payments.ReleaseEarningsJob>(scope.ServiceProvider);
            await release.Execute(null!, CancellationToken.None);
        }

        var earnings = await workerLive.NextAsync<EarningsNotice>(nameof(ILiveClient.EarningsChanged));
        Assert.Equal(10, Assert.Single(earnings.Balances).AvailableMinor);
        await app.WithServiceAsync<Marketplace.Web.Payments.MoneyJobs, bool>(async j => { await j.PlanRunAsync($"test-{Guid.NewGuid():N}", CancellationToken.None); return true; });
        var run = await adminLive.NextAsync<PayoutRunNotice>(nameof(ILiveClient.PayoutRunProgress));
        Assert.NotNull(run.RunId);
        await Task.Delay(300);
        Assert.Empty(bystanderLive.Heard<EarningsNotice>(nameof(ILiveClient.EarningsChanged)));
        Assert.Empty(bystanderLive.Heard<PayoutRunNotice>(nameof(ILiveClient.PayoutRunProgress)));
        Assert.Empty(buyerLive.Heard<PayoutRunNotice>(nameof(ILiveClient.PayoutRunProgress)));
    }

    [Fact]
    public async Task LeaseWarnings_GoToTheLeaseHolderOnly_OncePerSweep()
    {
        var job = await app.ActiveJobAsync(items: 2);
        var holder = await app.ContributorAsync();
        var other = await app.ContributorAsync();
        await using var holderLive = await LiveClient.ConnectAsync(app, holder);
        await using var otherLive = await LiveClient.ConnectAsync(app, other);
        var task = (await app.Arrange().ClaimAsync(holder, job.Id))!;

        // Four and a half minutes into a five-minute lease, a one-minute warning with a five-second sweep catches it once.
        app.Clock.Advance(TimeSpan.FromSeconds(242));
        var warned = await app.WithServiceAsync<ExpireLeases, IReadOnlyList<Guid>>(leases => leases.WarnAsync(TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(5), CancellationToken.None));
        app.Clock.Advance(TimeSpan.FromSeconds(5));
        var next = await app.WithServiceAsync<ExpireLeases, IReadOnlyList<Guid>>(leases => leases.WarnAsync(TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(5), CancellationToken.None));

        // The app's own Quartz sweep runs too, so the holder may hear it twice; each sweep warns about it once.
        Assert.Contains(task.AssignmentId, warned);
        Assert.DoesNotContain(task.AssignmentId, next);
        var notice = await holderLive.NextAsync<LeaseNotice>(nameof(ILiveClient.LeaseExpiring), n => n.AssignmentId == task.AssignmentId);
        Assert.InRange(notice.SecondsLeft, 55, 60);
        Assert.Equal(task.LeaseExpiresAt, notice.LeaseExpiresAt, TimeSpan.FromMilliseconds(1));
        await Task.Delay(300);
        Assert.Empty(otherLive.Heard<LeaseNotice>(nameof(ILiveClient.LeaseExpiring)));
    }
}

public sealed class SqliteLiveUpdatesTests(SqliteAppFactory app) : LiveUpdatesTests(app), IClassFixture<SqliteAppFactory>;

[Collection(PostgresCollection.Name)]
public sealed class PostgresLiveUpdatesTests(PostgresAppFactory app) : LiveUpdatesTests(app);
