using System.Text.Json;
using Marketplace.Web.Domain;
using Marketplace.Web.Hosting;
using Marketplace.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Tests;

/// <summary>
/// Issue 20, finding 2: one submit with 50,000 boxes took 11 s inside the write transaction and stalled everyone. Every
/// answer is bounded before anything is written, and the item's consensus is decided after the commit.
/// </summary>
public abstract class AnswerBoundsTests(MarketplaceAppFactory app)
{
    public static TheoryData<TaskType, string, string> Oversized => new()
    {
        { TaskType.BoundingBox, Boxes(TaskTypeSchemas.MaxRegions + 1), "at most 100" },
        { TaskType.BoundingBox, Boxes(50_000), "at most 100" },
        { TaskType.BoundingBox, "[{\"label\":\"cat\",\"x\":1e300,\"y\":0,\"w\":10,\"h\":10}]", "x, y <= 100000" },
        { TaskType.TextSpan, JsonSerializer.Serialize(Enumerable.Range(0, 5_000).Select(i => new { label = "cat", start = i, end = i + 1 })), "at most 100" },
        { TaskType.TextSpan, "[{\"label\":\"cat\",\"start\":0,\"end\":2000000000}]", "end <= 64000" },
        { TaskType.MultiLabel, JsonSerializer.Serialize(Enumerable.Repeat("cat", 10_000)), "more entries than the job's 2 labels" },
        { TaskType.FreeText, JsonSerializer.Serialize(new string('x', TaskTypeSchemas.MaxFreeTextAnswer + 1)), "at most 2000 characters" },
    };

    [Theory]
    [MemberData(nameof(Oversized))]
    public async Task AnOversizedAnswer_IsRefusedNamingIt_AndNothingIsStored(TaskType type, string answer, string message)
    {
        var job = await app.ActiveJobAsync(items: 1, type: type, labels: type == TaskType.FreeText ? [] : ["cat", "dog"], redundancy: 1);
        var contributor = await app.ContributorAsync(qualifiedFor: [type]);
        var task = (await app.Arrange().ClaimAsync(contributor, job.Id))!;

        var outcome = await app.Arrange().SubmitAsync(contributor, task.AssignmentId, answer);

        Assert.Equal(FailureKind.Invalid, outcome.Failure?.Kind);
        Assert.Contains(outcome.Failure!.Errors!, e => e.Key == "answer" || e.Key.StartsWith("answer[", StringComparison.Ordinal));
        Assert.Contains(message, outcome.Failure.Detail, StringComparison.Ordinal);
        var stored = await app.WithDbAsync(db => db.Assignments.AsNoTracking().SingleAsync(a => a.Id == task.AssignmentId));
        Assert.Equal(AssignmentStatus.Leased, stored.Status); // the lease is still theirs to answer properly
        Assert.Null(stored.Answer);
    }

    [Fact]
    public async Task AnAnswerAtTheBound_IsTaken_AndItsItemDecided()
    {
        var job = await app.ActiveJobAsync(items: 1, type: TaskType.BoundingBox, labels: ["cat", "dog"], redundancy: 1);
        var contributor = await app.ContributorAsync(qualifiedFor: [TaskType.BoundingBox]);
        var task = (await app.Arrange().ClaimAsync(contributor, job.Id))!;

        var outcome = await app.Arrange().SubmitAsync(contributor, task.AssignmentId, Boxes(TaskTypeSchemas.MaxRegions));

        Assert.Null(outcome.Failure);
        var item = await app.WithDbAsync(db => db.Items.AsNoTracking().SingleAsync(i => i.JobId == job.Id && !i.IsGold));
        Assert.NotNull(item.FinalizedAt); // redundancy 1: the one answer decides it, after the submit's commit
        Assert.Equal(TaskTypeSchemas.MaxRegions, JsonDocument.Parse(item.ConsensusAnswer!).RootElement.GetArrayLength());
    }

    private static string Boxes(int count) =>
        JsonSerializer.Serialize(Enumerable.Range(0, count).Select(i => new { label = "cat", x = (i % 100) * 20.0, y = (i / 100) * 20.0, w = 10.0, h = 10.0 }));
}

public sealed class SqliteAnswerBoundsTests(SqliteAppFactory app) : AnswerBoundsTests(app), IClassFixture<SqliteAppFactory>;

[Collection(PostgresCollection.Name)]
public sealed class PostgresAnswerBoundsTests(PostgresAppFactory app) : AnswerBoundsTests(app);
