using Marketplace.Payouts.Tests.Infrastructure;
using Marketplace.StripeFake;
using Microsoft.EntityFrameworkCore;
using static Marketplace.Payouts.Tests.Infrastructure.PayoutsHarness;

namespace Marketplace.Payouts.Tests;

/// <summary>Taking money back after a payout: only as an admin's decision, once per decision, never more than was paid.</summary>
public class ClawbackTests
{
    private static async Task<(PayoutsHarness Harness, Payout Payout)> PaidAsync(DatabaseKind kind, long amount)
    {
        var harness = await CreateAsync(kind);
        await harness.ConnectAsync("cal");
        await harness.GiveAvailableAsync("cal", amount);
        var plan = await harness.Use<PlanPayoutRun, PayoutRunPlan>(p => p.ExecuteAsync("run-1"));
        var payoutId = Assert.Single(plan.PayoutIds);
        await harness.Use<ExecutePayout, PayoutExecution>(e => e.ExecuteAsync(payoutId));
        var payout = await harness.PayoutAsync(payoutId);
        Assert.Equal(PayoutState.Paid, payout.State);
        return (harness, payout);
    }

    private static Task<ClawbackResult> ClawBackAsync(PayoutsHarness harness, ClawbackRequest request) =>
        harness.Use<ClawBackPayout, ClawbackResult>(c => c.ExecuteAsync(request));

    [Theory]
    [ClassData(typeof(Databases))]
    public async Task Clawback_ReversesPartOfTheTransferOnce_PostsItOnce_AndNeverTakesMoreThanWasPaid(DatabaseKind kind)
    {
        var (harness, payout) = await PaidAsync(kind, 5_000);
        await using var _ = harness;
        var job = Guid.NewGuid();
        var revenueBefore = await harness.BalanceAsync(LedgerAccountId.PlatformRevenue);
        var request = new ClawbackRequest(Guid.NewGuid(), payout.Id, 1_200, "labels on job X were copied", job);

        var first = await ClawBackAsync(harness, request);
        var retried = await ClawBackAsync(harness, request); // the admin pressed twice, or the request was retried

        Assert.Equal(ClawbackStatus.Done, first.Status);
        Assert.Equal(ClawbackStatus.AlreadyDone, retried.Status);
        var reversal = Assert.Single(harness.Fake.ReversalsOf(payout.TransferId!));
        Assert.Equal(1_200, reversal["amount"]!.GetValue<long>());
        Assert.Equal(request.ClawbackId.ToString(), reversal["metadata"]!["clawback_id"]!.GetValue<string>());
        Assert.Equal(1_200, await harness.BalanceAsync(LedgerAccountId.JobEscrow(job)));
        Assert.Equal(1, await harness.QueryAsync(db => db.LedgerTransactions.CountAsync(t => t.CauseKind == CauseKind.Clawback)));

        // What is left is 3,800: a second decision may take up to that and no more.
        var tooMuch = await ClawBackAsync(harness, new ClawbackRequest(Guid.NewGuid(), payout.Id, 3_801, "more"));
        Assert.Equal(ClawbackStatus.TooMuch, tooMuch.Status);
        Assert.Equal(1_200, tooMuch.ClawedBackSoFar!.Value.MinorUnits);
        var rest = await ClawBackAsync(harness, new ClawbackRequest(Guid.NewGuid(), payout.Id, 3_800, "the rest"));
        Assert.Equal(ClawbackStatus.Done, rest.Status);
        Assert.Equal(revenueBefore + 3_800, await harness.BalanceAsync(LedgerAccountId.PlatformRevenue)); // no job named: revenue
        Assert.Equal(2, harness.Fake.ReversalsOf(payout.TransferId!).Count);

        // The payout stays Paid: it was paid; the clawback is its own record.
        Assert.Equal(PayoutState.Paid, (await harness.PayoutAsync(payout.Id)).State);
        await harness.AssertBooksBalanceAsync();
    }

    [Theory]
    [ClassData(typeof(Databases))]
    public async Task Clawback_RefusesUnpaidPayoutsAndNonsense(DatabaseKind kind)
    {
        await using var harness = await CreateAsync(kind);
        await harness.ConnectAsync("dot");
        await harness.GiveAvailableAsync("dot", 2_000);
        var plan = await harness.Use<PlanPayoutRun, PayoutRunPlan>(p => p.ExecuteAsync("run-1"));
        var planned = Assert.Single(plan.PayoutIds);

        Assert.Equal(ClawbackStatus.NotPaid, (await ClawBackAsync(harness, new ClawbackRequest(Guid.NewGuid(), planned, 100, "why"))).Status);
        Assert.Equal(ClawbackStatus.NotFound, (await ClawBackAsync(harness, new ClawbackRequest(Guid.NewGuid(), Guid.NewGuid(), 100, "why"))).Status);
        await harness.Use<ExecutePayout, PayoutExecution>(e => e.ExecuteAsync(planned));
        Assert.Equal(ClawbackStatus.TooMuch, (await ClawBackAsync(harness, new ClawbackRequest(Guid.NewGuid(), planned, 0, "why"))).Status);
        Assert.Empty(harness.Fake.ReversalsOf((await harness.PayoutAsync(planned)).TransferId!));
    }

    [Theory]
    [ClassData(typeof(Databases))]
    public async Task TransferReversedWebhook_ForOurOwnClawback_ChangesNothing_AndAnOutsideReversalAfterItIsLeftForAPerson(DatabaseKind kind)
    {
        var (harness, payout) = await PaidAsync(kind, 3_000);
        await using var _ = harness;
        Assert.Equal(ClawbackStatus.Done, (await ClawBackAsync(harness, new ClawbackRequest(Guid.NewGuid(), payout.Id, 1_000, "fraud"))).Status);

        var ours = harness.Fake.TransferReversedEvent(payout.TransferId!);
        var receipt = await harness.Use<ReceiveStripeWebhook, WebhookReceipt>(r => r.ExecuteAsync(ours.Json, FakeStripeServer.Sign(ours.Json, harness.Clock.GetUtcNow())));
        var outcome = await harness.Use<ProcessStripeEvent, string>(p => p.ExecuteAsync(receipt.EventId!));

        Assert.Contains("clawback", outcome, StringComparison.Ordinal);
        Assert.Equal(PayoutState.Paid, (await harness.PayoutAsync(payout.Id)).State);
        Assert.Equal(0, await harness.BalanceAsync(LedgerAccountId.ContributorAvailable("cal")));

        // Someone reverses the rest in Stripe's dashboard: returning the whole payout would count the clawback twice.
        var outside = harness.Fake.ReverseTransfer(payout.TransferId!);
        var second = await harness.Use<ReceiveStripeWebhook, WebhookReceipt>(r => r.ExecuteAsync(outside.Json, FakeStripeServer.Sign(outside.Json, harness.Clock.GetUtcNow())));
        Assert.StartsWith("needs review", await harness.Use<ProcessStripeEvent, string>(p => p.ExecuteAsync(second.EventId!)), StringComparison.Ordinal);
        Assert.Equal(PayoutState.Paid, (await harness.PayoutAsync(payout.Id)).State);
        Assert.Equal(0, await harness.BalanceAsync(LedgerAccountId.ContributorAvailable("cal")));
        await harness.AssertBooksBalanceAsync();
    }
}
