using Marketplace.Payouts.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Marketplace.Payouts.Tests.Infrastructure.PayoutsHarness;

namespace Marketplace.Payouts.Tests;

/// <summary>
/// Clawbacks that race: the same decision sent twice at once, two decisions for more than is left, a request that
/// died after Stripe reversed. Stripe reverses each decision's amount at most once, never beyond what was paid, and
/// the request that loses is told so, never answered with an error.
/// </summary>
public class ConcurrentClawbackTests
{
    private static async Task<(PayoutsHarness Harness, Payout Payout)> PaidAsync(DatabaseKind kind, long amount)
    {
        var harness = await CreateAsync(kind);
        await harness.ConnectAsync("cal");
        await harness.GiveAvailableAsync("cal", amount);
        var payoutId = Assert.Single((await harness.Use<PlanPayoutRun, PayoutRunPlan>(p => p.ExecuteAsync("run-1"))).PayoutIds);
        Assert.Equal(PayoutExecutionStatus.Paid, (await harness.Use<ExecutePayout, PayoutExecution>(e => e.ExecuteAsync(payoutId))).Status);
        return (harness, await harness.PayoutAsync(payoutId));
    }

    private static Task<ClawbackResult> ClawBackAsync(PayoutsHarness harness, ClawbackRequest request) =>
        harness.Use<ClawBackPayout, ClawbackResult>(c => c.ExecuteAsync(request));

    private static int ReversalPosts(PayoutsHarness harness, Payout payout) =>
        harness.Fake.CountRequests("POST", $"/v1/transfers/{payout.TransferId}/reversals");

    [Theory]
    [ClassData(typeof(Databases))]
    public async Task Clawback_TheSameDecisionFourTimesAtOnce_IsReversedOnce_AndNoRequestFails(DatabaseKind kind)
    {
        var (harness, payout) = await PaidAsync(kind, 5_000);
        await using var _ = harness;
        var request = new ClawbackRequest(Guid.NewGuid(), payout.Id, 1_200, "copied labels");
        harness.Fake.DelayNext(1, TimeSpan.FromMilliseconds(700)); // Stripe is slow: the others arrive while the first waits

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => ClawBackAsync(harness, request))));

        Assert.Single(results, r => r.Status == ClawbackStatus.Done);
        Assert.All(results, r => Assert.Contains(r.Status, new[] { ClawbackStatus.Done, ClawbackStatus.AlreadyDone, ClawbackStatus.InProgress }));
        Assert.Equal(1, ReversalPosts(harness, payout));
        Assert.Equal(1_200, Assert.Single(harness.Fake.ReversalsOf(payout.TransferId!))["amount"]!.GetValue<long>());
        Assert.Equal(1, await harness.QueryAsync(db => db.LedgerTransactions.CountAsync(t => t.CauseKind == CauseKind.Clawback)));
        Assert.Equal(ClawbackStatus.AlreadyDone, (await ClawBackAsync(harness, request)).Status);
        await harness.AssertBooksBalanceAsync();
    }

    [Theory]
    [ClassData(typeof(Databases))]
    public async Task Clawback_TwoDecisionsAtOnceForMoreThanWasPaid_OnlyOneReachesStripe(DatabaseKind kind)
    {
        var (harness, payout) = await PaidAsync(kind, 5_000);
        await using var _ = harness;
        harness.Fake.DelayNext(1, TimeSpan.FromMilliseconds(700));
        var requests = Enumerable.Range(0, 3).Select(i => new ClawbackRequest(Guid.NewGuid(), payout.Id, 3_000, $"decision {i}")).ToList();

        var results = await Task.WhenAll(requests.Select(r => Task.Run(() => ClawBackAsync(harness, r))));

        Assert.Single(results, r => r.Status == ClawbackStatus.Done);
        Assert.All(results.Where(r => r.Status != ClawbackStatus.Done), r => Assert.Equal(ClawbackStatus.TooMuch, r.Status));
        Assert.Equal(1, ReversalPosts(harness, payout));
        Assert.Equal(3_000, harness.Fake.ReversalsOf(payout.TransferId!).Sum(r => r["amount"]!.GetValue<long>()));
        await harness.AssertBooksBalanceAsync();
    }

    [Theory]
    [ClassData(typeof(Databases))]
    public async Task Clawback_ResumedAfterARequestDiedWithTheReversalMade_LooksItUpInsteadOfReversingAgain(DatabaseKind kind)
    {
        var (harness, payout) = await PaidAsync(kind, 5_000);
        await using var _ = harness;
        var request = new ClawbackRequest(Guid.NewGuid(), payout.Id, 2_000, "fraud", Guid.NewGuid());
        // What a request that died leaves: its clawback reserved and claimed, the reversal made at Stripe, nothing recorded.
        await harness.QueryAsync(db =>
        {
            db.PayoutClawbacks.Add(new PayoutClawback(request.ClawbackId, payout.Id, 2_000, Currency, request.Reason, request.CreditJobId, harness.Clock.GetUtcNow().UtcDateTime));
            return db.SaveChangesAsync();
        });
        await harness.Use<IPaymentsGateway, GatewayResult<GatewayTransferReversal>>(g => g.ReverseTransferAsync(
            new TransferReversalRequest(payout.TransferId!, Usd(2_000), payout.Id, request.ClawbackId, request.Reason), ClawBackPayout.IdempotencyKeyFor(request.ClawbackId)));

        var tooSoon = await ClawBackAsync(harness, request); // its lease still holds: it might be alive
        harness.Clock.Advance(TimeSpan.FromHours(30)); // its lease is long over, and Stripe has forgotten the key
        var resumed = await ClawBackAsync(harness, request);

        Assert.Equal(ClawbackStatus.InProgress, tooSoon.Status);
        Assert.Equal(ClawbackStatus.Done, resumed.Status);
        Assert.Equal(1, ReversalPosts(harness, payout));
        Assert.Equal(2_000, await harness.BalanceAsync(LedgerAccountId.JobEscrow(request.CreditJobId!.Value)));
        Assert.Equal(ClawbackState.Done, (await harness.QueryAsync(db => db.PayoutClawbacks.SingleAsync())).State);
        await harness.AssertBooksBalanceAsync();
    }

    [Theory]
    [ClassData(typeof(Databases))]
    public async Task Clawback_WhenStripeIsUnreachable_KeepsItsReservation_AndTheSameRequestLaterFinishesIt(DatabaseKind kind)
    {
        var (harness, payout) = await PaidAsync(kind, 5_000);
        await using var _ = harness;
        var request = new ClawbackRequest(Guid.NewGuid(), payout.Id, 4_000, "fraud");
        harness.Fake.FailNext(4, 503);

        await Assert.ThrowsAsync<PaymentsGatewayUnavailableException>(() => ClawBackAsync(harness, request));
        var meanwhile = await ClawBackAsync(harness, new ClawbackRequest(Guid.NewGuid(), payout.Id, 1_001, "more"));
        var later = await ClawBackAsync(harness, request);

        Assert.Equal(ClawbackStatus.TooMuch, meanwhile.Status); // 4,000 of 5,000 are still reserved
        Assert.Equal(ClawbackStatus.Done, later.Status);
        Assert.Equal(4_000, Assert.Single(harness.Fake.ReversalsOf(payout.TransferId!))["amount"]!.GetValue<long>());
        await harness.AssertBooksBalanceAsync();
    }
}
