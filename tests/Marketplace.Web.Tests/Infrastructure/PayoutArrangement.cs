using Hangfire;
using Marketplace.Payouts;
using Marketplace.StripeFake;
using Marketplace.Web.Data;
using Marketplace.Web.Domain;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Marketplace.Web.Tests.Infrastructure;

/// <summary>
/// One PostgreSQL database that several app instances share in turn or at once (a restart, a second node); the
/// test that makes it drops it.
/// </summary>
public sealed class SharedPostgresDatabase : IAsyncDisposable
{
    private readonly string _name = $"marketplace_payouts_{Guid.NewGuid():N}";

    public string ConnectionString => new NpgsqlConnectionStringBuilder(PostgresAppFactory.AdminConnectionString) { Database = _name, MaxPoolSize = 30 }.ConnectionString;

    public static async Task<SharedPostgresDatabase> CreateAsync()
    {
        var database = new SharedPostgresDatabase();
        await using var admin = new NpgsqlConnection(PostgresAppFactory.AdminConnectionString);
        await admin.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database._name}\"", admin);
        await create.ExecuteNonQueryAsync();
        return database;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(PostgresAppFactory.AdminConnectionString);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }
}

/// <summary>
/// The real app on PostgreSQL with real Stripe.net pointed at the fake Stripe server: Hangfire on the database
/// (polling every second), short Stripe retry delays and timeouts so faults resolve within a test.
/// </summary>
public sealed class StripePostgresApp(string connectionString, Uri stripe, IReadOnlyDictionary<string, string>? settings = null) : MarketplaceAppFactory
{
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;

    protected override string ConnectionString => connectionString;

    /// <summary>Starts the host (and its Hangfire server) and migrates the database, which is a no-op when already done.</summary>
    public static async Task<StripePostgresApp> StartAsync(SharedPostgresDatabase database, FakeStripeServer stripe, IReadOnlyDictionary<string, string>? settings = null)
    {
        var app = new StripePostgresApp(database.ConnectionString, stripe.BaseUrl, settings);
        await DatabaseMigrator.MigrateAsync(app.Services);
        return app;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Stripe:SecretKey", FakeStripeServer.SecretKey);
        builder.UseSetting("Stripe:WebhookSecret", FakeStripeServer.WebhookSecret);
        builder.UseSetting("Stripe:ApiBase", stripe.ToString());
        builder.UseSetting("Stripe:RetryBaseDelay", "00:00:00.050");
        builder.UseSetting("Stripe:RequestTimeout", "00:00:02");
        builder.UseSetting("Stripe:MaxRequestsPerSecond", "100");
        builder.UseSetting("Hangfire:Workers", "4");
        builder.UseSetting("Hangfire:PollSeconds", "1");
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            builder.UseSetting(key, value);
        }
    }
}

/// <summary>Contributors a payout run will pay, and what a finished run must look like.</summary>
public static class PayoutArrangement
{
    /// <summary>
    /// A contributor with a connected account that finished onboarding (Stripe's account.updated received and
    /// processed, as the webhook would) and <paramref name="availableMinor"/> USD past its hold.
    /// </summary>
    public static async Task<(string ContributorId, string AccountId)> PayableContributorAsync(this MarketplaceAppFactory app, FakeStripeServer stripe, long availableMinor)
    {
        var user = await app.CreateUserAsync(Roles.Contributor);
        var back = new Uri("https://marketplace.test/Work");
        var link = await app.WithServiceAsync<ConnectPayoutAccount, OnboardingLink>(c => c.ExecuteAsync(user.Id, user.Email, null, back, back));
        var updated = stripe.SetPayoutsEnabled(link.AccountId, true);
        var receipt = await app.WithServiceAsync<ReceiveStripeWebhook, WebhookReceipt>(r => r.ExecuteAsync(updated.Json, FakeStripeServer.Sign(updated.Json, DateTimeOffset.UtcNow)));
        Assert.Equal(WebhookReceiptStatus.Accepted, receipt.Status);
        await app.WithServiceAsync<ProcessStripeEvent, string>(p => p.ExecuteAsync(updated.Id));

        await app.PayableEarningsAsync(user.Id, availableMinor);
        return (user.Id, link.AccountId);
    }

    /// <summary>Earnings past their hold, straight into available against clearing: the run only reads available.</summary>
    public static async Task PayableEarningsAsync(this MarketplaceAppFactory app, string contributorId, long availableMinor)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var amount = new Money(availableMinor, "USD");
        var posted = await scope.ServiceProvider.GetRequiredService<Ledger>().PostAsync(
            LedgerCause.Payment($"pi_seed_{contributorId}_{Guid.NewGuid():N}"),
            [LedgerLine.Debit(LedgerAccountId.PaymentsClearing, amount), LedgerLine.Credit(LedgerAccountId.ContributorAvailable(contributorId), amount)],
            "test: earnings past their hold");
        Assert.True(posted.Succeeded);
        await scope.ServiceProvider.GetRequiredService<MarketplaceDbContext>().SaveChangesAsync();
    }

    /// <summary>Plans a run through the admin API (Hangfire then plans it and queues one job per payout); returns the run's key.</summary>
    /// <summary>Earnings already available, an enabled (dry-run) payout account, and a run planned without queueing its jobs.</summary>
    public static async Task<Guid> PlannedPayoutAsync(this MarketplaceAppFactory app, string contributor, long amountMinor)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var ledger = services.GetRequiredService<Ledger>();
        var posted = await ledger.PostAsync(
            new LedgerCause(CauseKind.Payment, $"pi_arranged_{Guid.NewGuid():N}"),
            [LedgerLine.Debit(LedgerAccountId.PaymentsClearing, new Money(amountMinor, "USD")), LedgerLine.Credit(LedgerAccountId.ContributorAvailable(contributor), new Money(amountMinor, "USD"))],
            "test arrangement: earnings already available");
        Assert.Equal(PostingStatus.Posted, posted.Status);
        await services.GetRequiredService<MarketplaceDbContext>().SaveChangesAsync();
        await services.GetRequiredService<ConnectPayoutAccount>().ExecuteAsync(contributor, "c@example.test", null, new Uri("http://localhost/Work"), new Uri("http://localhost/Work"));
        var plan = await services.GetRequiredService<PlanPayoutRun>().ExecuteAsync($"test-{Guid.NewGuid():N}");
        return await services.GetRequiredService<MarketplaceDbContext>().Payouts.AsNoTracking().Where(p => p.RunId == plan.RunId && p.ContributorId == contributor).Select(p => p.Id).SingleAsync();
    }

    public static async Task<string> StartRunAsync(this MarketplaceAppFactory app)
    {
        var (_, admin) = await app.SignedInAsync(Roles.Admin);
        var response = await admin.Client.PostAsync("/api/admin/payouts/runs", null);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        using var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("runKey").GetString()!;
    }

    public static Task<List<Payout>> PayoutsAsync(this MarketplaceAppFactory app) =>
        app.WithDbAsync(db => db.Payouts.AsNoTracking().ToListAsync());

    /// <summary>Waits until <paramref name="expected"/> payouts exist and none is Planned or Submitted.</summary>
    public static async Task<List<Payout>> SettledPayoutsAsync(this MarketplaceAppFactory app, int expected, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var payouts = await app.PayoutsAsync();
            if (payouts.Count == expected && payouts.All(p => p.State is not (PayoutState.Planned or PayoutState.Submitted)))
            {
                return payouts;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"After {timeout}: {payouts.Count} of {expected} payouts, by state: {string.Join(", ", payouts.GroupBy(p => p.State).Select(g => $"{g.Key} {g.Count()}"))}. {HangfireSummary(app)}");
            }

            await Task.Delay(250);
        }
    }

    /// <summary>Hangfire's counts and its latest failures, for a failed wait to say what went wrong.</summary>
    public static string HangfireSummary(MarketplaceAppFactory app)
    {
        var monitoring = app.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        var stats = monitoring.GetStatistics();
        var failures = monitoring.FailedJobs(0, 3).Select(f => $"{f.Value.Job?.Method.Name}: {f.Value.ExceptionType}: {f.Value.ExceptionMessage}");
        var retries = monitoring.ScheduledJobs(0, 3).Select(s => $"{s.Value.Job?.Method.Name} scheduled");
        return $"Hangfire: {stats.Servers} servers, {stats.Enqueued} enqueued, {stats.Processing} processing, {stats.Scheduled} scheduled, {stats.Succeeded} succeeded, {stats.Failed} failed. {string.Join("; ", failures.Concat(retries))}";
    }

    /// <summary>Waits until Hangfire has nothing queued, running or scheduled for a retry: duplicate jobs are done too.</summary>
    public static async Task HangfireIdleAsync(this MarketplaceAppFactory app, TimeSpan timeout)
    {
        var monitoring = app.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        var deadline = DateTime.UtcNow + timeout;
        // Idle for a second in a row: a job just fetched from the queue is neither enqueued nor processing yet.
        for (var idle = 0; idle < 5;)
        {
            idle = monitoring.EnqueuedCount("default") + monitoring.ProcessingCount() + monitoring.ScheduledCount() > 0 ? 0 : idle + 1;
            Assert.True(DateTime.UtcNow < deadline, $"Hangfire still busy after {timeout}: {HangfireSummary(app)}");
            await Task.Delay(250);
        }
    }

    /// <summary>
    /// What a run that paid everyone exactly once looks like, at the fake Stripe and in the ledger: each paid payout
    /// has exactly one transfer (its own id in the metadata, its amount, its destination, the id the payout
    /// recorded), every transfer request carried the payout's first-attempt key, the in-transit and available
    /// balances of the paid are zero, and the ledger's trial balance is zero.
    /// </summary>
    public static async Task AssertPaidExactlyOnceAsync(this MarketplaceAppFactory app, FakeStripeServer stripe, IReadOnlyCollection<Payout> paid)
    {
        var transfers = stripe.Transfers.GroupBy(t => (string?)t["metadata"]?["payout_id"]).ToDictionary(g => g.Key ?? "", g => g.ToList());
        foreach (var payout in paid)
        {
            Assert.Equal(PayoutState.Paid, payout.State);
            var made = Assert.Single(transfers.GetValueOrDefault(payout.Id.ToString()) ?? []);
            Assert.Equal(payout.TransferId, (string?)made["id"]);
            Assert.Equal(payout.AmountMinor, (long)made["amount"]!);
            Assert.Equal(payout.DestinationAccountId, (string?)made["destination"]);
            Assert.False(payout.DryRun);
        }

        var keys = paid.Select(p => Payout.IdempotencyKeyFor(p.Id, 1)).ToHashSet();
        var transferRequests = stripe.Requests.Where(r => r.Method == "POST" && r.Path == "/v1/transfers").ToList();
        Assert.All(transferRequests.Where(r => r.Status == 200), r => Assert.NotNull(r.IdempotencyKey));
        Assert.Equal(paid.Count, transferRequests.Where(r => r.Status == 200 && !r.Replayed && keys.Contains(r.IdempotencyKey!)).Count());

        foreach (var payout in paid)
        {
            var usd = Assert.Single(await app.WithServiceAsync<PayoutQueries, IReadOnlyList<ContributorBalance>>(q => q.BalancesAsync(payout.ContributorId)));
            Assert.Equal((0L, 0L), (usd.AvailableMinor, usd.InTransitMinor));
        }

        await app.AssertTrialBalanceIsZeroAsync();
    }

    public static async Task AssertTrialBalanceIsZeroAsync(this MarketplaceAppFactory app)
    {
        var trial = await app.WithServiceAsync<Ledger, IReadOnlyDictionary<string, long>>(l => l.TrialBalanceAsync());
        Assert.All(trial, t => Assert.Equal(0, t.Value));
        Assert.Empty(await app.WithServiceAsync<Ledger, IReadOnlyList<(LedgerAccountId Account, string Currency, long Running, long Entries)>>(l => l.RunningBalanceDriftAsync()));
    }
}
