using System.Reflection;
using Marketplace.Web.Data;
using Marketplace.Web.Domain;
using Marketplace.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Tests;

/// <summary>
/// The job's lifecycle is one table of named moves. Every move is tried from every state, in memory (a buyer's request)
/// and as the conditional update racing nodes make (a job completing, a job pausing for budget), against the table
/// written out here by hand.
/// </summary>
public abstract class JobLifecycleTests(MarketplaceAppFactory app)
{
    /// <summary>What each state may become, and by which move: the product's rule, independent of the code's table.</summary>
    private static readonly Dictionary<(JobStatus From, string Move), JobStatus> Allowed = new()
    {
        [(JobStatus.Draft, "fund")] = JobStatus.Funded,
        [(JobStatus.Draft, "cancel")] = JobStatus.Cancelled,
        [(JobStatus.Funded, "launch")] = JobStatus.Active,
        [(JobStatus.Funded, "cancel")] = JobStatus.Cancelled,
        [(JobStatus.Active, "pause")] = JobStatus.Paused,
        [(JobStatus.Active, "complete")] = JobStatus.Completed,
        [(JobStatus.Active, "cancel")] = JobStatus.Cancelled,
        [(JobStatus.Paused, "resume")] = JobStatus.Active,
        [(JobStatus.Paused, "complete")] = JobStatus.Completed,
        [(JobStatus.Paused, "cancel")] = JobStatus.Cancelled,
    };

    public static TheoryData<JobStatus, string> EveryMoveFromEveryState
    {
        get
        {
            var data = new TheoryData<JobStatus, string>();
            foreach (var status in Enum.GetValues<JobStatus>())
            {
                foreach (var move in JobTransition.All)
                {
                    data.Add(status, move.Name);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(EveryMoveFromEveryState))]
    public async Task EveryMove_FromEveryState_IsMadeOnlyWhereTheTableAllowsIt(JobStatus from, string move)
    {
        var transition = JobTransition.Named(move)!;
        var allowed = Allowed.TryGetValue((from, move), out var to);

        var inMemory = NewJob();
        foreach (var step in JobTransition.PathFromDraft(from))
        {
            Assert.Null(inMemory.Apply(step));
        }

        Assert.Equal(from, inMemory.Status);
        var refusal = inMemory.Apply(transition);
        Assert.Equal(allowed, refusal is null);
        Assert.Equal(allowed ? to : from, inMemory.Status);
        if (!allowed)
        {
            Assert.Contains($"cannot become {transition.To}", refusal, StringComparison.Ordinal);
        }

        // As racing nodes make it: one conditional update, made once at most.
        var stored = await app.ActiveJobAsync(items: 1, status: from);
        var first = await app.WithDbAsync(db => db.Jobs.TryApplyAsync(stored.Id, transition, CancellationToken.None));
        var second = await app.WithDbAsync(db => db.Jobs.TryApplyAsync(stored.Id, transition, CancellationToken.None));
        Assert.Equal(allowed, first);
        Assert.False(second && first, "the same move was made twice");
        Assert.Equal(allowed ? to : from, await app.WithDbAsync(db => db.Jobs.Where(j => j.Id == stored.Id).Select(j => j.Status).SingleAsync()));
    }

    [Fact]
    public void NoOtherMove_CanBeWritten()
    {
        Assert.False(typeof(Job).GetProperty(nameof(Job.Status))!.SetMethod!.IsPublic);
        Assert.Empty(typeof(JobTransition).GetConstructors(BindingFlags.Public | BindingFlags.Instance));
        Assert.Equal(Allowed.Keys.Select(k => k.Move).Distinct().Order(), JobTransition.All.Select(t => t.Name).Order());
    }

    private static Job NewJob() => new() { Title = "t", Currency = "USD", CreatedByUserId = "u", Redundancy = 1 };
}

public sealed class SqliteJobLifecycleTests(SqliteAppFactory app) : JobLifecycleTests(app), IClassFixture<SqliteAppFactory>;

[Collection(PostgresCollection.Name)]
public sealed class PostgresJobLifecycleTests(PostgresAppFactory app) : JobLifecycleTests(app);
