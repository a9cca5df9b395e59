using Marketplace.Payouts.Tests.Infrastructure;
using Marketplace.StripeFake;
using Microsoft.EntityFrameworkCore;
using Stripe;
using static Marketplace.Payouts.Tests.Infrastructure.PayoutsHarness;

namespace Marketplace.Payouts.Tests;

/// <summary>
/// An answer that says nothing certain is never a decline: a payout whose transfer may exist is settled by looking
/// the transfer up at Stripe before its money can go back to a balance, and is never paid a second time.
/// </summary>
public class AmbiguousPayoutTests
{
    private const string Transfers = "/v1/transfers";

    private static async Task<(PayoutsHarness Harness, Guid PayoutId, string Account)> PlannedAsync(DatabaseKind kind)
    {
        var harness = await CreateAsync(kind);
        var account = await harness.ConnectAsync("ann");
        await harness.GiveAvailableAsync("ann", 1_500);
        var plan = await harness.Use<PlanPayoutRun, PayoutRunPlan>(p => p.ExecuteAsync("run-1"));
        return (harness, Assert.Single(plan.PayoutIds), account);
    }

    private static Task<PayoutExecution> ExecuteAsync(PayoutsHarness harness, Guid payoutId) =>
        harness.Use<ExecutePayout, PayoutExecution>(e => e.ExecuteAsync(payoutId));

    private static Task<PayoutExecution> SettleAsync(PayoutsHarness harness, Guid payoutId) =>
        harness.Use<SettlePayout, PayoutExecution>(s => s.ExecuteAsync(payoutId));

    /// <summary>What the host's jobs do after a payout: a failed one's money goes back, and the next run pays what is available.</summary>
    private static async Task FinishAndRunAgainAsync(PayoutsHarness harness, PayoutExecution execution, string nextRun)
    {
        if (execution.State == PayoutState.Failed)
        {
            await harness.Use<ResolvePayout, PayoutResolution>(r => r.ReturnToAvailableAsync(execution.PayoutId, "returned by the job"));
        }

        foreach (var payoutId in (await harness.Use<PlanPayoutRun, PayoutRunPlan>(p => p.ExecuteAsync(nextRun))).PayoutIds)
        {
            await ExecuteAsync(harness, payoutId);
        }
    }

    private static async Task AssertAnnPaidOnceAsync(PayoutsHarness harness, long amount = 1_500)
    {
        var made = harness.Fake.Transfers.Where(t => (string?)t["metadata"]!["contributor_id"] == "ann").ToList();
        Assert.True(made.Count == 1, $"{made.Count} transfers were made to ann for one payout's money");
        Assert.Equal(amount, made[0]["amount"]!.GetValue<long>());
        Assert.Equal(0, await harness.BalanceAsync(LedgerAccountId.ContributorAvailable("ann")));
        Assert.Equal(0, await harness.BalanceAsync(LedgerAccountId.PayoutsInTransit("ann")));
        await harness.AssertBooksBalanceAsync();
    }

    public static TheoryData<DatabaseKind, string> LostAnswers()
    {
        var data = new TheoryData<DatabaseKind, string>();
        foreach (var kind in new Databases().Select(k => (DatabaseKind)k[0]))
        {
            data.Add(kind, "lost, then 401 after a key rotation");
            data.Add(kind, "a 200 that cannot be parsed");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(LostAnswers))]
    public async Task Execute_WhenTheTransferWasMadeButTheAnswerSaysNothingCertain_LooksItUp_AndNoLaterRunPaysItAgain(DatabaseKind kind, string answer)
    {
        var (harness, payoutId, _) = await PlannedAsync(kind);
        await using var _ = harness;
        harness.Fake.Script("POST", Transfers, answer.StartsWith("lost", StringComparison.Ordinal) ? [FakeFault.Drop, FakeFault.Refuse(401)] : [FakeFault.Corrupt]);

        var execution = await ExecuteAsync(harness, payoutId);
        await FinishAndRunAgainAsync(harness, execution, "run-2");

        Assert.Equal(PayoutExecutionStatus.Paid, execution.Status);
        var payout = await harness.PayoutAsync(payoutId);
        Assert.Equal(PayoutState.Paid, payout.State);
        Assert.Equal((string?)harness.Fake.Transfers.Single()["id"], payout.TransferId);
        await AssertAnnPaidOnceAsync(harness);
    }

    [Theory]
    [ClassData(typeof(Databases))]
    public async Task Execute_WhenTheLookupFailsToo_KeepsThePayoutOutOfEveryRun_UntilALookupFindsTheTransfer(DatabaseKind kind)
    {
        var (harness, payoutId, _) = await PlannedAsync(kind);
        await using var _ = harness;
        harness.Fake.Script("POST", Transfers, FakeFault.Drop, FakeFault.Refuse(401));
        harness.Fake.Script("GET", Transfers, FakeFault.Refuse(401)); // the key really was rotated

        var execution = await ExecuteAsync(harness, payoutId);

        Assert.Equal(PayoutExecutionStatus.NeedsLookup, execution.Status);
        Assert.Contains("lookup", execution.Reason, StringComparison.Ordinal);
        Assert.Equal(1_500, await harness.BalanceAsync(LedgerAccountId.PayoutsInTransit("ann")));
        Assert.Equal(PayoutResolution.NotAllowed, await harness.Use<ResolvePayout, PayoutResolution>(r => r.ReturnToAvailableAsync(payoutId, "give it back")));
        Assert.Equal(PayoutResolution.NotAllowed, await harness.Use<ResolvePayout, PayoutResolution>(r => r.RetryAsync(payoutId)));
        Assert.Equal(PayoutExecutionStatus.NeedsLookup, (await ExecuteAsync(harness, payoutId)).Status); // a re-queued job sends nothing
        Assert.Equal(2, harness.Fake.CountRequests("POST", Transfers));
        Assert.Empty(await harness.Use<PayoutQueries, IReadOnlyList<Guid>>(q => q.UnfinishedPayoutIdsAsync()));

        // What ann earns meanwhile is paid by the next run: the unknown payout holds back only its own money.
        await harness.GiveAvailableAsync("ann", 2_000);
        var next = Assert.Single((await harness.Use<PlanPayoutRun, PayoutRunPlan>(p => p.ExecuteAsync("run-2"))).PayoutIds);
        Assert.Equal(2_000, (await harness.PayoutAsync(next)).AmountMinor);
        Assert.Equal(PayoutExecutionStatus.Paid, (await ExecuteAsync(harness, next)).Status);

        var settled = await SettleAsync(harness, payoutId); // the key is fixed; the hourly job (or an admin) looks again

        Assert.Equal(PayoutExecutionStatus.Paid, settled.Status);
        Assert.Equal([1_500, 2_000], harness.Fake.Transfers.Select(t => t["amount"]!.GetValue<long>()).Order());
        Assert.Equal(0, await harness.BalanceAsync(LedgerAccountId.PayoutsInTransit("ann")));
        Assert.Equal(0, await harness.BalanceAsync(LedgerAccountId.ContributorAvailable("ann")));
        await harness.AssertBooksBalanceAsync();
    }

    [Theory]
    [ClassData(typeof(Databases))]
    public async Task Settle_WhenStripeHasNoTransfer_FailsOnlyOnceTheGraceHasPassed_ThenTheMoneyIsPaidOnce(DatabaseKind kind)
    {
        var (harness, payoutId, _) = await PlannedAsync(kind);
        await using var _ = harness;
        harness.Fake.Script("POST", Transfers, FakeFault.Refuse(401)); // refused before any work: no transfer exists

        Assert.Equal(PayoutExecutionStatus.NeedsLookup, (await ExecuteAsync(harness, payoutId)).Status);
        Assert.Equal(PayoutExecutionStatus.NeedsLookup, (await SettleAsync(harness, payoutId)).Status); // too soon to be sure
        harness.Clock.Advance(TimeSpan.FromMinutes(11));
        var settled = await SettleAsync(harness, payoutId);
        await FinishAndRunAgainAsync(harness, settled, "run-2");

        Assert.Equal(PayoutExecutionStatus.Failed, settled.Status);
        Assert.Equal(PayoutState.Returned, (await harness.PayoutAsync(payoutId)).State);
        await AssertAnnPaidOnceAsync(harness);
    }

    [Theory]
    [ClassData(typeof(Databases))]
    public async Task Execute_OnIdempotencyError_DoesNotThrowForever_ALookupFindsTheTransferTheKeyMade(DatabaseKind kind)
    {
        var (harness, payoutId, account) = await PlannedAsync(kind);
        await using var _ = harness;
        // An earlier version sent this payout's key with other parameters (one more metadata field), made the
        // transfer, and died before recording it: now the same key answers idempotency_error.
        await SubmitAsync(harness, payoutId);
        await new TransferService(RawClient(harness)).CreateAsync(
            new TransferCreateOptions
            {
                Amount = 1_500,
                Currency = "usd",
                Destination = account,
                TransferGroup = $"payout-{payoutId:N}",
                Metadata = new() { ["payout_id"] = payoutId.ToString(), ["contributor_id"] = "ann", ["app_version"] = "old" },
            },
            new RequestOptions { IdempotencyKey = Payout.IdempotencyKeyFor(payoutId, 1) });

        var execution = await ExecuteAsync(harness, payoutId);
        await FinishAndRunAgainAsync(harness, execution, "run-2");

        Assert.Equal(PayoutExecutionStatus.Paid, execution.Status);
        Assert.Contains(harness.Fake.Requests, r => r.Method == "POST" && r.Path == Transfers && r.Status == 400);
        await AssertAnnPaidOnceAsync(harness);
    }

    [Theory]
    [ClassData(typeof(Databases))]
    public async Task Execute_OnIdempotencyErrorWithNoTransfer_IsSettledByALookup_AndTheAdminCanRetryIt(DatabaseKind kind)
    {
        var (harness, payoutId, _) = await PlannedAsync(kind);
        await using var _ = harness;
        // The key was first used for a transfer Stripe refused (a destination that no longer existed).
        await SubmitAsync(harness, payoutId);
        await Assert.ThrowsAsync<StripeException>(() => new TransferService(RawClient(harness)).CreateAsync(
            new TransferCreateOptions { Amount = 1_500, Currency = "usd", Destination = "acct_gone" },
            new RequestOptions { IdempotencyKey = Payout.IdempotencyKeyFor(payoutId, 1) }));

        var first = await ExecuteAsync(harness, payoutId);
        Assert.Equal(PayoutExecutionStatus.NeedsLookup, first.Status);
        Assert.Contains("idempotency_error", first.Reason, StringComparison.Ordinal);
        Assert.Equal(PayoutExecutionStatus.NeedsLookup, (await ExecuteAsync(harness, payoutId)).Status); // Hangfire's retry sends nothing
        harness.Clock.Advance(TimeSpan.FromMinutes(11));
        Assert.Equal(PayoutExecutionStatus.Failed, (await SettleAsync(harness, payoutId)).Status);
        Assert.Equal(PayoutResolution.Done, await harness.Use<ResolvePayout, PayoutResolution>(r => r.RetryAsync(payoutId)));

        Assert.Equal(PayoutExecutionStatus.Paid, (await ExecuteAsync(harness, payoutId)).Status);
        await AssertAnnPaidOnceAsync(harness);
        Assert.Equal(Payout.IdempotencyKeyFor(payoutId, 2), harness.Fake.Requests.Last(r => r.Method == "POST" && r.Path == Transfers).IdempotencyKey);
    }

    [Theory]
    [ClassData(typeof(Databases))]
    public async Task Execute_AfterStripeForgotTheKey_LooksTheTransferUpInsteadOfSendingTheKeyAgain(DatabaseKind kind)
    {
        var (harness, payoutId, _) = await PlannedAsync(kind);
        await using var _ = harness;
        // The transfer is made, its answer lost, and every retry refused: the job gives up with the payout Submitted.
        harness.Fake.Script("POST", Transfers, FakeFault.Drop, FakeFault.Refuse(500), FakeFault.Refuse(500), FakeFault.Refuse(500));
        await Assert.ThrowsAsync<PaymentsGatewayUnavailableException>(() => ExecuteAsync(harness, payoutId));
        harness.Clock.Advance(TimeSpan.FromHours(25)); // nothing retried it for a day: Stripe no longer remembers the key

        var execution = await ExecuteAsync(harness, payoutId);

        Assert.Equal(PayoutExecutionStatus.Paid, execution.Status);
        Assert.Equal(4, harness.Fake.CountRequests("POST", Transfers));
        await AssertAnnPaidOnceAsync(harness);
    }

    [Theory]
    [ClassData(typeof(Databases))]
    public async Task Execute_AfterStripeForgotAKeyThatMadeNothing_SendsItOnceTheLookupFindsNoTransfer(DatabaseKind kind)
    {
        var (harness, payoutId, _) = await PlannedAsync(kind);
        await using var _ = harness;
        harness.Fake.FailNext(4, 503);
        await Assert.ThrowsAsync<PaymentsGatewayUnavailableException>(() => ExecuteAsync(harness, payoutId));
        harness.Clock.Advance(TimeSpan.FromHours(25));

        var execution = await ExecuteAsync(harness, payoutId);

        Assert.Equal(PayoutExecutionStatus.Paid, execution.Status);
        Assert.Contains(harness.Fake.Requests, r => r.Method == "GET" && r.Path == Transfers);
        await AssertAnnPaidOnceAsync(harness);
    }

    private static Task<int> SubmitAsync(PayoutsHarness harness, Guid payoutId) =>
        harness.QueryAsync(async db =>
        {
            (await db.Payouts.SingleAsync(p => p.Id == payoutId)).Submit(harness.Clock.GetUtcNow().UtcDateTime);
            return await db.SaveChangesAsync();
        });

    private static StripeClient RawClient(PayoutsHarness harness) =>
        new(new StripeClientOptions { ApiKey = FakeStripeServer.SecretKey, ApiBase = harness.Fake.BaseUrl.ToString().TrimEnd('/') });
}
