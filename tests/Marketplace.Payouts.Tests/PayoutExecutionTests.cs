using Marketplace.Payouts.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Marketplace.Payouts.Tests.Infrastructure.PayoutsHarness;

namespace Marketplace.Payouts.Tests;

/// <summary>Real Stripe.net over HTTP against the fake Stripe server: a payout moves money exactly once, whatever fails.</summary>
public class PayoutExecutionTests
{
    private const string TransfersPath = "/v1/transfers";

    private static async Task<(PayoutsHarness Harness, Guid PayoutId, string Account)> PlannedPayoutAsync(DatabaseKind kind, long amount = 1_500, IDictionary<string, string?>? settings = null)
    {
        var harness = await CreateAsync(kind, settings: settings);
        var account = await harness.ConnectAsync("ann");
        await harness.GiveAvailableAsync("ann", amount);
        var plan = await harness.Use<PlanPayoutRun, PayoutRunPlan>(p => p.ExecuteAsync("run-1"));
        return (harness, Assert.Single(plan.PayoutIds), account);
    }

    private static Task<PayoutExecution> ExecuteAsync(PayoutsHarness harness, Guid payoutId) =>
        harness.Use<ExecutePayout, PayoutExecution>(e => e.ExecuteAsync(payoutId));

    private static async Task AssertPaidOnceAsync(PayoutsHarness harness, Guid payoutId, long amount = 1_500)
    {
        var transfer = Assert.Single(harness.Fake.Transfers);
        Assert.Equal(amount, transfer["amount"]!.GetValue<long>());
        Assert.Equal(payoutId.ToString(), (string?)transfer["metadata"]!["payout_id"]);
        var payout = await harness.PayoutAsync(payoutId);
        Assert.Equal(PayoutState.Paid, payout.State);
        Assert.Equal((string?)transfer["id"], payout.TransferId);
        Assert.False(payout.DryRun);
        Assert.Equal(0, await harness.BalanceAsync(LedgerAccountId.PayoutsInTransit("ann")));
        Assert.Equal(1, await harness.QueryAsync(db => db.LedgerTransactions.CountAsync(t => t.CauseKind == CauseKind.PayoutPaid)));
        await harness.AssertBooksBalanceAsync();
    }

    [Theory]
    [ClassData(typeof(Databases))]
    public async Task Execute_PaysOnceWithAKeyDerivedFromThePayout_AndAgainChangesNothing(DatabaseKind kind)
    {
        var (harness, payoutId, account) = await PlannedPayoutAsync(kind);
        await using var _ = harness;
        var clearingBefore = await harness.BalanceAsync(LedgerAccountId.PaymentsClearing);

        var first = await ExecuteAsync(harness, payoutId);
        var second = await ExecuteAsync(harness, payoutId);

        Assert.Equal(PayoutExecutionStatus.Paid, first.Status);
        Assert.Equal(PayoutExecutionStatus.AlreadyPaid, second.Status);
        await AssertPaidOnceAsync(harness, payoutId);
        var request = Assert.Single(harness.Fake.Requests, r => r.Path == TransfersPath);
        Assert.Equal(Payout.IdempotencyKeyFor(payoutId, 1), request.IdempotencyKey);
        Assert.Equal(account, (string?)harness.Fake.Transfers[0]["destination"]);
        Assert.Equal(clearingBefore - 1_500, await harness.BalanceAsync(LedgerAccountId.PaymentsClearing));
    }

    [Theory]
    [InlineData(500, 3)]
    [InlineData(429, 3)]
    [InlineData(503, 1)]
    public async Task Execute_ThroughTransientErrors_RetriesWithTheSameKeyAndPaysOnce(int status, int failures)
    {
        var (harness, payoutId, _) = await PlannedPayoutAsync(DatabaseKind.Sqlite);
        await using var _ = harness;
        harness.Fake.FailNext(failures, status);

        var result = await ExecuteAsync(harness, payoutId);

        Assert.Equal(PayoutExecutionStatus.Paid, result.Status);
        await AssertPaidOnceAsync(harness, payoutId);
        var attempts = harness.Fake.Requests.Where(r => r.Path == TransfersPath).ToList();
        Assert.Equal(failures + 1, attempts.Count);
        Assert.Equal([status], attempts.SkipLast(1).Select(a => a.Status).Distinct());
        Assert.All(attempts, a => Assert.Equal(Payout.IdempotencyKeyFor(payoutId, 1), a.IdempotencyKey));
    }

    [Theory]
    [ClassData(typeof(Databases))]
    public async Task Execute_WhenTheResponseIsLostAfterTheTransferWasMade_TheRetryGetsStripesReplay(DatabaseKind kind)
    {
        var (harness, payoutId, _) = await PlannedPayoutAsync(kind);
        await using var _ = harness;
        harness.Fake.DropNextResponses(1);

        var result = await ExecuteAsync(harness, payoutId);

        Assert.Equal(PayoutExecutionStatus.Paid, result.Status);
        await AssertPaidOnceAsync(harness, payoutId);
        Assert.Equal([false, true], harness.Fake.Requests.Where(r => r.Path == TransfersPath).Select(r => r.Replayed));
    }

    [Fact]
    public async Task Execute_WhenAnAttemptTimesOut_TheRetryGetsStripesReplay()
    {
        var (harness, payoutId, _) = await PlannedPayoutAsync(DatabaseKind.Sqlite, settings: new Dictionary<string, string?> { ["Stripe:RequestTimeout"] = "00:00:02" });
        await using var _ = harness;
        harness.Fake.DelayNext(1, TimeSpan.FromSeconds(5));

        var result = await ExecuteAsync(harness, payoutId);

        Assert.Equal(PayoutExecutionStatus.Paid, result.Status);
        await AssertPaidOnceAsync(harness, payoutId);
        var attempts = harness.Fake.Requests.Where(r => r.Path == TransfersPath).ToList();
        Assert.Single(attempts, r => !r.Replayed);
        Assert.Contains(attempts, r => r.Replayed);
    }

    [Theory]
    [ClassData(typeof(Databases))]
    public async Task Execute_WhenRetriesRunOut_LeavesThePayoutSubmittedWithItsKey_AndALaterRunPaysOnce(DatabaseKind kind)
    {
        var (harness, payoutId, _) = await PlannedPayoutAsync(kind);
        await using var _ = harness;
        harness.Fake.FailNext(4, 500); // Stripe:MaxAttempts is 4

        await Assert.ThrowsAsync<PaymentsGatewayUnavailableException>(() => ExecuteAsync(harness, payoutId));
        var stuck = await harness.PayoutAsync(payoutId);
        Assert.Equal(PayoutState.Submitted, stuck.State);
        Assert.Equal(Payout.IdempotencyKeyFor(payoutId, 1), stuck.IdempotencyKey);
        Assert.Empty(harness.Fake.Transfers);

        var later = await ExecuteAsync(harness, payoutId);

        Assert.Equal(PayoutExecutionStatus.Paid, later.Status);
        await AssertPaidOnceAsync(harness, payoutId);
    }

    [Theory]
    [ClassData(typeof(Databases))]
    public async Task Execute_AfterACrashBetweenSavingTheKeyAndTheCall_SendsTheSavedKey(DatabaseKind kind)
    {
        var (harness, payoutId, _) = await PlannedPayoutAsync(kind);
        await using var _ = harness;
        // What a process that died right after saving the key leaves behind.
        await harness.QueryAsync(async db =>
        {
            var payout = await db.Payouts.SingleAsync(p => p.Id == payoutId);
            Assert.True(payout.Submit(harness.Clock.GetUtcNow().UtcDateTime));
            return await db.SaveChangesAsync();
        });

        var result = await ExecuteAsync(harness, payoutId);

        Assert.Equal(PayoutExecutionStatus.Paid, result.Status);
        await AssertPaidOnceAsync(harness, payoutId);
        Assert.Equal(Payout.IdempotencyKeyFor(payoutId, 1), harness.Fake.Requests.Single(r => r.Path == TransfersPath).IdempotencyKey);
    }

    [Theory]
    [ClassData(typeof(Databases))]
    public async Task Execute_AfterACrashRightAfterTheTransferWasMade_ReplaysInsteadOfPayingAgain(DatabaseKind kind)
    {
        var (harness, payoutId, account) = await PlannedPayoutAsync(kind);
        await using var _ = harness;
        // The crashed process saved the key, made the transfer, and died before recording it.
        await harness.QueryAsync(async db =>
        {
            var payout = await db.Payouts.SingleAsync(p => p.Id == payoutId);
            payout.Submit(harness.Clock.GetUtcNow().UtcDateTime);
            return await db.SaveChangesAsync();
        });
        var crashed = await harness.Use<IPaymentsGateway, GatewayResult<GatewayTransfer>>(g =>
            g.CreateTransferAsync(new TransferRequest(Usd(1_500), account, payoutId, "ann"), Payout.IdempotencyKeyFor(payoutId, 1)));
        Assert.True(crashed.Succeeded);

        var result = await ExecuteAsync(harness, payoutId);

        Assert.Equal(PayoutExecutionStatus.Paid, result.Status);
        await AssertPaidOnceAsync(harness, payoutId);
        Assert.Equal(crashed.Value!.Id, (await harness.PayoutAsync(payoutId)).TransferId);
        Assert.Equal([false, true], harness.Fake.Requests.Where(r => r.Path == TransfersPath).Select(r => r.Replayed));
    }

    [Theory]
    [ClassData(typeof(Databases))]
    public async Task Execute_OnTwoNodesAtOnce_PaysOnce(DatabaseKind kind)
    {
        var (harness, payoutId, _) = await PlannedPayoutAsync(kind);
        await using var _ = harness;

        var results = await Task.WhenAll(ExecuteAsync(harness, payoutId), ExecuteAsync(harness, payoutId));

        Assert.All(results, r => Assert.Contains(r.Status, new[] { PayoutExecutionStatus.Paid, PayoutExecutionStatus.AlreadyPaid }));
        await AssertPaidOnceAsync(harness, payoutId);
    }

    [Theory]
    [ClassData(typeof(Databases))]
    public async Task Execute_DeclinedByStripe_Fails_ThenARetryPaysWithANewKey(DatabaseKind kind)
    {
        var (harness, payoutId, account) = await PlannedPayoutAsync(kind);
        await using var _ = harness;
        harness.Fake.SetPayoutsEnabled(account, false); // Stripe knows before our webhook arrives

        var failed = await ExecuteAsync(harness, payoutId);

        Assert.Equal(PayoutExecutionStatus.Failed, failed.Status);
        Assert.Contains("insufficient_capabilities_for_transfer", failed.Reason, StringComparison.Ordinal);
        Assert.Equal(1_500, await harness.BalanceAsync(LedgerAccountId.PayoutsInTransit("ann")));
        Assert.Equal(PayoutExecutionStatus.NotExecutable, (await ExecuteAsync(harness, payoutId)).Status);

        harness.Fake.SetPayoutsEnabled(account, true);
        Assert.Equal(PayoutResolution.Done, await harness.Use<ResolvePayout, PayoutResolution>(r => r.RetryAsync(payoutId)));
        var paid = await ExecuteAsync(harness, payoutId);

        Assert.Equal(PayoutExecutionStatus.Paid, paid.Status);
        await AssertPaidOnceAsync(harness, payoutId);
        Assert.Equal([Payout.IdempotencyKeyFor(payoutId, 1), Payout.IdempotencyKeyFor(payoutId, 2)], harness.Fake.Requests.Where(r => r.Method == "POST" && r.Path == TransfersPath).Select(r => r.IdempotencyKey));
        // The decline failed the payout only after a lookup found no transfer for it.
        var calls = harness.Fake.Requests.Where(r => r.Path == TransfersPath).Select(r => r.Method).ToList();
        Assert.Equal(("POST", "GET", "POST"), (calls[0], calls[1], calls[^1]));
    }

    [Theory]
    [ClassData(typeof(Databases))]
    public async Task ReturnToAvailable_AfterAFailure_PutsTheMoneyBackByReversal(DatabaseKind kind)
    {
        var (harness, payoutId, account) = await PlannedPayoutAsync(kind);
        await using var _ = harness;
        harness.Fake.SetPayoutsEnabled(account, false);
        await ExecuteAsync(harness, payoutId);

        var resolution = await harness.Use<ResolvePayout, PayoutResolution>(r => r.ReturnToAvailableAsync(payoutId, "account closed"));

        Assert.Equal(PayoutResolution.Done, resolution);
        Assert.Equal(PayoutState.Returned, (await harness.PayoutAsync(payoutId)).State);
        Assert.Equal(1_500, await harness.BalanceAsync(LedgerAccountId.ContributorAvailable("ann")));
        Assert.Equal(0, await harness.BalanceAsync(LedgerAccountId.PayoutsInTransit("ann")));
        Assert.Equal(PayoutResolution.NotAllowed, await harness.Use<ResolvePayout, PayoutResolution>(r => r.ReturnToAvailableAsync(payoutId, "twice")));
        await harness.AssertBooksBalanceAsync();
    }

    [Theory]
    [ClassData(typeof(Databases))]
    public async Task Execute_ForAContributorPutOnHoldAfterPlanning_FailsWithoutCallingStripe(DatabaseKind kind)
    {
        var (harness, payoutId, _) = await PlannedPayoutAsync(kind);
        await using var _ = harness;
        await harness.Use<SetPayoutHold, bool>(h => h.ExecuteAsync("ann", true, "fraud review"));

        var result = await ExecuteAsync(harness, payoutId);

        Assert.Equal(PayoutExecutionStatus.Failed, result.Status);
        Assert.Contains("fraud review", result.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(harness.Fake.Requests, r => r.Path == TransfersPath);
    }

    [Fact]
    public async Task StripeRequests_AreHeldUnderTheClientSideRateLimit()
    {
        await using var harness = await CreateAsync(DatabaseKind.Sqlite, settings: new Dictionary<string, string?> { ["Stripe:MaxRequestsPerSecond"] = "2" });
        var gateway = harness.Services.GetRequiredService<IPaymentsGateway>();
        var clock = System.Diagnostics.Stopwatch.StartNew();

        // A bucket of 2 that refills 2 a second: 6 requests need at least two refills.
        await Task.WhenAll(Enumerable.Range(0, 6).Select(i => gateway.GetTransferAsync($"tr_missing_{i}")));

        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.5), $"6 requests at 2/s took only {clock.Elapsed}");
        Assert.Equal(6, harness.Fake.Requests.Count(r => r.Status == 404));
    }

    [Fact]
    public async Task AWholeRunWithInjectedFaults_PaysEveryContributorExactlyOnce()
    {
        await using var harness = await CreateAsync(DatabaseKind.Sqlite);
        var contributors = Enumerable.Range(1, 12).Select(i => $"c{i:D2}").ToList();
        foreach (var contributor in contributors)
        {
            await harness.ConnectAsync(contributor);
            await harness.GiveAvailableAsync(contributor, 1_000 + contributors.IndexOf(contributor));
        }

        var plan = await harness.Use<PlanPayoutRun, PayoutRunPlan>(p => p.ExecuteAsync("faulty"));
        var random = new Random(20260302);
        foreach (var payoutId in plan.PayoutIds)
        {
            switch (random.Next(5))
            {
                case 0: harness.Fake.FailNext(1, 500); break;
                case 1: harness.Fake.FailNext(1, 429); break;
                case 2: harness.Fake.DropNextResponses(1); break;
            }

            // A job that throws is retried by the scheduler; here, by hand.
            for (var attempt = 0; attempt < 3; attempt++)
            {
                try
                {
                    Assert.Equal(PayoutExecutionStatus.Paid, (await ExecuteAsync(harness, payoutId)).Status);
                    break;
                }
                catch (PaymentsGatewayUnavailableException) when (attempt < 2)
                {
                }
            }
        }

        var transfers = harness.Fake.Transfers;
        Assert.Equal(contributors.Count, transfers.Count);
        Assert.Equal(contributors.Count, transfers.Select(t => (string?)t["metadata"]!["contributor_id"]).Distinct().Count());
        foreach (var contributor in contributors)
        {
            Assert.Equal(0, await harness.BalanceAsync(LedgerAccountId.PayoutsInTransit(contributor)));
        }

        await harness.AssertBooksBalanceAsync();
    }
}
