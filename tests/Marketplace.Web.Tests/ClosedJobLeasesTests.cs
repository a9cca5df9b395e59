using System.Net;
using Marketplace.Web.Domain;
using Marketplace.Web.Jobs;
using Marketplace.Web.Tasks;
using Marketplace.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Tests;

/// <summary>
/// A job that closes while tasks are leased (issue 20, finding 5). The rule: closing ends its live leases in the same
/// transaction, before the unspent escrow goes back; an answer that comes later is refused with a clear reason, so no
/// label is ever accepted, exported and left unpaid.
/// </summary>
public abstract class ClosedJobLeasesTests(MarketplaceAppFactory app)
{
    [Fact]
    public async Task Cancelling_EndsLiveLeases_AndALateAnswerIsRefused_NotExported()
    {
        var (buyer, browser) = await app.SignedInAsync(Roles.Buyer);
        var job = await app.ActiveJobAsync(items: 2, redundancy: 1, organizationId: buyer.OrganizationId);
        var contributor = await app.ContributorAsync();
        var task = (await app.Arrange().ClaimAsync(contributor, job.Id))!;

        var cancelled = await browser.Client.PostAsync($"/api/jobs/{job.Id}/cancel", null);

        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        var assignment = await app.WithDbAsync(db => db.Assignments.AsNoTracking().SingleAsync(a => a.Id == task.AssignmentId));
        Assert.Equal(AssignmentStatus.Withdrawn, assignment.Status);
        Assert.Equal(0, await app.WithDbAsync(db => db.Items.Where(i => i.JobId == job.Id).SumAsync(i => i.LabelsHeld)));

        var late = await app.Arrange().SubmitAsync(contributor, task.AssignmentId, "\"cat\"");
        Assert.Equal("Job closed", late.Failure?.Title);
        Assert.Contains("no answer can be taken", late.Failure!.Detail, StringComparison.Ordinal);
        Assert.Null((await app.WithDbAsync(db => db.Assignments.AsNoTracking().SingleAsync(a => a.Id == task.AssignmentId))).Answer);
        Assert.DoesNotContain("\"cat\"", await browser.Client.GetStringAsync($"/api/jobs/{job.Id}/results?format=jsonl"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompletingAtTheDeadline_EndsLiveLeasesToo()
    {
        var job = await app.ActiveJobAsync(items: 2, redundancy: 1, deadline: app.Clock.GetUtcNow().UtcDateTime.AddMinutes(3));
        var contributor = await app.ContributorAsync();
        var task = (await app.Arrange().ClaimAsync(contributor, job.Id))!;
        app.Clock.Advance(TimeSpan.FromMinutes(4)); // the five-minute lease is still live; the deadline has passed

        await app.WithServiceAsync<JobLifecycle, int>(lifecycle => lifecycle.CompleteDueAsync(CancellationToken.None));

        Assert.Equal(JobStatus.Completed, await app.WithDbAsync(db => db.Jobs.Where(j => j.Id == job.Id).Select(j => j.Status).SingleAsync()));
        var late = await app.Arrange().SubmitAsync(contributor, task.AssignmentId, "\"cat\"");
        Assert.Equal("Job closed", late.Failure?.Title);
    }

    [Fact]
    public async Task AnswersRacingTheCancel_AreEitherPaidOrRefused_NeverAcceptedUnpaid()
    {
        var (buyer, browser) = await app.SignedInAsync(Roles.Buyer);
        var job = await app.ActiveJobAsync(items: 13, redundancy: 1, organizationId: buyer.OrganizationId); // one item stays open: the job cannot complete
        var held = new List<(string Contributor, TaskView Task)>();
        for (var i = 0; i < 12; i++)
        {
            var contributor = await app.ContributorAsync();
            held.Add((contributor, (await app.Arrange().ClaimAsync(contributor, job.Id))!));
        }

        var submits = held.Select(h => Task.Run(() => app.Arrange().SubmitAsync(h.Contributor, h.Task.AssignmentId, "\"dog\""))).ToList();
        var cancel = browser.Client.PostAsync($"/api/jobs/{job.Id}/cancel", null);
        await Task.WhenAll([.. submits, cancel]);

        Assert.Equal(HttpStatusCode.OK, (await cancel).StatusCode);
        Assert.All(submits, s => Assert.True(s.Result.Failure is null || s.Result.Failure.Title == "Job closed", s.Result.Failure?.Detail));
        var (accepted, unpaid, leased) = await app.WithDbAsync(async db => (
            await db.Assignments.CountAsync(a => a.JobId == job.Id && a.Status == AssignmentStatus.Submitted),
            await db.Assignments.CountAsync(a => a.JobId == job.Id && a.Status == AssignmentStatus.Submitted && !db.Earnings.Any(e => e.AssignmentId == a.Id)),
            await db.Assignments.CountAsync(a => a.JobId == job.Id && a.Status == AssignmentStatus.Leased)));
        Assert.Equal(submits.Count(s => s.Result.Failure is null), accepted);
        Assert.Equal(0, unpaid);
        Assert.Equal(0, leased);
    }
}

public sealed class SqliteClosedJobLeasesTests(SqliteAppFactory app) : ClosedJobLeasesTests(app), IClassFixture<SqliteAppFactory>;

[Collection(PostgresCollection.Name)]
public sealed class PostgresClosedJobLeasesTests(PostgresAppFactory app) : ClosedJobLeasesTests(app);
