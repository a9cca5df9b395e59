using System.Collections.Concurrent;
using Marketplace.Web.Domain;
using Marketplace.Web.Hosting;
using Marketplace.Web.Tasks;
using Marketplace.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Marketplace.Web.Tests;

/// <summary>
/// Two hundred contributors claim, submit, double-submit, release and abandon tasks on one job while the
/// clock jumps past their leases and the sweep returns slots. Afterwards, and at every moment in between,
/// the work loop's rules must hold.
/// </summary>
public abstract class ClaimConcurrencyTests(MarketplaceAppFactory app, ITestOutputHelper output)
{
    private const int Claimers = 200;
    private const int Items = 600;
    private const int Redundancy = 3;

    [Fact]
    public async Task TwoHundredConcurrentClaimers_KeepEveryRule()
    {
        var job = await app.ActiveJobAsync(Items, gold: 40, redundancy: Redundancy, goldRate: 0.1);
        var contributors = new List<string>();
        for (var i = 0; i < Claimers; i++)
        {
            contributors.Add(await app.ContributorAsync());
        }

        var submitted = new ConcurrentDictionary<Guid, string>();
        var counts = new ConcurrentDictionary<string, int>();
        var violations = new ConcurrentQueue<string>();
        using var done = new CancellationTokenSource(TimeSpan.FromMinutes(5));

        // The chaos: every 250 ms the clock jumps a quarter of a lease and the sweep runs, so a lease lives about
        // a second of wall time and abandoned or slow ones expire under the claimers' feet, while an observer
        // checks that no item ever holds more active-plus-accepted labels than it needs.
        var chaos = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                await Task.Delay(250);
                app.Clock.Advance(TimeSpan.FromSeconds((new TasksOptions().LeaseSeconds / 4) + 1));
                await app.WithServiceAsync<ExpireLeases, int>(leases => leases.ExecuteAsync(CancellationToken.None));
                var overfull = await app.WithDbAsync(db => db.Items.CountAsync(i => i.JobId == job.Id
                    && db.Assignments.Count(a => a.ItemId == i.Id && a.Kind == AssignmentKind.Label && (a.Status == AssignmentStatus.Leased || a.Status == AssignmentStatus.Submitted)) > Redundancy));
                if (overfull > 0)
                {
                    violations.Enqueue($"{overfull} items held more than {Redundancy} labels at once");
                }

                var finished = await app.WithDbAsync(db => db.Items.CountAsync(i => i.JobId == job.Id && !i.IsGold && i.LabelsSubmitted >= Redundancy));
                if (finished == Items)
                {
                    await done.CancelAsync();
                }
            }
        });

        var claimers = contributors.Select((id, n) => Task.Run(async () =>
        {
            var random = new Random(n);
            while (!done.IsCancellationRequested)
            {
                var claim = await app.WithServiceAsync<ClaimTask, Outcome<TaskView?>>(c => c.ExecuteAsync(id, job.Id, CancellationToken.None));
                if (claim.Value is not { } task)
                {
                    Count(claim.Failure?.Title ?? "nothing to claim");
                    await Task.Delay(random.Next(50, 150));
                    continue;
                }

                Count("claimed");
                var roll = random.NextDouble();
                var answer = random.NextDouble() < 0.7 ? "\"cat\"" : "\"dog\"";
                if (roll < 0.1)
                {
                    Count("abandoned"); // walk away: the sweep must return the slot
                }
                else if (roll < 0.2)
                {
                    var refused = await app.WithServiceAsync<ReleaseTask, Failure?>(r => r.ExecuteAsync(id, task.AssignmentId, CancellationToken.None));
                    Count(refused is null ? "released" : "release refused");
                }
                else if (roll < 0.3)
                {
                    // Two submits at once with different answers: at most one may count.
                    var both = await Task.WhenAll(
                        app.Arrange().SubmitAsync(id, task.AssignmentId, "\"cat\""),
                        app.Arrange().SubmitAsync(id, task.AssignmentId, "\"dog\""));
                    var ok = both.Select((r, i) => (r, i)).Where(x => x.r.Succeeded).ToList();
                    if (ok.Count > 1)
                    {
                        violations.Enqueue($"assignment {task.AssignmentId} accepted two answers");
                    }

                    foreach (var (_, i) in ok)
                    {
                        submitted[task.AssignmentId] = i == 0 ? "\"cat\"" : "\"dog\"";
                    }

                    Count(ok.Count == 1 ? "double submit: one accepted" : "double submit: both refused (lease expired)");
                }
                else if (roll < 0.35)
                {
                    // Come back after the lease has run out: the answer must be refused.
                    var due = task.LeaseExpiresAt.AddSeconds(1);
                    while (app.Clock.GetUtcNow().UtcDateTime <= due && !done.IsCancellationRequested)
                    {
                        await Task.Delay(50);
                    }

                    if (done.IsCancellationRequested)
                    {
                        break; // the run ended before the lease did
                    }

                    var late = await app.Arrange().SubmitAsync(id, task.AssignmentId, answer);
                    if (late.Succeeded)
                    {
                        violations.Enqueue($"assignment {task.AssignmentId} accepted an answer after its lease expired");
                    }

                    Count("late submit refused");
                }
                else
                {
                    var result = await app.Arrange().SubmitAsync(id, task.AssignmentId, answer);
                    if (result.Succeeded)
                    {
                        submitted[task.AssignmentId] = answer;
                        Count("submitted");
                    }
                    else
                    {
                        Count("submit refused (lease expired)");
                    }
                }
            }
        })).ToList();

        await Task.WhenAll(claimers);
        await chaos;
        foreach (var (what, count) in counts.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"{what}: {count}");
        }

        Assert.True(violations.IsEmpty, string.Join(Environment.NewLine, violations));
        Assert.True(counts.GetValueOrDefault("claimed") >= 2_000, $"only {counts.GetValueOrDefault("claimed")} claims");
        Assert.True(counts.GetValueOrDefault("abandoned") > 0 && counts.GetValueOrDefault("released") > 0 && counts.GetValueOrDefault("late submit refused") > 0);

        // Let every remaining lease lapse and sweep once more: nothing may stay held.
        app.Clock.Advance(TimeSpan.FromHours(1));
        await app.WithServiceAsync<ExpireLeases, int>(leases => leases.ExecuteAsync(CancellationToken.None));

        var assignments = await app.WithDbAsync(db => db.Assignments.AsNoTracking().Where(a => a.JobId == job.Id).ToListAsync());
        var items = await app.WithDbAsync(db => db.Items.AsNoTracking().Where(i => i.JobId == job.Id).ToListAsync());

        // A contributor never labels the same item twice.
        Assert.Equal(assignments.Count, assignments.Select(a => (a.ItemId, a.ContributorId)).Distinct().Count());

        // No lease outlives the sweep; every accepted answer came in while its lease was live.
        Assert.DoesNotContain(assignments, a => a.Status == AssignmentStatus.Leased);
        Assert.All(assignments.Where(a => a.Status == AssignmentStatus.Submitted), a => Assert.True(a.EndedAt <= a.LeaseExpiresAt));

        // What the database accepted is exactly what the claimers were told was accepted, answer for answer.
        var accepted = assignments.Where(a => a.Status == AssignmentStatus.Submitted).ToDictionary(a => a.Id, a => a.Answer);
        Assert.Equal(submitted.OrderBy(s => s.Key).Select(s => (s.Key, s.Value)), accepted.OrderBy(s => s.Key).Select(s => (s.Key, s.Value!)));

        // Every item got exactly the labels it needed; its counters agree with its assignments; it is finalized.
        var labelsPerItem = assignments.Where(a => a.Kind == AssignmentKind.Label && a.Status == AssignmentStatus.Submitted).GroupBy(a => a.ItemId).ToDictionary(g => g.Key, g => g.Count());
        Assert.All(items.Where(i => !i.IsGold), item =>
        {
            Assert.Equal(Redundancy, labelsPerItem.GetValueOrDefault(item.Id));
            Assert.Equal(Redundancy, item.LabelsHeld);
            Assert.Equal(Redundancy, item.LabelsSubmitted);
            Assert.NotNull(item.FinalizedAt);
            Assert.NotNull(item.ConsensusAnswer);
        });
        Assert.All(items.Where(i => i.IsGold), item => Assert.Equal(0, item.LabelsHeld));

        void Count(string what) => counts.AddOrUpdate(what, 1, (_, c) => c + 1);
    }

}

[Collection(StressCollection.Name)]
public sealed class SqliteClaimConcurrencyTests(SqliteAppFactory app, ITestOutputHelper output) : ClaimConcurrencyTests(app, output), IClassFixture<SqliteAppFactory>;

[Collection(StressCollection.Name)]
public sealed class PostgresClaimConcurrencyTests(PostgresAppFactory app, ITestOutputHelper output) : ClaimConcurrencyTests(app, output), IClassFixture<PostgresAppFactory>;
