using Marketplace.Payouts.Tests.Infrastructure;
using Marketplace.StripeFake;
using Microsoft.EntityFrameworkCore;
using static Marketplace.Payouts.Tests.Infrastructure.PayoutsHarness;

namespace Marketplace.Payouts.Tests;

public class WebhookTests
{
    private static Task<WebhookReceipt> ReceiveAsync(PayoutsHarness harness, FakeStripeEvent stripeEvent, string? signature = null) =>
        harness.Use<ReceiveStripeWebhook, WebhookReceipt>(r => r.ExecuteAsync(stripeEvent.Json, signature ?? FakeStripeServer.Sign(stripeEvent.Json, harness.Clock.GetUtcNow())));

    private static Task<string> ProcessAsync(PayoutsHarness harness, string eventId) =>
        harness.Use<ProcessStripeEvent, string>(p => p.ExecuteAsync(eventId));

    private static async Task<string> DeliverAsync(PayoutsHarness harness, FakeStripeEvent stripeEvent)
    {
        var receipt = await ReceiveAsync(harness, stripeEvent);
        Assert.Equal(WebhookReceiptStatus.Accepted, receipt.Status);
        return await ProcessAsync(harness, receipt.EventId!);
    }

    /// <summary>A job funded the way a buyer funds it: a PaymentIntent, the card succeeds, the webhook arrives.</summary>
    private static async Task<(Guid JobId, string PaymentIntentId, FakeStripeEvent Succeeded)> PaidJobAsync(PayoutsHarness harness, long amount)
    {
        var jobId = Guid.NewGuid();
        var intent = await harness.Use<StartJobFunding, FundingIntent>(f => f.ExecuteAsync(jobId, Usd(amount), Guid.NewGuid()));
        Assert.True(intent.Succeeded);
        Assert.False(intent.FundedNow);
        Assert.StartsWith(intent.PaymentIntentId + "_secret_", intent.ClientSecret, StringComparison.Ordinal);
        return (jobId, intent.PaymentIntentId, harness.Fake.SucceedPaymentIntent(intent.PaymentIntentId));
    }

    public static TheoryData<string> Forgeries => ["wrong secret", "tampered payload", "no header", "five minutes and one second old", "garbage header"];

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task Receive_WithoutAValidFreshSignature_IsRefusedAndStoresNothing(string forgery)
    {
        await using var harness = await CreateAsync(DatabaseKind.Sqlite);
        var (_, _, succeeded) = await PaidJobAsync(harness, 5_000);
        var now = harness.Clock.GetUtcNow();
        var payload = succeeded.Json;
        var signature = forgery switch
        {
            "wrong secret" => FakeStripeServer.Sign(payload, now, "whsec_someone_else"),
            "tampered payload" => FakeStripeServer.Sign(payload, now),
            "no header" => "",
            "five minutes and one second old" => FakeStripeServer.Sign(payload, now.AddSeconds(-301)),
            _ => "t=1,v1=00",
        };
        if (forgery == "tampered payload")
        {
            payload = payload.Replace("\"amount\":5000", "\"amount\":5000000", StringComparison.Ordinal);
        }

        var receipt = await harness.Use<ReceiveStripeWebhook, WebhookReceipt>(r => r.ExecuteAsync(payload, signature));

        Assert.Equal(WebhookReceiptStatus.BadSignature, receipt.Status);
        Assert.Equal(0, await harness.QueryAsync(db => db.StripeEvents.CountAsync()));
    }

    [Theory]
    [ClassData(typeof(Databases))]
    public async Task PaymentSucceeded_DeliveredAndProcessedTwice_FundsEscrowOnce(DatabaseKind kind)
    {
        await using var harness = await CreateAsync(kind);
        var (jobId, intentId, succeeded) = await PaidJobAsync(harness, 5_000);

        var first = await ReceiveAsync(harness, succeeded);
        var again = await ReceiveAsync(harness, succeeded);
        var outcome = await ProcessAsync(harness, first.EventId!);
        await ProcessAsync(harness, first.EventId!);
        // Stripe may also tell the same story in another event; the payment is the cause, so it counts once.
        var retold = harness.Fake.CreateEvent("payment_intent.succeeded", System.Text.Json.Nodes.JsonNode.Parse(succeeded.Json)!["data"]!["object"]!.AsObject());
        await DeliverAsync(harness, retold);

        Assert.Equal(WebhookReceiptStatus.Accepted, first.Status);
        Assert.Equal(WebhookReceiptStatus.Duplicate, again.Status);
        Assert.Contains("funded", outcome, StringComparison.Ordinal);
        Assert.Equal(5_000, await harness.BalanceAsync(LedgerAccountId.JobEscrow(jobId)));
        Assert.Equal(intentId, (await harness.QueryAsync(db => db.EscrowFundings.SingleAsync())).PaymentIntentId);
        Assert.Equal(2, await harness.QueryAsync(db => db.StripeEvents.CountAsync(e => e.ProcessedAt != null)));
    }

    [Theory]
    [ClassData(typeof(Databases))]
    public async Task TransferReversed_ReturnsTheMoneyToAvailableThroughLinkedReversals(DatabaseKind kind)
    {
        await using var harness = await CreateAsync(kind);
        await harness.ConnectAsync("ann");
        await harness.GiveAvailableAsync("ann", 1_500);
        var payoutId = Assert.Single((await harness.Use<PlanPayoutRun, PayoutRunPlan>(p => p.ExecuteAsync("run"))).PayoutIds);
        await harness.Use<ExecutePayout, PayoutExecution>(e => e.ExecuteAsync(payoutId));
        var clearing = await harness.BalanceAsync(LedgerAccountId.PaymentsClearing);
        var reversed = harness.Fake.ReverseTransfer((await harness.PayoutAsync(payoutId)).TransferId!);

        var outcome = await DeliverAsync(harness, reversed);

        Assert.Contains("returned to available", outcome, StringComparison.Ordinal);
        Assert.Equal(PayoutState.Returned, (await harness.PayoutAsync(payoutId)).State);
        Assert.Equal(1_500, await harness.BalanceAsync(LedgerAccountId.ContributorAvailable("ann")));
        Assert.Equal(0, await harness.BalanceAsync(LedgerAccountId.PayoutsInTransit("ann")));
        Assert.Equal(clearing + 1_500, await harness.BalanceAsync(LedgerAccountId.PaymentsClearing));
        var reversals = await harness.QueryAsync(db => db.LedgerTransactions.Where(t => t.ReversesTransactionId != null).Select(t => t.ReversesTransactionId).ToListAsync());
        var originals = await harness.QueryAsync(db => db.LedgerTransactions.Where(t => t.CauseKind == CauseKind.PayoutPaid || t.CauseKind == CauseKind.PayoutPlanned).Select(t => (Guid?)t.Id).ToListAsync());
        Assert.Equal(originals.Order(), reversals.Order());
        await harness.AssertBooksBalanceAsync();
    }

    [Theory]
    [ClassData(typeof(Databases))]
    public async Task TransferReversed_ArrivingBeforeWeRecordedTheTransfer_StillBalancesAndPaysNothingMore(DatabaseKind kind)
    {
        await using var harness = await CreateAsync(kind);
        var account = await harness.ConnectAsync("ann");
        await harness.GiveAvailableAsync("ann", 1_500);
        var payoutId = Assert.Single((await harness.Use<PlanPayoutRun, PayoutRunPlan>(p => p.ExecuteAsync("run"))).PayoutIds);
        // The transfer was made, but the process died before recording it.
        await harness.QueryAsync(async db =>
        {
            (await db.Payouts.SingleAsync(p => p.Id == payoutId)).Submit(harness.Clock.GetUtcNow().UtcDateTime);
            return await db.SaveChangesAsync();
        });
        var made = await harness.Use<IPaymentsGateway, GatewayResult<GatewayTransfer>>(g =>
            g.CreateTransferAsync(new TransferRequest(Usd(1_500), account, payoutId, "ann"), Payout.IdempotencyKeyFor(payoutId, 1)));

        await DeliverAsync(harness, harness.Fake.ReverseTransfer(made.Value!.Id));
        var rerun = await harness.Use<ExecutePayout, PayoutExecution>(e => e.ExecuteAsync(payoutId));

        Assert.Equal(PayoutExecutionStatus.NotExecutable, rerun.Status);
        Assert.Equal(PayoutState.Returned, (await harness.PayoutAsync(payoutId)).State);
        Assert.Single(harness.Fake.Transfers);
        Assert.Equal(1_500, await harness.BalanceAsync(LedgerAccountId.ContributorAvailable("ann")));
        await harness.AssertBooksBalanceAsync();
    }

    [Theory]
    [ClassData(typeof(Databases))]
    public async Task AccountUpdated_OutOfOrder_KeepsTheNewestStatus(DatabaseKind kind)
    {
        await using var harness = await CreateAsync(kind);
        var link = await harness.Use<ConnectPayoutAccount, OnboardingLink>(c =>
            c.ExecuteAsync("ann", "ann@example.test", null, new Uri("https://app.test/refresh"), new Uri("https://app.test/done")));
        Assert.False(link.DryRun);
        Assert.Equal(harness.Fake.BaseUrl.Host, link.Url.Host);
        var start = harness.Clock.GetUtcNow();
        var enabled = harness.Fake.SetPayoutsEnabled(link.AccountId, true);
        var olderDisabled = harness.Fake.CreateEvent("account.updated", harness.Fake.Account(link.AccountId)!.Also(a => a["payouts_enabled"] = false), start.AddMinutes(-5));
        var enabledLater = harness.Fake.CreateEvent("account.updated", System.Text.Json.Nodes.JsonNode.Parse(enabled.Json)!["data"]!["object"]!.AsObject(), start.AddMinutes(1));

        await DeliverAsync(harness, enabledLater);
        var stale = await DeliverAsync(harness, olderDisabled);

        Assert.Contains("older", stale, StringComparison.Ordinal);
        var account = await harness.QueryAsync(db => db.PayoutAccounts.SingleAsync());
        Assert.True(account.PayoutsEnabled);
        Assert.Equal(link.AccountId, account.GatewayAccountId);
    }

    [Theory]
    [ClassData(typeof(Databases))]
    public async Task AccountUpdated_InTheSecondTheAccountWasCreated_EnablesPayouts(DatabaseKind kind)
    {
        // Stripe stamps events in whole seconds: onboarding finished within the second the account was created
        // carries a time before our own reading of "created", and must still apply.
        await using var harness = await CreateAsync(kind);
        harness.Clock.Advance(TimeSpan.FromMilliseconds(400));
        var link = await harness.Use<ConnectPayoutAccount, OnboardingLink>(c =>
            c.ExecuteAsync("ann", "ann@example.test", null, new Uri("https://app.test/refresh"), new Uri("https://app.test/done")));

        var outcome = await DeliverAsync(harness, harness.Fake.SetPayoutsEnabled(link.AccountId, true));

        Assert.Contains("payouts enabled", outcome, StringComparison.Ordinal);
        Assert.True((await harness.QueryAsync(db => db.PayoutAccounts.SingleAsync())).PayoutsEnabled);
    }

    [Fact]
    public async Task ConnectPayoutAccount_Twice_CreatesOneConnectedAccount()
    {
        await using var harness = await CreateAsync(DatabaseKind.Sqlite);
        Task<OnboardingLink> Connect() => harness.Use<ConnectPayoutAccount, OnboardingLink>(c =>
            c.ExecuteAsync("ann", null, "DE", new Uri("https://app.test/refresh"), new Uri("https://app.test/done")));

        var first = await Connect();
        var second = await Connect();

        Assert.Equal(first.AccountId, second.AccountId);
        Assert.Equal(1, harness.Fake.CountRequests("POST", "/v1/accounts"));
        Assert.Equal(2, harness.Fake.CountRequests("POST", "/v1/account_links"));
    }

    [Fact]
    public async Task UnhandledEventTypes_AreRecordedAsIgnored()
    {
        await using var harness = await CreateAsync(DatabaseKind.Sqlite);

        var outcome = await DeliverAsync(harness, harness.Fake.CreateEvent("customer.created", new System.Text.Json.Nodes.JsonObject { ["id"] = "cus_1", ["object"] = "customer" }));

        Assert.StartsWith("ignored", outcome, StringComparison.Ordinal);
    }
}

internal static class JsonObjectExtensions
{
    public static System.Text.Json.Nodes.JsonObject Also(this System.Text.Json.Nodes.JsonObject value, Action<System.Text.Json.Nodes.JsonObject> change)
    {
        change(value);
        return value;
    }
}
