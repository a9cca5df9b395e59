using System.Net;
using System.Net.Http.Json;
using Marketplace.Payouts;
using Marketplace.StripeFake;
using Marketplace.Web.Domain;
using Marketplace.Web.Jobs;
using Marketplace.Web.Payments;
using Marketplace.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests;

/// <summary>Money wired into the marketplace: funding, work only while escrow covers it, earnings at submit, and the admin-only money tools.</summary>
public abstract class PaymentsTests(MarketplaceAppFactory app)
{
    [Fact]
    public async Task Funding_InDryRun_CreditsEscrowWithThePrice_AndTheJobCanLaunch()
    {
        var buyer = (await app.SignedInAsync(Roles.Buyer)).Browser;
        var created = await buyer.Client.PostAsJsonAsync("/api/jobs", new { title = "Fund me", taskType = "SingleChoice", labels = new[] { "a", "b" }, payPerLabelMinor = 10, currency = "USD", redundancy = 2 }, ApiJson.Options);
        var job = (await created.Content.ReadFromJsonAsync<JobDetails>(ApiJson.Options))!;
        (await buyer.Client.PostAsync($"/api/jobs/{job.Id}/items", new StringContent("id,text\n1,one\n2,two\n", System.Text.Encoding.UTF8, "text/csv"))).EnsureSuccessStatusCode();

        var funding = await buyer.Client.PostAsJsonAsync($"/api/jobs/{job.Id}/fund", new { }, ApiJson.Options);

        Assert.Equal(HttpStatusCode.OK, funding.StatusCode);
        var view = (await funding.Content.ReadFromJsonAsync<FundingView>(ApiJson.Options))!;
        Assert.True(view.DryRun && view.FundedNow);
        Assert.Equal(48, view.AmountMinor); // 2 items × 2 labels × 10 + 20% fee
        Assert.Equal(JobStatus.Funded, view.Status);
        var escrow = (await buyer.Client.GetFromJsonAsync<EscrowView>($"/api/jobs/{job.Id}/escrow", ApiJson.Options))!;
        Assert.Equal((48, 48, true), (escrow.BalanceMinor, escrow.NeededMinor, escrow.DryRun));
        Assert.Equal(HttpStatusCode.BadRequest, (await buyer.Client.PostAsJsonAsync($"/api/jobs/{job.Id}/fund", new { }, ApiJson.Options)).StatusCode); // already covered
        Assert.Equal(HttpStatusCode.OK, (await buyer.Client.PostAsync($"/api/jobs/{job.Id}/launch", null)).StatusCode);

        var stranger = (await app.SignedInAsync(Roles.Buyer)).Browser;
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.PostAsJsonAsync($"/api/jobs/{job.Id}/fund", new { amountMinor = 100 }, ApiJson.Options)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.GetAsync($"/api/jobs/{job.Id}/escrow")).StatusCode);
    }

    [Fact]
    public async Task Submit_MovesPayAndFeeOutOfEscrow_IntoTheContributorsPendingBalance()
    {
        var job = await app.ActiveJobAsync(items: 2, redundancy: 1);
        var (user, browser) = await app.SignedInAsync(Roles.Contributor);
        await app.ProfileAsync(user.Id, [TaskType.SingleChoice], tier: "Silver"); // pays 1.1×
        var before = await EscrowAsync(job);

        await app.LabelAsync(user.Id, job.Id, "cat");

        var earnings = (await browser.Client.GetFromJsonAsync<EarningsView>("/api/work/earnings", ApiJson.Options))!;
        var usd = Assert.Single(earnings.Balances);
        Assert.Equal((11, 0L), (usd.PendingMinor, usd.AvailableMinor)); // 10 × 1.1
        Assert.Equal(before - 13, await EscrowAsync(job)); // 11 + 20% fee, rounded
        Assert.True(earnings.DryRun);
    }

    [Fact]
    public async Task Claims_StopAndTheJobPauses_WhenEscrowCannotPayForTheNextTask()
    {
        var job = await app.ActiveJobAsync(items: 5, redundancy: 1);
        var spend = await EscrowAsync(job) - 30; // leave enough for two tasks at the highest tier (12.5 + fee = 15)
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var spent = new Money(spend, "USD");
            var posted = await scope.ServiceProvider.GetRequiredService<Ledger>().PostAsync(
                new LedgerCause(CauseKind.Refund, Guid.NewGuid().ToString("N")), [LedgerLine.Debit(LedgerAccountId.JobEscrow(job.Id), spent), LedgerLine.Credit(LedgerAccountId.PaymentsClearing, spent)], "test: spend most of the escrow");
            Assert.True(posted.Succeeded);
            await scope.ServiceProvider.GetRequiredService<Marketplace.Web.Data.MarketplaceDbContext>().SaveChangesAsync();
        }

        string[] contributors = [await app.ContributorAsync(), await app.ContributorAsync(), await app.ContributorAsync()];

        await app.LabelAsync(contributors[0], job.Id, "cat");
        await app.LabelAsync(contributors[1], job.Id, "cat");
        var third = await app.Arrange().ClaimAsync(contributors[2], job.Id);

        Assert.Null(third); // no task: this claim found the escrow short and paused the job
        Assert.Equal(JobStatus.Paused, await app.WithDbAsync(db => db.Jobs.Where(j => j.Id == job.Id).Select(j => j.Status).SingleAsync()));
        Assert.True(await EscrowAsync(job) >= 0);
    }

    [Theory]
    [InlineData("/admin/hangfire")]
    [InlineData("/api/admin/payouts/runs")]
    [InlineData("/api/admin/payouts/reconciliation")]
    public async Task MoneyTools_AreForAdminsOnly(string path)
    {
        Assert.NotEqual(HttpStatusCode.OK, (await app.CreateClient().GetAsync(path)).StatusCode);
        foreach (var role in new[] { Roles.Buyer, Roles.Contributor })
        {
            var (_, browser) = await app.SignedInAsync(role);
            Assert.True((await browser.Client.GetAsync(path)).StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized or HttpStatusCode.Redirect, $"{role} on {path}");
        }

        var (_, admin) = await app.SignedInAsync(Roles.Admin);
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task Webhook_WithoutAConfiguredSecret_IsRefused()
    {
        var response = await app.CreateClient().PostAsync("/stripe/webhook", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private Task<long> EscrowAsync(Job job) =>
        app.WithServiceAsync<EscrowQueries, long>(async e => (await e.BalanceAsync(job.Id, job.Currency)).MinorUnits);
}

public sealed class SqlitePaymentsTests(SqliteAppFactory app) : PaymentsTests(app), IClassFixture<SqliteAppFactory>;

[Collection(PostgresCollection.Name)]
public sealed class PostgresPaymentsTests(PostgresAppFactory app) : PaymentsTests(app);

/// <summary>Real Stripe.net against the Stripe-compatible fake: a card payment confirmed by a signed webhook funds the job.</summary>
public sealed class StripeFundingTests : IAsyncLifetime
{
    private FakeStripeServer _stripe = null!;
    private StripeAppFactory _app = null!;

    public async Task InitializeAsync()
    {
        _stripe = await FakeStripeServer.StartAsync();
        _app = new StripeAppFactory(_stripe.BaseUrl);
        await _app.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _stripe.DisposeAsync();
    }

    [Fact]
    public async Task PaymentIntentSucceeded_DeliveredWithAValidSignature_FundsTheJob_Once()
    {
        var (_, buyer) = await _app.SignedInAsync(Roles.Buyer);
        var created = await buyer.Client.PostAsJsonAsync("/api/jobs", new { title = "Card", taskType = "SingleChoice", labels = new[] { "a", "b" }, payPerLabelMinor = 50, currency = "USD", redundancy = 1 }, ApiJson.Options);
        var job = (await created.Content.ReadFromJsonAsync<JobDetails>(ApiJson.Options))!;
        (await buyer.Client.PostAsync($"/api/jobs/{job.Id}/items", new StringContent("id,text\n1,one\n", System.Text.Encoding.UTF8, "text/csv"))).EnsureSuccessStatusCode();

        var view = (await (await buyer.Client.PostAsJsonAsync($"/api/jobs/{job.Id}/fund", new { }, ApiJson.Options)).Content.ReadFromJsonAsync<FundingView>(ApiJson.Options))!;
        Assert.False(view.DryRun);
        Assert.StartsWith("pi_", view.PaymentIntentId, StringComparison.Ordinal);
        Assert.NotNull(view.ClientSecret);
        Assert.Equal(JobStatus.Draft, view.Status); // nothing is funded until Stripe says the money arrived

        var succeeded = _stripe.SucceedPaymentIntent(view.PaymentIntentId);
        var client = _app.CreateClient();
        var forged = await _stripe.DeliverAsync(client, new Uri(client.BaseAddress!, "/stripe/webhook"), succeeded, secret: "whsec_someone_else");
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _stripe.DeliverAsync(client, new Uri(client.BaseAddress!, "/stripe/webhook"), succeeded)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _stripe.DeliverAsync(client, new Uri(client.BaseAddress!, "/stripe/webhook"), succeeded)).StatusCode); // re-delivery

        // The endpoint queued the processing on Hangfire; run it here as well, as a retry would (it is idempotent,
        // and a unit of work that loses the race to the worker is retried), instead of waiting on a worker.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await _app.WithServiceAsync<ProcessStripeEvent, string>(p => p.ExecuteAsync(succeeded.Id));
                break;
            }
            catch (DbUpdateException) when (attempt < 3)
            {
            }
        }

        var escrow = (await buyer.Client.GetFromJsonAsync<EscrowView>($"/api/jobs/{job.Id}/escrow", ApiJson.Options))!;
        Assert.Equal(60, escrow.BalanceMinor);
        Assert.Single(escrow.Fundings);
        Assert.Equal(JobStatus.Funded, await _app.WithDbAsync(db => db.Jobs.Where(j => j.Id == job.Id).Select(j => j.Status).SingleAsync()));
    }

    private sealed class StripeAppFactory(Uri stripe) : MarketplaceAppFactory
    {
        private readonly string _path = Path.Combine(Path.GetTempPath(), $"marketplace-stripe-{Guid.NewGuid():N}.db");

        public override Marketplace.Web.Data.DatabaseProvider Provider => Marketplace.Web.Data.DatabaseProvider.Sqlite;

        protected override string ConnectionString => $"Data Source={_path}";

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Stripe:SecretKey", FakeStripeServer.SecretKey);
            builder.UseSetting("Stripe:WebhookSecret", FakeStripeServer.WebhookSecret);
            builder.UseSetting("Stripe:ApiBase", stripe.ToString());
        }

        protected override Task DisposeDatabaseAsync()
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
            {
                File.Delete(file);
            }

            return Task.CompletedTask;
        }
    }
}
