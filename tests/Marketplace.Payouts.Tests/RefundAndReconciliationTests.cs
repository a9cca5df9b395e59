using Marketplace.Payouts.Tests.Infrastructure;
using Marketplace.StripeFake;
using Microsoft.EntityFrameworkCore;
using static Marketplace.Payouts.Tests.Infrastructure.PayoutsHarness;

namespace Marketplace.Payouts.Tests;

public class RefundAndReconciliationTests
{
    private const string RefundsPath = "/v1/refunds";

    /// <summary>StartJobFunding, the card succeeds, the signed webhook is received and processed.</summary>
    private static async Task<string> FundThroughStripeAsync(PayoutsHarness harness, Guid jobId, long amount)
    {
        var intent = await harness.Use<StartJobFunding, FundingIntent>(f => f.ExecuteAsync(jobId, Usd(amount), Guid.NewGuid()));
        var succeeded = harness.Fake.SucceedPaymentIntent(intent.PaymentIntentId);
        var receipt = await harness.Use<ReceiveStripeWebhook, WebhookReceipt>(r => r.ExecuteAsync(succeeded.Json, FakeStripeServer.Sign(succeeded.Json, harness.Clock.GetUtcNow())));
        await harness.Use<ProcessStripeEvent, string>(p => p.ExecuteAsync(receipt.EventId!));
        return intent.PaymentIntentId;
    }

    [Theory]
    [ClassData(typeof(Databases))]
    public async Task Refund_OfUnspentEscrowAtJobClose_HappensExactlyOnce(DatabaseKind kind)
    {
        await using var harness = await CreateAsync(kind);
        var jobId = Guid.NewGuid();
        var intentId = await FundThroughStripeAsync(harness, jobId, 10_000);
        await harness.AccrueAsync(jobId, "ann", 100);
        await harness.AccrueAsync(jobId, "bob", 100);

        var first = await harness.Use<RefundUnspentEscrow, RefundResult>(r => r.ExecuteAsync(jobId));
        var second = await harness.Use<RefundUnspentEscrow, RefundResult>(r => r.ExecuteAsync(jobId));

        Assert.Equal(RefundOutcome.Refunded, first.Outcome);
        Assert.Equal(RefundOutcome.Refunded, second.Outcome);
        var refund = Assert.Single(harness.Fake.Refunds);
        Assert.Equal(10_000 - 240, refund["amount"]!.GetValue<long>());
        Assert.Equal(intentId, (string?)refund["payment_intent"]);
        Assert.Equal(1, harness.Fake.CountRequests("POST", RefundsPath));
        Assert.Equal(0, await harness.BalanceAsync(LedgerAccountId.JobEscrow(jobId)));
        Assert.Equal(0, await harness.BalanceAsync(LedgerAccountId.RefundsInTransit(jobId)));
        Assert.Equal(240, await harness.BalanceAsync(LedgerAccountId.PaymentsClearing));
        await harness.AssertBooksBalanceAsync();
    }

    [Theory]
    [ClassData(typeof(Databases))]
    public async Task Refund_WhenTheAnswerIsLostThenA401_StaysSubmitted_AndIsNeverPutBackInEscrow(DatabaseKind kind)
    {
        await using var harness = await CreateAsync(kind);
        var jobId = Guid.NewGuid();
        await FundThroughStripeAsync(harness, jobId, 3_000);
        harness.Fake.Script("POST", RefundsPath, FakeFault.Drop, FakeFault.Refuse(401));

        var result = await harness.Use<RefundUnspentEscrow, RefundResult>(r => r.ExecuteAsync(jobId));

        // The refund was made; the answer said nothing certain. Escrow credited back would be refunded (or spent) twice.
        Assert.Equal(RefundOutcome.Pending, result.Outcome);
        Assert.Single(harness.Fake.Refunds);
        Assert.Equal(0, await harness.BalanceAsync(LedgerAccountId.JobEscrow(jobId)));
        Assert.Equal(RefundOutcome.Refunded, (await harness.Use<RefundUnspentEscrow, RefundResult>(r => r.ExecuteAsync(jobId))).Outcome); // the next run replays it
        Assert.Single(harness.Fake.Refunds);
        await harness.AssertBooksBalanceAsync();
    }

    [Theory]
    [ClassData(typeof(Databases))]
    public async Task Refund_WhenTheResponseIsLost_TheRetryIsReplayedNotRepeated(DatabaseKind kind)
    {
        await using var harness = await CreateAsync(kind);
        var jobId = Guid.NewGuid();
        await FundThroughStripeAsync(harness, jobId, 3_000);
        harness.Fake.DropNextResponses(1);

        var result = await harness.Use<RefundUnspentEscrow, RefundResult>(r => r.ExecuteAsync(jobId));

        Assert.Equal(RefundOutcome.Refunded, result.Outcome);
        Assert.Single(harness.Fake.Refunds);
        Assert.Equal([false, true], harness.Fake.Requests.Where(r => r.Path == RefundsPath).Select(r => r.Replayed));
    }

    [Theory]
    [ClassData(typeof(Databases))]
    public async Task Refund_LeftPendingByStripe_IsConfirmedByChargeRefunded_AndNotSentAgain(DatabaseKind kind)
    {
        await using var harness = await CreateAsync(kind);
        var jobId = Guid.NewGuid();
        var intentId = await FundThroughStripeAsync(harness, jobId, 3_000);
        harness.Fake.NewRefundStatus = "pending";

        var pending = await harness.Use<RefundUnspentEscrow, RefundResult>(r => r.ExecuteAsync(jobId));
        Assert.Equal(RefundOutcome.Pending, pending.Outcome);
        Assert.Equal(3_000, await harness.BalanceAsync(LedgerAccountId.RefundsInTransit(jobId)));

        var refunded = harness.Fake.ChargeRefundedEvent(intentId);
        var receipt = await harness.Use<ReceiveStripeWebhook, WebhookReceipt>(r => r.ExecuteAsync(refunded.Json, FakeStripeServer.Sign(refunded.Json, harness.Clock.GetUtcNow())));
        var outcome = await harness.Use<ProcessStripeEvent, string>(p => p.ExecuteAsync(receipt.EventId!));
        var after = await harness.Use<RefundUnspentEscrow, RefundResult>(r => r.ExecuteAsync(jobId));

        Assert.Contains("1 refund(s) confirmed", outcome, StringComparison.Ordinal);
        Assert.Equal(RefundOutcome.Refunded, after.Outcome);
        Assert.Equal(0, await harness.BalanceAsync(LedgerAccountId.RefundsInTransit(jobId)));
        Assert.Equal(0, await harness.BalanceAsync(LedgerAccountId.PaymentsClearing));
        Assert.Equal(1, harness.Fake.CountRequests("POST", RefundsPath));
        await harness.AssertBooksBalanceAsync();
    }

    [Theory]
    [ClassData(typeof(Databases))]
    public async Task Refund_SpreadsOverTheJobsPayments_NewestFirst_EachCappedAtItsPayment(DatabaseKind kind)
    {
        await using var harness = await CreateAsync(kind);
        var jobId = Guid.NewGuid();
        var older = await FundThroughStripeAsync(harness, jobId, 5_000);
        harness.Clock.Advance(TimeSpan.FromHours(1));
        var newer = await FundThroughStripeAsync(harness, jobId, 3_000);
        await harness.AccrueAsync(jobId, "ann", 1_000); // 1 200 spent, 6 800 left

        await harness.Use<RefundUnspentEscrow, RefundResult>(r => r.ExecuteAsync(jobId));

        var refunds = harness.Fake.Refunds.ToDictionary(r => (string)r["payment_intent"]!, r => r["amount"]!.GetValue<long>());
        Assert.Equal(3_000, refunds[newer]);
        Assert.Equal(3_800, refunds[older]);
        Assert.Equal(0, await harness.BalanceAsync(LedgerAccountId.JobEscrow(jobId)));
    }

    [Theory]
    [ClassData(typeof(Databases))]
    public async Task Refund_OfAFullySpentJob_HasNothingToRefund(DatabaseKind kind)
    {
        await using var harness = await CreateAsync(kind);
        var jobId = Guid.NewGuid();
        await FundThroughStripeAsync(harness, jobId, 120);
        await harness.AccrueAsync(jobId, "ann", 100);

        var result = await harness.Use<RefundUnspentEscrow, RefundResult>(r => r.ExecuteAsync(jobId));

        Assert.Equal(RefundOutcome.NothingToRefund, result.Outcome);
        Assert.Equal(0, harness.Fake.CountRequests("POST", RefundsPath));
    }

    [Theory]
    [ClassData(typeof(Databases))]
    public async Task Reconcile_MatchesOurPayoutsAndPayments_AndListsATransferTheLedgerCannotExplain(DatabaseKind kind)
    {
        await using var harness = await CreateAsync(kind);
        var dayStart = harness.Clock.GetUtcNow().UtcDateTime.Date;
        var jobId = Guid.NewGuid();
        var intentId = await FundThroughStripeAsync(harness, jobId, 10_000);
        var account = await harness.ConnectAsync("ann");
        await harness.AccrueAsync(jobId, "ann", 2_000);
        harness.Clock.Advance(TimeSpan.FromDays(8));
        await harness.Use<ReleaseEarnings, int>(r => r.ExecuteAsync());
        var payoutId = Assert.Single((await harness.Use<PlanPayoutRun, PayoutRunPlan>(p => p.ExecuteAsync("run"))).PayoutIds);
        await harness.Use<ExecutePayout, PayoutExecution>(e => e.ExecuteAsync(payoutId));
        var stray = harness.Fake.CreateTransferOutsideTheApp(777, "usd", account);

        var report = await harness.Use<ReconcileLedger, ReconciliationReport>(r => r.ExecuteAsync(dayStart, dayStart.AddDays(10)));

        var problem = Assert.Single(report.Problems);
        Assert.Equal(ReconciliationStatus.Unexplained, problem.Status);
        Assert.Equal((string?)stray["id"], problem.Reference);
        Assert.Equal(Usd(777), problem.Gateway);
        Assert.Contains(report.Matched, l => l.Kind == ReconciliationKind.Transfer && l.Reference == harness.Fake.Transfers[0]["id"]!.ToString());
        Assert.Contains(report.Matched, l => l.Kind == ReconciliationKind.Payment && l.Reference == intentId);
        var payoutDay = DateOnly.FromDateTime(harness.Clock.GetUtcNow().UtcDateTime);
        var day = report.Days.Single(d => d.Day == payoutDay);
        Assert.Equal(2_000, day.LedgerPayoutsMinor);
        Assert.Equal(2_777, day.GatewayTransfersMinor);
        Assert.Equal(10_000, report.Days.Single(d => d.Day == DateOnly.FromDateTime(dayStart)).LedgerPaymentsMinor);
        Assert.False(report.IsClean);
    }

    [Theory]
    [ClassData(typeof(Databases))]
    public async Task DryRun_PaysNoOneAndSaysSo(DatabaseKind kind)
    {
        await using var harness = await CreateAsync(kind, dryRun: true);
        var jobId = Guid.NewGuid();
        var funding = await harness.Use<StartJobFunding, FundingIntent>(f => f.ExecuteAsync(jobId, Usd(5_000), Guid.NewGuid()));
        await harness.ConnectAsync("ann");
        await harness.AccrueAsync(jobId, "ann", 2_000);
        harness.Clock.Advance(TimeSpan.FromDays(8));
        await harness.Use<ReleaseEarnings, int>(r => r.ExecuteAsync());
        var payoutId = Assert.Single((await harness.Use<PlanPayoutRun, PayoutRunPlan>(p => p.ExecuteAsync("run"))).PayoutIds);

        var result = await harness.Use<ExecutePayout, PayoutExecution>(e => e.ExecuteAsync(payoutId));

        Assert.True(funding.DryRun);
        Assert.True(funding.FundedNow);
        Assert.Equal(PayoutExecutionStatus.Paid, result.Status);
        var payout = await harness.PayoutAsync(payoutId);
        Assert.True(payout.DryRun);
        Assert.StartsWith("dryrun_tr_", payout.TransferId, StringComparison.Ordinal);
        var gateway = harness.Services.GetRequiredService<IPaymentsGateway>();
        Assert.True(gateway.IsDryRun);
        var calls = harness.Services.GetRequiredService<DryRunPaymentsGateway>().Calls;
        Assert.Equal(["create payment intent", "create transfer"], calls.Select(c => c.Operation));
        Assert.All(calls, c => Assert.StartsWith("DRY RUN, nothing sent", c.Description, StringComparison.Ordinal));
        Assert.True((await harness.QueryAsync(db => db.EscrowFundings.SingleAsync())).DryRun);
        await harness.AssertBooksBalanceAsync();
    }
}
