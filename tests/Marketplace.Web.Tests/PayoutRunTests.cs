using Hangfire;
using Hangfire.Storage.Monitoring;
using Marketplace.Payouts;
using Marketplace.StripeFake;
using Marketplace.Web.Payments;
using Marketplace.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Marketplace.Web.Tests;

/// <summary>
/// Payout runs through the whole app on PostgreSQL: the admin API plans a run, Hangfire runs one job per payout,
/// and real Stripe.net talks to the fake Stripe server. Whatever happens to the app or the network in between,
/// each contributor is paid exactly once and the ledger balances.
/// </summary>
[Collection(StressCollection.Name)]
public sealed class PayoutRunTests : IAsyncLifetime
{
    private SharedPostgresDatabase _database = null!;
    private FakeStripeServer _stripe = null!;
    private readonly List<StripePostgresApp> _apps = [];

    public async Task InitializeAsync()
    {
        _database = await SharedPostgresDatabase.CreateAsync();
        _stripe = await FakeStripeServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var app in _apps)
        {
            await app.DisposeAsync();
        }

        await _stripe.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task RunKilledMidway_AndRestartedOnTheSameDatabase_PaysEveryoneExactlyOnce()
    {
        var first = await StartAppAsync();
        var contributors = await SeedAsync(first, 30);
        await first.StartRunAsync();
        await WaitAsync(() => _stripe.Transfers.Count >= 6, "the first transfers");

        // The next two transfers are made but their answers are lost, the one after is made and held: the app
        // dies with transfers in flight that it never heard about.
        var seen = _stripe.Requests.Count;
        _stripe.DropNextResponses(2);
        _stripe.DelayNext(1, TimeSpan.FromSeconds(30));
        await WaitAsync(() => _stripe.Requests.Count >= seen + 3, "the dropped and the held transfer");
        await first.DisposeAsync();
        _apps.Remove(first);

        // What the dead app left behind, read straight from the database (another app would start paying).
        var atKill = await PayoutStatesAsync();
        Assert.Equal(contributors.Count, atKill.Count);
        var inFlight = atKill.Where(p => p.State == nameof(PayoutState.Submitted)).Select(p => p.Key!).ToList();
        Assert.NotEmpty(inFlight); // the held transfer, at least: money may have moved, the app does not know

        var second = await StartAppAsync(); // its start-up queues every payout still Planned or Submitted again
        var payouts = await second.SettledPayoutsAsync(contributors.Count, TimeSpan.FromSeconds(90));
        await second.HangfireIdleAsync(TimeSpan.FromSeconds(60));

        await second.AssertPaidExactlyOnceAsync(_stripe, payouts);
        // The held transfer at least was made before the crash; after it, its payout was sent again with the key
        // saved before the crash, and Stripe replayed the transfer instead of making another. (A payout can also be
        // Submitted without having been sent: the crash came between saving its key and the call.)
        Assert.Contains(inFlight, key => _stripe.Requests.Any(r => r.Path == "/v1/transfers" && r.IdempotencyKey == key && r.Replayed));
    }

    [Fact]
    public async Task TwoNodesWorkingTheSameRun_TransferEachPayoutExactlyOnce()
    {
        var a = await StartAppAsync();
        var b = await StartAppAsync();
        var contributors = await SeedAsync(a, 40);

        // The recurring job fires on both nodes for the same key: both plan (one plan wins) and both queue every
        // payout, so each payout has two jobs, picked up by whichever node's workers are free.
        const string key = "scheduled-twin";
        a.Services.GetRequiredService<IBackgroundJobClient>().Enqueue<MoneyJobs>(j => j.PlanRunAsync(key, CancellationToken.None));
        b.Services.GetRequiredService<IBackgroundJobClient>().Enqueue<MoneyJobs>(j => j.PlanRunAsync(key, CancellationToken.None));

        var payouts = await a.SettledPayoutsAsync(contributors.Count, TimeSpan.FromSeconds(90));
        await a.HangfireIdleAsync(TimeSpan.FromSeconds(90));

        await a.AssertPaidExactlyOnceAsync(_stripe, payouts);
        Assert.Single(await a.WithDbAsync(db => Task.FromResult(db.PayoutRuns.ToList())));
        var servers = PayJobServers(a);
        Assert.True(servers.Count >= 2, $"payout jobs ran on {servers.Count} Hangfire server(s)");
        var jobs = PayJobCount(a);
        Assert.True(jobs >= 2 * contributors.Count, $"{jobs} payout jobs for {contributors.Count} payouts. {PayoutArrangement.HangfireSummary(a)}");
    }

    [Fact]
    public async Task RunWithOneRequestInFiveFaulted_PaysEveryoneOnce_AndReturnsDeclinedPayoutsToAvailable()
    {
        // Six tries per request: a fault rate of 1 in 5 rarely exhausts them, and Hangfire's own retry covers it if it does.
        var app = await StartAppAsync(new Dictionary<string, string> { ["Stripe:MaxAttempts"] = "6", ["Stripe:RequestTimeout"] = "00:00:01" });
        var contributors = await SeedAsync(app, 40);
        // Two accounts lose their payouts capability at Stripe without the app hearing of it: their transfers are
        // declined, a final failure.
        var closed = contributors.Take(2).ToList();
        foreach (var (_, account) in closed)
        {
            _stripe.SetPayoutsEnabled(account, false);
        }

        _stripe.InjectRandomFaults(0.2, seed: 20260501, delay: TimeSpan.FromSeconds(3));
        await app.StartRunAsync();
        var payouts = await app.SettledPayoutsAsync(contributors.Count, TimeSpan.FromSeconds(150));
        await app.HangfireIdleAsync(TimeSpan.FromSeconds(60));
        _stripe.InjectRandomFaults(0, 0, TimeSpan.Zero);

        // The transfers sent (a declined one is also looked up, by a GET of the same path that carries no key).
        var faulted = _stripe.Requests.Where(r => r.Method == "POST" && r.Path == "/v1/transfers").ToList();
        Assert.Contains(faulted, r => r.Status is 500 or 429); // refused before any work, retried
        Assert.Contains(faulted, r => r.Replayed); // a dropped or timed-out answer, re-sent with its key

        var closedIds = closed.Select(c => c.ContributorId).ToHashSet();
        await app.AssertPaidExactlyOnceAsync(_stripe, [.. payouts.Where(p => !closedIds.Contains(p.ContributorId))]);
        var keys = payouts.Select(p => Payout.IdempotencyKeyFor(p.Id, 1)).ToHashSet();
        Assert.All(faulted, r => Assert.Contains(r.IdempotencyKey ?? "(none)", keys)); // every try of every payout used its one key

        foreach (var payout in payouts.Where(p => closedIds.Contains(p.ContributorId)))
        {
            Assert.Equal(PayoutState.Returned, payout.State);
            Assert.Contains("insufficient_capabilities_for_transfer", payout.FailureReason, StringComparison.Ordinal);
            Assert.DoesNotContain(_stripe.Transfers, t => (string?)t["destination"] == payout.DestinationAccountId);
            var usd = Assert.Single(await app.WithServiceAsync<PayoutQueries, IReadOnlyList<ContributorBalance>>(q => q.BalancesAsync(payout.ContributorId)));
            Assert.Equal((payout.AmountMinor, 0L), (usd.AvailableMinor, usd.InTransitMinor));
            await app.WithServiceAsync<Ledger, bool>(async ledger =>
            {
                var planned = (await ledger.FindAsync(LedgerCause.PayoutPlanned(payout.Id)))!;
                Assert.NotNull(await ledger.FindAsync(LedgerCause.Reversal(planned.Id)));
                Assert.Null(await ledger.FindAsync(LedgerCause.PayoutPaid(payout.Id)));
                return true;
            });
        }
    }

    private async Task<StripePostgresApp> StartAppAsync(IReadOnlyDictionary<string, string>? settings = null)
    {
        var app = await StripePostgresApp.StartAsync(_database, _stripe, settings);
        _apps.Add(app);
        return app;
    }

    /// <summary>Contributors with 10.00 to 10.99 USD available each, all above the 10.00 minimum.</summary>
    private async Task<List<(string ContributorId, string AccountId)>> SeedAsync(StripePostgresApp app, int count)
    {
        var seeded = new List<(string, string)>();
        for (var i = 0; i < count; i++)
        {
            seeded.Add(await app.PayableContributorAsync(_stripe, 1000 + i));
        }

        return seeded;
    }

    private async Task<List<(string State, string? Key)>> PayoutStatesAsync()
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand("SELECT \"State\", \"IdempotencyKey\" FROM \"Payouts\"", connection);
        await using var reader = await query.ExecuteReaderAsync();
        var states = new List<(string, string?)>();
        while (await reader.ReadAsync())
        {
            states.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1)));
        }

        return states;
    }

    private static async Task WaitAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}.");
            await Task.Delay(20);
        }
    }

    private static List<JobDetailsDto> PayJobs(StripePostgresApp app)
    {
        var monitoring = app.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        return [.. monitoring.SucceededJobs(0, 1000)
            .Where(j => j.Value.Job?.Method.Name == nameof(MoneyJobs.PayAsync))
            .Select(j => monitoring.JobDetails(j.Key))];
    }

    private static int PayJobCount(StripePostgresApp app) => PayJobs(app).Count;

    private static HashSet<string> PayJobServers(StripePostgresApp app) =>
        [.. PayJobs(app).SelectMany(j => j.History).Where(h => h.StateName == "Processing" && h.Data.ContainsKey("ServerId")).Select(h => h.Data["ServerId"])];
}
