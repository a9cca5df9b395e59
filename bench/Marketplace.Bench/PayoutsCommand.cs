using System.Diagnostics;
using System.Globalization;
using Marketplace.Payouts;
using Marketplace.StripeFake;
using Marketplace.Web;
using Marketplace.Web.Data;
using Marketplace.Web.Payments;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Npgsql;
using NpgsqlTypes;

namespace Marketplace.Bench;

/// <summary>
/// <c>payouts [--contributors 10000] [--workers 20] [--rps 100]</c>: one payout run at scale, through the app as it
/// runs in production. N contributors with an enabled connected account and 10.00 to 19.99 USD available each are
/// seeded in the PostgreSQL database the app is configured for (Database:Provider, ConnectionStrings:Marketplace).
/// The app's own Hangfire job plans the run (<see cref="MoneyJobs.PlanRunAsync"/>) and queues one job per payout;
/// the app's Hangfire server (<c>--workers</c> workers) pays them with the real Stripe.net client, its rate limiter
/// (<c>--rps</c>, Stripe:MaxRequestsPerSecond) and its retries, against the fake Stripe server on loopback.
/// Prints the planning time, the wall time until every payout is settled, payouts/s, Stripe HTTP calls per payout
/// (from the fake's request log) and the checks: one transfer per payout, nothing unsettled, a zero trial balance.
/// </summary>
internal static class PayoutsCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var contributors = int.Parse(Option(args, "--contributors") ?? "10000", CultureInfo.InvariantCulture);
        var workers = int.Parse(Option(args, "--workers") ?? "20", CultureInfo.InvariantCulture);
        var rps = int.Parse(Option(args, "--rps") ?? "100", CultureInfo.InvariantCulture);

        await using var stripe = await FakeStripeServer.StartAsync();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Benchmark", ContentRootPath = Path.GetTempPath() });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        if (builder.Configuration["Database:Provider"] is not { } provider || !provider.Equals("Postgres", StringComparison.OrdinalIgnoreCase))
        {
            await Console.Error.WriteLineAsync("payouts needs PostgreSQL: set Database__Provider=Postgres and ConnectionStrings__Marketplace.");
            return 2;
        }

        builder.Configuration["Stripe:SecretKey"] = FakeStripeServer.SecretKey;
        builder.Configuration["Stripe:WebhookSecret"] = FakeStripeServer.WebhookSecret;
        builder.Configuration["Stripe:ApiBase"] = stripe.BaseUrl.ToString();
        builder.Configuration["Stripe:MaxRequestsPerSecond"] = rps.ToString(CultureInfo.InvariantCulture);
        builder.Configuration["Hangfire:Workers"] = workers.ToString(CultureInfo.InvariantCulture);
        builder.Configuration["Hangfire:PollSeconds"] = "1";
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddMarketplace();
        await using var app = builder.Build();
        await DatabaseMigrator.MigrateAsync(app.Services);
        await app.StartAsync(); // the Hangfire server

        var tag = Guid.NewGuid().ToString("N")[..8];
        var seed = Stopwatch.StartNew();
        var ids = await SeedAsync(app.Services, stripe, tag, contributors);
        await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"# {contributors} contributors seeded in {seed.Elapsed.TotalSeconds:0.0} s"));

        var callsBefore = stripe.Requests.Count;
        var transfersBefore = stripe.Transfers.Count;
        var wall = Stopwatch.StartNew();
        var runKey = $"bench-{tag}";
        // Planned first on its own (timed), then the app's job for the same key: it finds the plan and queues one
        // Hangfire job per payout, as the recurring job does after planning.
        await WithScopeAsync(app.Services, s => s.GetRequiredService<PlanPayoutRun>().ExecuteAsync(runKey));
        var planned = wall.Elapsed;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<MoneyJobs>().PlanRunAsync(runKey, CancellationToken.None);
        }

        var queued = wall.Elapsed - planned;
        var runId = await WithDbAsync(app.Services, db => db.PayoutRuns.Where(r => r.RunKey == runKey).Select(r => r.Id).SingleAsync());
        var lastReport = TimeSpan.Zero;
        Dictionary<PayoutState, int> states;
        while (true)
        {
            states = await WithDbAsync(app.Services, db => db.Payouts.Where(p => p.RunId == runId).GroupBy(p => p.State).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count));
            if (!states.ContainsKey(PayoutState.Planned) && !states.ContainsKey(PayoutState.Submitted))
            {
                break;
            }

            if (wall.Elapsed - lastReport > TimeSpan.FromSeconds(30))
            {
                lastReport = wall.Elapsed;
                await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"# {wall.Elapsed.TotalSeconds:0} s: {string.Join(", ", states.Select(s => $"{s.Key} {s.Value}"))}"));
            }

            await Task.Delay(200);
        }

        var elapsed = wall.Elapsed;
        var payouts = states.Values.Sum();
        var paid = states.GetValueOrDefault(PayoutState.Paid);
        var calls = stripe.Requests.Skip(callsBefore).ToList();
        var transfers = stripe.Transfers.Skip(transfersBefore).ToList();
        var distinct = transfers.Select(t => (string?)t["metadata"]?["payout_id"]).Distinct().Count();
        var trial = await WithScopeAsync(app.Services, s => s.GetRequiredService<Ledger>().TrialBalanceAsync());
        await app.StopAsync();

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"contributors={contributors} workers={workers} rps_limit={rps} payouts={payouts} paid={paid} plan_s={planned.TotalSeconds:0.0} queue_s={queued.TotalSeconds:0.0} wall_s={elapsed.TotalSeconds:0.0} payouts_per_sec={paid / elapsed.TotalSeconds:0.0} stripe_calls_per_payout={(double)calls.Count / Math.Max(payouts, 1):0.00} retried_calls={calls.Count - calls.Count(c => !c.Replayed && c.Status == 200)} transfers={transfers.Count} distinct_payouts_transferred={distinct} trial_balance_nonzero={trial.Count(t => t.Value != 0)} seeded={ids.Count}"));
        return paid == contributors && transfers.Count == paid && distinct == paid && trial.All(t => t.Value == 0) ? 0 : 1;
    }

    /// <summary>
    /// Connected accounts at the fake (already onboarded) and our rows for them, written with COPY; the available
    /// balances through the app's own ledger (one posting each, saved in batches), so the run reads what the app wrote.
    /// </summary>
    private static async Task<List<string>> SeedAsync(IServiceProvider services, FakeStripeServer stripe, string tag, int count)
    {
        var ids = Enumerable.Range(0, count).Select(i => $"bench-{tag}-{i:D6}").ToList();
        var now = DateTime.UtcNow;
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MarketplaceDbContext>();
            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
            await connection.OpenAsync();
            await using var writer = await connection.BeginBinaryImportAsync(
                """COPY "PayoutAccounts" ("ContributorId", "GatewayAccountId", "CreatedAt", "PayoutsEnabled", "DetailsSubmitted", "OnHold", "StatusAsOf") FROM STDIN (FORMAT BINARY)""");
            foreach (var id in ids)
            {
                await writer.StartRowAsync();
                await writer.WriteAsync(id, NpgsqlDbType.Varchar);
                await writer.WriteAsync(stripe.CreateConnectedAccount(payoutsEnabled: true), NpgsqlDbType.Varchar);
                await writer.WriteAsync(now, NpgsqlDbType.TimestampTz);
                await writer.WriteAsync(true, NpgsqlDbType.Boolean);
                await writer.WriteAsync(true, NpgsqlDbType.Boolean);
                await writer.WriteAsync(false, NpgsqlDbType.Boolean);
                await writer.WriteAsync(now, NpgsqlDbType.TimestampTz);
            }

            await writer.CompleteAsync();
        }

        foreach (var batch in ids.Chunk(500))
        {
            await using var scope = services.CreateAsyncScope();
            var ledger = scope.ServiceProvider.GetRequiredService<Ledger>();
            foreach (var id in batch)
            {
                var amount = new Money(1000 + (int.Parse(id[^6..], CultureInfo.InvariantCulture) % 1000), "USD");
                var posted = await ledger.PostAsync(
                    LedgerCause.Payment($"bench-{id}"),
                    [LedgerLine.Debit(LedgerAccountId.PaymentsClearing, amount), LedgerLine.Credit(LedgerAccountId.ContributorAvailable(id), amount)],
                    "benchmark: earnings past their hold");
                if (!posted.Succeeded)
                {
                    throw new InvalidOperationException($"Seeding {id}: {posted.Status}");
                }
            }

            await scope.ServiceProvider.GetRequiredService<MarketplaceDbContext>().SaveChangesAsync();
        }

        return ids;
    }

    private static async Task<T> WithDbAsync<T>(IServiceProvider services, Func<MarketplaceDbContext, Task<T>> work) =>
        await WithScopeAsync(services, s => work(s.GetRequiredService<MarketplaceDbContext>()));

    private static async Task<T> WithScopeAsync<T>(IServiceProvider services, Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    private static string? Option(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }
}
