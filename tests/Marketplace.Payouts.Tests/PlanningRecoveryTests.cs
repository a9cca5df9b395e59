using Marketplace.Payouts.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using static Marketplace.Payouts.Tests.Infrastructure.PayoutsHarness;

namespace Marketplace.Payouts.Tests;

/// <summary>
/// A run is recorded before it is planned and marked planned in the plan's own transaction, so a planner killed in
/// between leaves a run that start-up recovery finds and plans again, once, with nothing half-planned.
/// </summary>
public class PlanningRecoveryTests
{
    private static async Task<PayoutsHarness> ContributorsAsync(DatabaseKind kind, params string[] contributors)
    {
        var harness = await CreateAsync(kind, dryRun: true);
        foreach (var contributor in contributors)
        {
            await harness.ConnectAsync(contributor);
            await harness.GiveAvailableAsync(contributor, 1_200);
        }

        return harness;
    }

    private static Task<IReadOnlyList<string>> StillPlanningAsync(PayoutsHarness harness) =>
        harness.Use<PayoutQueries, IReadOnlyList<string>>(q => q.RunsStillPlanningAsync(harness.Clock.GetUtcNow().UtcDateTime.AddSeconds(1)));

    [Theory]
    [ClassData(typeof(Databases))]
    public async Task ARunRecordedButNeverPlanned_IsFoundByRecovery_AndPlannedOnce(DatabaseKind kind)
    {
        await using var harness = await ContributorsAsync(kind, "ann", "bob");
        // What a planner killed mid-plan leaves (or an admin's trigger whose job was lost): the run, and no plan.
        var runId = await harness.Use<PlanPayoutRun, Guid>(p => p.OpenAsync("manual-1"));
        Assert.Equal(["manual-1"], await StillPlanningAsync(harness));

        var plan = await harness.Use<PlanPayoutRun, PayoutRunPlan>(p => p.ExecuteAsync("manual-1"));
        var again = await harness.Use<PlanPayoutRun, PayoutRunPlan>(p => p.ExecuteAsync("manual-1"));

        Assert.Equal((runId, false, 2), (plan.RunId, plan.AlreadyPlanned, plan.PayoutIds.Count));
        Assert.True(again.AlreadyPlanned);
        Assert.Equal(plan.PayoutIds.Order(), again.PayoutIds.Order());
        Assert.Empty(await StillPlanningAsync(harness));
        Assert.Equal(1, await harness.QueryAsync(db => db.PayoutRuns.CountAsync()));
        await harness.AssertBooksBalanceAsync();
    }

    [Theory]
    [ClassData(typeof(Databases))]
    public async Task ARunStillPlanning_PlannedByTwoNodesAtOnce_PaysEachContributorOnce(DatabaseKind kind)
    {
        await using var harness = await ContributorsAsync(kind, "ann", "bob", "cat");
        await harness.Use<PlanPayoutRun, Guid>(p => p.OpenAsync("scheduled-1"));

        // Start-up recovery on one node and the job storage's own redelivery on another.
        var plans = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(() => harness.Use<PlanPayoutRun, PayoutRunPlan>(p => p.ExecuteAsync("scheduled-1")))));

        Assert.Equal(plans[0].PayoutIds.Order(), plans[1].PayoutIds.Order());
        Assert.Single(plans, p => !p.AlreadyPlanned);
        Assert.Equal(3, await harness.QueryAsync(db => db.Payouts.CountAsync()));
        Assert.Empty(await StillPlanningAsync(harness));
        await harness.AssertBooksBalanceAsync();
    }

    [Fact]
    public async Task APlannerStoppedWhileItWaitsForALock_LeavesTheRunStillPlanning_AndNothingHalfPlanned()
    {
        await using var harness = await ContributorsAsync(DatabaseKind.Postgres, "ann", "bob");
        // Another transaction holds bob's balance: the planner, having posted ann's payout, waits for it.
        await using var blocker = new NpgsqlConnection(harness.Database.ConnectionString);
        await blocker.OpenAsync();
        await using var hold = await blocker.BeginTransactionAsync();
        await using (var lockBob = new NpgsqlCommand("SELECT 1 FROM \"LedgerAccounts\" WHERE \"Kind\" = 'ContributorAvailable' AND \"Owner\" = 'bob' FOR UPDATE", blocker, hold))
        {
            await lockBob.ExecuteNonQueryAsync();
        }

        using var kill = new CancellationTokenSource();
        var planning = harness.Use<PlanPayoutRun, PayoutRunPlan>(p => p.ExecuteAsync("scheduled-2", kill.Token));
        await WaitForALockWaitAsync(harness);
        await kill.CancelAsync(); // what a process kill does to the planner: it stops mid-transaction
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => planning);
        await hold.RollbackAsync();

        Assert.Equal(["scheduled-2"], await StillPlanningAsync(harness));
        Assert.Equal(0, await harness.QueryAsync(db => db.Payouts.CountAsync()));
        Assert.Equal(1_200, await harness.BalanceAsync(LedgerAccountId.ContributorAvailable("ann"))); // ann's posting rolled back
        var plan = await harness.Use<PlanPayoutRun, PayoutRunPlan>(p => p.ExecuteAsync("scheduled-2"));
        Assert.Equal(2, plan.PayoutIds.Count);
        await harness.AssertBooksBalanceAsync();
    }

    private static async Task WaitForALockWaitAsync(PayoutsHarness harness)
    {
        await using var monitor = new NpgsqlConnection(harness.Database.ConnectionString);
        await monitor.OpenAsync();
        await using var query = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'", monitor);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((long)(await query.ExecuteScalarAsync())! == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "The planner never waited for the lock.");
            await Task.Delay(50);
        }
    }
}
