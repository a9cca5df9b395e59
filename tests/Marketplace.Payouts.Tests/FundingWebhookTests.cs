using System.Text.Json.Nodes;
using Marketplace.Payouts.Tests.Infrastructure;
using Marketplace.StripeFake;
using Microsoft.EntityFrameworkCore;
using static Marketplace.Payouts.Tests.Infrastructure.PayoutsHarness;

namespace Marketplace.Payouts.Tests;

/// <summary>
/// A signed payment_intent.succeeded is Stripe's word that money arrived, not that it is the money a job asked for:
/// escrow is credited only with the payment we asked for, and anything else is recorded and left for a person.
/// </summary>
public class FundingWebhookTests
{
    private static async Task<string> DeliverAsync(PayoutsHarness harness, FakeStripeEvent stripeEvent)
    {
        var receipt = await harness.Use<ReceiveStripeWebhook, WebhookReceipt>(r => r.ExecuteAsync(stripeEvent.Json, FakeStripeServer.Sign(stripeEvent.Json, harness.Clock.GetUtcNow())));
        Assert.Equal(WebhookReceiptStatus.Accepted, receipt.Status);
        return await harness.Use<ProcessStripeEvent, string>(p => p.ExecuteAsync(receipt.EventId!));
    }

    public static TheoryData<DatabaseKind, string> Mismatches()
    {
        var data = new TheoryData<DatabaseKind, string>();
        foreach (var kind in new Databases().Select(k => (DatabaseKind)k[0]))
        {
            foreach (var mismatch in new[] { "another currency", "less than asked", "another job", "a connected account", "live mode", "never asked for" })
            {
                data.Add(kind, mismatch);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Mismatches))]
    public async Task PaymentSucceeded_ThatIsNotThePaymentAsked_IsRecordedAndProcessedButNeverCredited(DatabaseKind kind, string mismatch)
    {
        await using var harness = await CreateAsync(kind);
        var jobId = Guid.NewGuid();
        var intent = await harness.Use<StartJobFunding, FundingIntent>(f => f.ExecuteAsync(jobId, Usd(5_000), Guid.NewGuid()));
        var genuine = harness.Fake.SucceedPaymentIntent(intent.PaymentIntentId);
        var paid = JsonNode.Parse(genuine.Json)!["data"]!["object"]!.AsObject();
        var otherJob = Guid.NewGuid();
        switch (mismatch)
        {
            case "another currency": paid["currency"] = "jpy"; break; // 5,000 yen is about 30 dollars, not 5,000 cents
            case "less than asked": paid["amount_received"] = 50; break;
            case "another job": paid["metadata"]!["job_id"] = otherJob.ToString(); break;
            case "never asked for":
                paid["id"] = "pi_made_in_the_dashboard";
                paid["metadata"] = new JsonObject { ["job_id"] = jobId.ToString() };
                break;
        }

        var forged = harness.Fake.CreateEvent("payment_intent.succeeded", paid, account: mismatch == "a connected account" ? harness.Fake.CreateConnectedAccount() : null, liveMode: mismatch == "live mode");

        var outcome = await DeliverAsync(harness, forged);

        Assert.StartsWith("refused", outcome, StringComparison.Ordinal);
        Assert.Equal(0, await harness.BalanceAsync(LedgerAccountId.JobEscrow(jobId)));
        Assert.Equal(0, await harness.BalanceAsync(LedgerAccountId.JobEscrow(otherJob)));
        Assert.Equal(0, await harness.QueryAsync(db => db.EscrowFundings.CountAsync()));
        // Processed, with what happened: Stripe got its 200 and the job does not retry it.
        var record = await harness.QueryAsync(db => db.StripeEvents.SingleAsync(e => e.EventId == forged.Id));
        Assert.NotNull(record.ProcessedAt);
        Assert.Equal(outcome, record.Outcome);
        if (mismatch != "never asked for")
        {
            var request = await harness.QueryAsync(db => db.EscrowPaymentRequests.SingleAsync());
            Assert.Equal(PaymentRequestState.Refused, request.State);
            Assert.False(string.IsNullOrEmpty(request.RefusalReason));
        }

        await harness.AssertBooksBalanceAsync();
    }

    [Theory]
    [ClassData(typeof(Databases))]
    public async Task PaymentSucceeded_ForThePaymentAsked_IsCreditedToItsJob_AndTheRequestSaysSo(DatabaseKind kind)
    {
        await using var harness = await CreateAsync(kind);
        var jobId = Guid.NewGuid();
        var intent = await harness.Use<StartJobFunding, FundingIntent>(f => f.ExecuteAsync(jobId, Usd(5_000), Guid.NewGuid()));

        var outcome = await DeliverAsync(harness, harness.Fake.SucceedPaymentIntent(intent.PaymentIntentId));

        Assert.Contains("funded", outcome, StringComparison.Ordinal);
        Assert.Equal(5_000, await harness.BalanceAsync(LedgerAccountId.JobEscrow(jobId)));
        var request = await harness.QueryAsync(db => db.EscrowPaymentRequests.SingleAsync());
        Assert.Equal((PaymentRequestState.Credited, intent.PaymentIntentId, jobId), (request.State, request.PaymentIntentId, request.JobId));
    }

    [Fact]
    public async Task PaymentSucceeded_WhenTheHostSaysTheJobTakesNoMoney_IsNotCredited()
    {
        await using var harness = await CreateAsync(DatabaseKind.Sqlite, configure: services => services.AddScoped<IEscrowFundingPolicy, ClosedJobs>());
        var jobId = Guid.NewGuid();
        var intent = await harness.Use<StartJobFunding, FundingIntent>(f => f.ExecuteAsync(jobId, Usd(5_000), Guid.NewGuid()));

        var outcome = await DeliverAsync(harness, harness.Fake.SucceedPaymentIntent(intent.PaymentIntentId));

        Assert.Contains("is cancelled", outcome, StringComparison.Ordinal);
        Assert.Equal(0, await harness.BalanceAsync(LedgerAccountId.JobEscrow(jobId)));
    }

    private sealed class ClosedJobs : IEscrowFundingPolicy
    {
        public Task<string?> RefusalAsync(Guid jobId, Money amount, CancellationToken ct) => Task.FromResult<string?>($"job {jobId} is cancelled");
    }
}
