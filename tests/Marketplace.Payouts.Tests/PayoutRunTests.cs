using Marketplace.Payouts.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Marketplace.Payouts.Tests.Infrastructure.PayoutsHarness;

namespace Marketplace.Payouts.Tests;

public class PayoutRunTests
{
    [Theory]
    [ClassData(typeof(Databases))]
    public async Task Plan_PaysOnlyEnabledUnheldContributorsAtOrAboveTheMinimum_WithNothingOpen(DatabaseKind kind)
    {
        await using var harness = await CreateAsync(kind, dryRun: true);
        foreach (var (who, enabled, pay) in new[] { ("ann", true, 1_500L), ("bob", true, 999L), ("cat", false, 5_000L), ("dan", true, 2_000L), ("eve", true, 1_000L) })
        {
            await harness.ConnectAsync(who, enabled);
            await harness.GiveAvailableAsync(who, pay);
        }

        await harness.Use<SetPayoutHold, bool>(h => h.ExecuteAsync("dan", true, "collusion review"));
        // fay has earned, but her earnings are still on hold.
        await harness.ConnectAsync("fay");
        var job = Guid.NewGuid();
        await harness.FundAsync(job, 10_000);
        await harness.AccrueAsync(job, "fay", 3_000);

        var plan = await harness.Use<PlanPayoutRun, PayoutRunPlan>(p => p.ExecuteAsync("2026-03-09"));

        var payouts = await harness.QueryAsync(db => db.Payouts.AsNoTracking().ToListAsync());
        Assert.Equal(["ann", "eve"], payouts.Select(p => p.ContributorId).Order());
        Assert.Equal(plan.PayoutIds.Order(), payouts.Select(p => p.Id).Order());
        Assert.All(payouts, p => Assert.Equal(PayoutState.Planned, p.State));
        Assert.Equal(1_500, payouts.Single(p => p.ContributorId == "ann").AmountMinor);
        Assert.Equal(0, await harness.BalanceAsync(LedgerAccountId.ContributorAvailable("ann")));
        Assert.Equal(1_500, await harness.BalanceAsync(LedgerAccountId.PayoutsInTransit("ann")));
        Assert.Equal(999, await harness.BalanceAsync(LedgerAccountId.ContributorAvailable("bob")));
        Assert.Equal(2_000, await harness.BalanceAsync(LedgerAccountId.ContributorAvailable("dan")));
        await harness.AssertBooksBalanceAsync();
    }

    [Theory]
    [ClassData(typeof(Databases))]
    public async Task Plan_SkipsAContributorWhosePreviousPayoutIsStillOpen(DatabaseKind kind)
    {
        await using var harness = await CreateAsync(kind, dryRun: true);
        await harness.ConnectAsync("ann");
        await harness.GiveAvailableAsync("ann", 1_500);
        await harness.Use<PlanPayoutRun, PayoutRunPlan>(p => p.ExecuteAsync("week-1"));
        await harness.GiveAvailableAsync("ann", 2_000);

        var second = await harness.Use<PlanPayoutRun, PayoutRunPlan>(p => p.ExecuteAsync("week-2"));

        Assert.Empty(second.PayoutIds);
        Assert.Equal(2_000, await harness.BalanceAsync(LedgerAccountId.ContributorAvailable("ann")));
    }

    [Theory]
    [ClassData(typeof(Databases))]
    public async Task Plan_TheSameRunKeyTwice_PlansOnce(DatabaseKind kind)
    {
        await using var harness = await CreateAsync(kind, dryRun: true);
        await harness.ConnectAsync("ann");
        await harness.GiveAvailableAsync("ann", 1_500);

        var first = await harness.Use<PlanPayoutRun, PayoutRunPlan>(p => p.ExecuteAsync("2026-03-09"));
        var second = await harness.Use<PlanPayoutRun, PayoutRunPlan>(p => p.ExecuteAsync("2026-03-09"));

        Assert.False(first.AlreadyPlanned);
        Assert.True(second.AlreadyPlanned);
        Assert.Equal(first.RunId, second.RunId);
        Assert.Equal(first.PayoutIds, second.PayoutIds);
        Assert.Equal(1, await harness.QueryAsync(db => db.Payouts.CountAsync()));
    }

    [Theory]
    [ClassData(typeof(Databases))]
    public async Task Plan_OnTwoNodesAtOnce_PlansOneRunAndPaysEachContributorOnce(DatabaseKind kind)
    {
        await using var harness = await CreateAsync(kind);
        var contributors = new[] { "ann", "bob", "cat" };
        foreach (var contributor in contributors)
        {
            await harness.ConnectAsync(contributor);
            await harness.GiveAvailableAsync(contributor, 1_200);
        }

        // Each node is a scheduler job: when its save loses the race it throws, and its retry reads the winner's plan.
        async Task<PayoutRunPlan> NodeAsync()
        {
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    return await harness.Use<PlanPayoutRun, PayoutRunPlan>(p => p.ExecuteAsync("2026-03-09"));
                }
                catch (DbUpdateException) when (attempt < 3)
                {
                }
            }
        }

        var plans = await Task.WhenAll(NodeAsync(), NodeAsync());
        foreach (var payoutId in plans.SelectMany(p => p.PayoutIds))
        {
            await harness.Use<ExecutePayout, PayoutExecution>(e => e.ExecuteAsync(payoutId));
        }

        Assert.Equal(plans[0].RunId, plans[1].RunId);
        Assert.Equal(1, await harness.QueryAsync(db => db.PayoutRuns.CountAsync()));
        Assert.Equal(contributors.Length, await harness.QueryAsync(db => db.Payouts.CountAsync()));
        Assert.Equal(contributors, harness.Fake.Transfers.Select(t => (string?)t["metadata"]!["contributor_id"]).Order());
        await harness.AssertBooksBalanceAsync();
    }

    [Theory]
    [ClassData(typeof(Databases))]
    public async Task UnfinishedPayouts_AreThePlannedAndSubmittedOnesOfUnpausedRuns(DatabaseKind kind)
    {
        await using var harness = await CreateAsync(kind, dryRun: true);
        await harness.ConnectAsync("ann");
        await harness.GiveAvailableAsync("ann", 1_500);
        var plan = await harness.Use<PlanPayoutRun, PayoutRunPlan>(p => p.ExecuteAsync("run"));

        Assert.Equal(plan.PayoutIds, await harness.Use<PayoutQueries, IReadOnlyList<Guid>>(q => q.UnfinishedPayoutIdsAsync()));

        // Stuck means untouched for a while: a payout planned just now is in progress, not stuck.
        var planned = harness.Clock.GetUtcNow().UtcDateTime;
        Assert.Empty(await harness.Use<PayoutQueries, IReadOnlyList<Guid>>(q => q.UnfinishedPayoutIdsAsync(untouchedSince: planned.AddMinutes(-30))));
        harness.Clock.Advance(TimeSpan.FromMinutes(31));
        Assert.Equal(plan.PayoutIds, await harness.Use<PayoutQueries, IReadOnlyList<Guid>>(q => q.UnfinishedPayoutIdsAsync(untouchedSince: harness.Clock.GetUtcNow().UtcDateTime.AddMinutes(-30))));

        await harness.Use<PausePayoutRun, bool>(p => p.ExecuteAsync(plan.RunId, true));
        Assert.Empty(await harness.Use<PayoutQueries, IReadOnlyList<Guid>>(q => q.UnfinishedPayoutIdsAsync()));
        Assert.Equal(PayoutExecutionStatus.Paused, (await harness.Use<ExecutePayout, PayoutExecution>(e => e.ExecuteAsync(plan.PayoutIds[0]))).Status);
    }

    public static TheoryData<PayoutState, string, bool> Transitions => new()
    {
        { PayoutState.Planned, "submit", true },
        { PayoutState.Planned, "paid", false },
        { PayoutState.Planned, "fail", true },
        { PayoutState.Planned, "retry", false },
        { PayoutState.Planned, "return", false },
        { PayoutState.Submitted, "submit", false },
        { PayoutState.Submitted, "paid", true },
        { PayoutState.Submitted, "fail", true },
        { PayoutState.Submitted, "return", false },
        { PayoutState.Paid, "paid", false },
        { PayoutState.Paid, "fail", false },
        { PayoutState.Paid, "retry", false },
        { PayoutState.Paid, "return", true },
        { PayoutState.Failed, "submit", false },
        { PayoutState.Failed, "paid", false },
        { PayoutState.Failed, "retry", true },
        { PayoutState.Failed, "return", true },
        { PayoutState.Returned, "retry", false },
        { PayoutState.Returned, "return", false },
        { PayoutState.Returned, "submit", false },
        { PayoutState.Planned, "lookup", false },
        { PayoutState.Submitted, "lookup", true },
        { PayoutState.Paid, "lookup", false },
        { PayoutState.Failed, "lookup", false },
        { PayoutState.NeedsLookup, "lookup", true },
        { PayoutState.NeedsLookup, "submit", false },
        { PayoutState.NeedsLookup, "paid", true },
        { PayoutState.NeedsLookup, "fail", true },
        { PayoutState.NeedsLookup, "retry", false },
        { PayoutState.NeedsLookup, "return", false },
    };

    [Theory]
    [MemberData(nameof(Transitions))]
    public void Payout_MovesOnlyAlongItsStateMachine(PayoutState from, string move, bool allowed)
    {
        var payout = InState(from);
        var version = payout.Version;
        var at = new DateTime(2026, 3, 3, 0, 0, 0, DateTimeKind.Utc);

        var moved = move switch
        {
            "submit" => payout.Submit(at),
            "paid" => payout.MarkPaid("tr_1", false, at),
            "fail" => payout.MarkFailed("declined", at),
            "retry" => payout.Retry(at),
            "return" => payout.Return("reversed", at),
            "lookup" => payout.MarkNeedsLookup("401 after a lost answer", at),
            _ => throw new ArgumentOutOfRangeException(nameof(move)),
        };

        Assert.Equal(allowed, moved);
        if (!allowed)
        {
            Assert.Equal(from, payout.State);
            Assert.Equal(version, payout.Version);
        }
    }

    [Fact]
    public void Payout_RetryStartsANewAttemptWithANewKey()
    {
        var payout = InState(PayoutState.Failed);
        var firstKey = payout.IdempotencyKey;
        var at = new DateTime(2026, 3, 3, 0, 0, 0, DateTimeKind.Utc);

        Assert.True(payout.Retry(at));
        Assert.True(payout.Submit(at));

        Assert.Equal(2, payout.Attempt);
        Assert.Equal(Payout.IdempotencyKeyFor(payout.Id, 2), payout.IdempotencyKey);
        Assert.NotEqual(firstKey, payout.IdempotencyKey);
    }

    private static Payout InState(PayoutState state)
    {
        var at = new DateTime(2026, 3, 2, 0, 0, 0, DateTimeKind.Utc);
        var payout = new Payout(Guid.NewGuid(), Guid.NewGuid(), "ann", "acct_1", 1_000, "USD", at);
        _ = state switch
        {
            PayoutState.Planned => true,
            PayoutState.Submitted => payout.Submit(at),
            PayoutState.Paid => payout.Submit(at) && payout.MarkPaid("tr_0", false, at),
            PayoutState.Failed => payout.Submit(at) && payout.MarkFailed("declined", at),
            PayoutState.Returned => payout.Submit(at) && payout.MarkFailed("declined", at) && payout.Return("given back", at),
            PayoutState.NeedsLookup => payout.Submit(at) && payout.MarkNeedsLookup("idempotency_error", at),
            _ => throw new ArgumentOutOfRangeException(nameof(state)),
        };
        Assert.Equal(state, payout.State);
        return payout;
    }
}
