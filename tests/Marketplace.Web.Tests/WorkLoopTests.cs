using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Web.Domain;
using Marketplace.Web.Hosting;
using Marketplace.Web.Tasks;
using Marketplace.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests;

public abstract class WorkLoopTests(MarketplaceAppFactory app)
{
    [Fact]
    public async Task Qualification_PassingUnlocksPaidWork_AndShowsFeedback()
    {
        var job = await app.ActiveJobAsync(items: 3, gold: 4);
        var (user, browser) = await app.SignedInAsync(Roles.Contributor);
        await app.ProfileAsync(user.Id, []);

        var refused = await browser.Client.PostAsync($"/api/work/jobs/{job.Id}/claim", null);
        await ProblemAssert.StatusAsync(refused, HttpStatusCode.Forbidden, "Pass the SingleChoice qualification test first");

        var started = await browser.Client.PostAsync("/api/work/qualifications/SingleChoice", null);
        Assert.Equal(HttpStatusCode.OK, started.StatusCode);
        var test = (await started.Content.ReadFromJsonAsync<QualificationResult>(ApiJson.Options))!;
        Assert.InRange(test.Questions, 4, new TasksOptions().QualificationQuestions); // gold of any live SingleChoice job
        Assert.Equal(test.Questions, test.Open.Count);

        QualificationResult? result = null;
        foreach (var question in test.Open)
        {
            var submit = await browser.Client.PostAsJsonAsync($"/api/work/assignments/{question.AssignmentId}/submit", new { answer = "cat" });
            Assert.Equal(HttpStatusCode.OK, submit.StatusCode);
            result = (await submit.Content.ReadFromJsonAsync<SubmitResult>(ApiJson.Options))!.Qualification;
        }

        Assert.Equal(QualificationStatus.Passed, result!.Status);
        Assert.Equal(test.Questions, result.Correct);
        var latest = await browser.Client.GetFromJsonAsync<QualificationResult>("/api/work/qualifications/SingleChoice", ApiJson.Options);
        Assert.All(latest!.Feedback, f => Assert.True(f.Correct));
        Assert.Equal("cat", latest.Feedback[0].ExpectedAnswer.GetString());

        var claim = await browser.Client.PostAsync($"/api/work/jobs/{job.Id}/claim", null);
        Assert.Equal(HttpStatusCode.OK, claim.StatusCode);
        var dashboard = await browser.Client.GetFromJsonAsync<Dashboard>("/api/work/dashboard", ApiJson.Options);
        Assert.Equal(test.Questions, dashboard!.Accuracy.GoldAnswers);
        Assert.True(dashboard.Accuracy.Lower95 > 0.4 && dashboard.Accuracy.Lower95 < dashboard.Accuracy.Mean);
    }

    [Fact]
    public async Task Qualification_Failing_ShowsTheExpectedAnswersAndWhenToRetake()
    {
        await app.ActiveJobAsync(items: 1, gold: 3, type: TaskType.Pairwise, goldAnswer: _ => "\"A\"");
        var (user, browser) = await app.SignedInAsync(Roles.Contributor);
        await app.ProfileAsync(user.Id, []);

        var test = (await (await browser.Client.PostAsync("/api/work/qualifications/Pairwise", null)).Content.ReadFromJsonAsync<QualificationResult>(ApiJson.Options))!;
        foreach (var question in test.Open)
        {
            await browser.Client.PostAsJsonAsync($"/api/work/assignments/{question.AssignmentId}/submit", new { answer = "B" });
        }

        var latest = await browser.Client.GetFromJsonAsync<QualificationResult>("/api/work/qualifications/Pairwise", ApiJson.Options);
        Assert.Equal(QualificationStatus.Failed, latest!.Status);
        Assert.Equal(0, latest.Correct);
        Assert.All(latest.Feedback, f => Assert.Equal(("B", "A", false), (f.Answer!.Value.GetString(), f.ExpectedAnswer.GetString(), f.Correct)));
        Assert.NotNull(latest.RetakeAfter);
        await ProblemAssert.StatusAsync(await browser.Client.PostAsync("/api/work/qualifications/Pairwise", null), HttpStatusCode.Conflict, "retake");
    }

    [Fact]
    public async Task Qualification_WithNoGoldAnywhere_IsAClearConflict()
    {
        var (user, browser) = await app.SignedInAsync(Roles.Contributor);
        await app.ProfileAsync(user.Id, []);

        await ProblemAssert.StatusAsync(await browser.Client.PostAsync("/api/work/qualifications/FreeText", null), HttpStatusCode.Conflict, "No FreeText qualification test is available");
    }

    [Fact]
    public async Task Claim_ForAJobOneMayNotDo_Is403WithTheReason()
    {
        var tiered = await app.ActiveJobAsync(items: 2, minimumTier: "Silver");
        var paused = await app.ActiveJobAsync(items: 2, status: JobStatus.Paused);
        var (user, browser) = await app.SignedInAsync(Roles.Contributor);
        await app.ProfileAsync(user.Id, [TaskType.SingleChoice]);

        await ProblemAssert.StatusAsync(await browser.Client.PostAsync($"/api/work/jobs/{tiered.Id}/claim", null), HttpStatusCode.Forbidden, "needs tier Silver or above; you are New");
        await ProblemAssert.StatusAsync(await browser.Client.PostAsync($"/api/work/jobs/{paused.Id}/claim", null), HttpStatusCode.Conflict, "This job is Paused");
        Assert.Equal(HttpStatusCode.NotFound, (await browser.Client.PostAsync($"/api/work/jobs/{Guid.NewGuid()}/claim", null)).StatusCode);

        await app.WithDbAsync(db => db.ContributorProfiles.Where(p => p.UserId == user.Id).ExecuteUpdateAsync(s => s.SetProperty(p => p.SuspendedAt, DateTime.UtcNow)));
        var open = await app.ActiveJobAsync(items: 2);
        await ProblemAssert.StatusAsync(await browser.Client.PostAsync($"/api/work/jobs/{open.Id}/claim", null), HttpStatusCode.Forbidden, "suspended");
    }

    [Fact]
    public async Task Submit_BadInput_HasTheRightStatusEachTime()
    {
        var job = await app.ActiveJobAsync(items: 2);
        var (user, browser) = await app.SignedInAsync(Roles.Contributor);
        await app.ProfileAsync(user.Id, [TaskType.SingleChoice]);
        var task = await ClaimAsync(browser, job.Id);

        var malformed = await browser.Client.PostAsJsonAsync($"/api/work/assignments/{task.AssignmentId}/submit", new { answer = "bird" });
        await ProblemAssert.StatusAsync(malformed, HttpStatusCode.BadRequest, "must be one of: cat, dog");
        var errors = (await malformed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("answer", out _));
        await ProblemAssert.StatusAsync(await browser.Client.PostAsJsonAsync($"/api/work/assignments/{task.AssignmentId}/submit", new { }), HttpStatusCode.BadRequest, "An answer is required");

        Assert.Equal(HttpStatusCode.OK, (await browser.Client.PostAsJsonAsync($"/api/work/assignments/{task.AssignmentId}/submit", new { answer = "dog" })).StatusCode);
        await ProblemAssert.StatusAsync(await browser.Client.PostAsJsonAsync($"/api/work/assignments/{task.AssignmentId}/submit", new { answer = "cat" }), HttpStatusCode.Conflict, "the first answer stands");
        Assert.Equal("\"dog\"", await app.WithDbAsync(db => db.Assignments.Where(a => a.Id == task.AssignmentId).Select(a => a.Answer).SingleAsync()));

        var (_, other) = await app.SignedInAsync(Roles.Contributor);
        Assert.Equal(HttpStatusCode.NotFound, (await other.Client.PostAsJsonAsync($"/api/work/assignments/{task.AssignmentId}/submit", new { answer = "cat" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.Client.PostAsync($"/api/work/assignments/{task.AssignmentId}/release", null)).StatusCode);
    }

    [Fact]
    public async Task ExpiredLease_IsRefusedOnSubmit_AndItsSlotReturnsToThePool()
    {
        var job = await app.ActiveJobAsync(items: 1, redundancy: 1);
        var (user, browser) = await app.SignedInAsync(Roles.Contributor);
        await app.ProfileAsync(user.Id, [TaskType.SingleChoice]);
        var task = await ClaimAsync(browser, job.Id);
        var second = await app.ContributorAsync();
        Assert.Null(await ClaimAsServiceAsync(second, job.Id));

        app.Clock.Advance(TimeSpan.FromSeconds(new TasksOptions().LeaseSeconds + 1));
        await ProblemAssert.StatusAsync(await browser.Client.PostAsJsonAsync($"/api/work/assignments/{task.AssignmentId}/submit", new { answer = "cat" }), HttpStatusCode.Conflict, "expired");
        Assert.Null(await ClaimAsServiceAsync(second, job.Id)); // not swept yet: the slot is still counted

        await app.WithServiceAsync<ExpireLeases, int>(leases => leases.ExecuteAsync(CancellationToken.None));

        Assert.NotNull(await ClaimAsServiceAsync(second, job.Id));
        await ProblemAssert.StatusAsync(await browser.Client.PostAsJsonAsync($"/api/work/assignments/{task.AssignmentId}/submit", new { answer = "cat" }), HttpStatusCode.Conflict, "went back to the pool");
    }

    [Fact]
    public async Task Release_ReturnsTheSlot_AndTheItemIsNeverOfferedToTheSameContributorAgain()
    {
        var job = await app.ActiveJobAsync(items: 1, redundancy: 1);
        var (user, browser) = await app.SignedInAsync(Roles.Contributor);
        await app.ProfileAsync(user.Id, [TaskType.SingleChoice]);
        var task = await ClaimAsync(browser, job.Id);

        Assert.Equal(HttpStatusCode.NoContent, (await browser.Client.PostAsync($"/api/work/assignments/{task.AssignmentId}/release", null)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await browser.Client.PostAsync($"/api/work/jobs/{job.Id}/claim", null)).StatusCode);
        Assert.NotNull(await ClaimAsServiceAsync(await app.ContributorAsync(), job.Id));
    }

    [Fact]
    public async Task Claim_AgainWhileHoldingALease_ReturnsTheSameTask()
    {
        var job = await app.ActiveJobAsync(items: 5);
        var (user, browser) = await app.SignedInAsync(Roles.Contributor);
        await app.ProfileAsync(user.Id, [TaskType.SingleChoice]);

        var first = await ClaimAsync(browser, job.Id);
        var again = await ClaimAsync(browser, job.Id);

        Assert.Equal(first.AssignmentId, again.AssignmentId);
        var open = await browser.Client.GetFromJsonAsync<TaskView>($"/api/work/assignments/{first.AssignmentId}", ApiJson.Options);
        Assert.Equal(first.LeaseExpiresAt, open!.LeaseExpiresAt, TimeSpan.FromMilliseconds(1)); // PostgreSQL keeps microseconds
    }

    [Fact]
    public async Task Labels_FinalizeTheItem_WithItsConsensusAtTheRedundancy()
    {
        var job = await app.ActiveJobAsync(items: 1, redundancy: 3);
        foreach (var answer in new[] { "cat", "dog", "cat" })
        {
            var contributor = await app.ContributorAsync();
            var task = (await ClaimAsServiceAsync(contributor, job.Id))!;
            Assert.True((await app.Arrange().SubmitAsync(contributor, task.AssignmentId, $"\"{answer}\"")).Succeeded);
        }

        var item = await app.WithDbAsync(db => db.Items.SingleAsync(i => i.JobId == job.Id));
        Assert.Equal("\"cat\"", item.ConsensusAnswer);
        Assert.NotNull(item.FinalizedAt);
        Assert.Equal(3, item.LabelsSubmitted);
        Assert.InRange(item.Confidence!.Value, 0.5, 1.0);
        Assert.Null(await ClaimAsServiceAsync(await app.ContributorAsync(), job.Id));
    }

    [Fact]
    public async Task TargetConfidence_StopsEarly_WhenAccurateContributorsAgree()
    {
        var job = await app.ActiveJobAsync(items: 1, redundancy: 5, targetConfidence: 0.95);
        for (var i = 0; i < 2; i++)
        {
            var expert = await app.ContributorAsync(goldCorrect: 98, goldWrong: 2);
            var task = (await ClaimAsServiceAsync(expert, job.Id))!;
            Assert.True((await app.Arrange().SubmitAsync(expert, task.AssignmentId, "\"dog\"")).Succeeded);
        }

        var item = await app.WithDbAsync(db => db.Items.SingleAsync(i => i.JobId == job.Id));
        Assert.NotNull(item.FinalizedAt);
        Assert.Equal(2, item.LabelsSubmitted);
        Assert.True(item.Confidence >= 0.95);
        Assert.Null(await ClaimAsServiceAsync(await app.ContributorAsync(), job.Id));
    }

    [Fact]
    public async Task GoldItems_AreServedLikeOthers_AndScoredAtOnce()
    {
        var job = await app.ActiveJobAsync(items: 3, gold: 3, goldRate: 1.0);
        var (user, browser) = await app.SignedInAsync(Roles.Contributor);
        await app.ProfileAsync(user.Id, [TaskType.SingleChoice]);

        var task = await browser.Client.PostAsync($"/api/work/jobs/{job.Id}/claim", null);
        var json = await task.Content.ReadFromJsonAsync<JsonElement>();
        var view = json.Deserialize<TaskView>(ApiJson.Options)!;
        Assert.Equal(AssignmentKind.Gold, await app.WithDbAsync(db => db.Assignments.Where(a => a.Id == view.AssignmentId).Select(a => a.Kind).SingleAsync()));
        Assert.False(json.TryGetProperty("isGold", out _));
        Assert.False(view.Payload.TryGetProperty("answer", out _));

        await browser.Client.PostAsJsonAsync($"/api/work/assignments/{view.AssignmentId}/submit", new { answer = "dog" });

        var record = await app.WithDbAsync(db => db.Qualifications.SingleAsync(q => q.ContributorId == user.Id));
        Assert.Equal((0, 1), (record.GoldCorrect, record.GoldWrong));
        Assert.False(await app.WithDbAsync(db => db.Assignments.Where(a => a.Id == view.AssignmentId).Select(a => a.IsCorrect!.Value).SingleAsync()));
    }

    [Fact]
    public async Task Feed_ListsWorkableJobsFirst_WithItemsLeftAndReasons()
    {
        var open = await app.ActiveJobAsync(items: 7, redundancy: 2);
        var locked = await app.ActiveJobAsync(items: 4, type: TaskType.FreeText, labels: []);
        var (user, browser) = await app.SignedInAsync(Roles.Contributor);
        await app.ProfileAsync(user.Id, [TaskType.SingleChoice]);

        var feed = (await browser.Client.GetFromJsonAsync<List<FeedEntry>>("/api/work/feed", ApiJson.Options))!;

        var workable = feed.Single(f => f.JobId == open.Id);
        Assert.True(workable.CanWork);
        Assert.Equal(7, workable.ItemsLeft);
        Assert.Equal(TaskFeed.DefaultTaskSeconds, workable.EstimatedSeconds);
        var blocked = feed.Single(f => f.JobId == locked.Id);
        Assert.False(blocked.CanWork);
        Assert.Contains("FreeText qualification", blocked.Reason, StringComparison.Ordinal);
        Assert.True(feed.IndexOf(workable) < feed.IndexOf(blocked));
    }

    [Fact]
    public async Task ClaimLimits_PerMinute_Are429()
    {
        await using var limited = app.WithWebHostBuilder(b => b.UseSetting("Work:ClaimsPerMinute", "2"));
        var job = await app.ActiveJobAsync(items: 5, redundancy: 1);
        var contributor = await app.ContributorAsync();
        await using var scope = limited.Services.CreateAsyncScope();
        var claim = scope.ServiceProvider.GetRequiredService<ClaimTask>();
        var release = scope.ServiceProvider.GetRequiredService<ReleaseTask>();

        for (var i = 0; i < 2; i++)
        {
            var claimed = (await claim.ExecuteAsync(contributor, job.Id, CancellationToken.None)).Value!;
            Assert.Null(await release.ExecuteAsync(contributor, claimed.AssignmentId, CancellationToken.None));
        }

        var third = await claim.ExecuteAsync(contributor, job.Id, CancellationToken.None);
        Assert.Equal(FailureKind.TooManyRequests, third.Failure?.Kind);
    }

    [Fact]
    public async Task WorkApi_RefusesBuyersAndAnonymousUsers()
    {
        var (_, buyer) = await app.SignedInAsync(Roles.Buyer);
        var anonymous = app.CreateClient();
        foreach (var client in new[] { buyer.Client, anonymous })
        {
            var expected = client == anonymous ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden;
            Assert.Equal(expected, (await client.GetAsync("/api/work/feed")).StatusCode);
            Assert.Equal(expected, (await client.PostAsync("/api/work/claim", null)).StatusCode);
            Assert.Equal(expected, (await client.PostAsync($"/api/work/assignments/{Guid.NewGuid()}/submit", JsonContent.Create(new { answer = "cat" }))).StatusCode);
        }
    }

    private static async Task<TaskView> ClaimAsync(BrowserSession browser, Guid jobId)
    {
        var response = await browser.Client.PostAsync($"/api/work/jobs/{jobId}/claim", null);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<TaskView>(ApiJson.Options))!;
    }

    /// <summary>The task the service hands out, or null when it hands out none (nothing left, or the job closed).</summary>
    private async Task<TaskView?> ClaimAsServiceAsync(string contributor, Guid jobId) =>
        (await app.WithServiceAsync<ClaimTask, Outcome<TaskView?>>(claim => claim.ExecuteAsync(contributor, jobId, CancellationToken.None))).Value;
}

public sealed class SqliteWorkLoopTests(SqliteAppFactory app) : WorkLoopTests(app), IClassFixture<SqliteAppFactory>;

[Collection(PostgresCollection.Name)]
public sealed class PostgresWorkLoopTests(PostgresAppFactory app) : WorkLoopTests(app);
