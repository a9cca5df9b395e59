using System.Net;
using System.Net.Http.Json;
using Hangfire;
using Marketplace.Payouts;
using Marketplace.StripeFake;
using Marketplace.Web.Domain;
using Marketplace.Web.Payments;
using Marketplace.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Marketplace.Web.Tests;

/// <summary>
/// The ways out of a stuck payout, through the whole app on PostgreSQL with Hangfire and real Stripe.net: a planner
/// killed mid-plan is planned again at start-up, an idempotency_error is settled by a lookup the admin can ask for,
/// and two clawbacks of one payout at once reverse it once.
/// </summary>
[Collection(StressCollection.Name)]
public sealed class PayoutRecoveryTests : IAsyncLifetime
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
    public async Task PlanningKilledMidway_IsPlannedAgainAtStartUp_NotAfterTheJobStoragesHalfHour()
    {
        var first = await StartAppAsync();
        var contributors = new List<(string Id, string Account)>();
        for (var i = 0; i < 4; i++)
        {
            contributors.Add(await first.PayableContributorAsync(_stripe, 1_000 + i));
        }

        // Another transaction holds the last contributor's balance: the planner posts the others, then waits for it.
        await using (var blocker = new NpgsqlConnection(_database.ConnectionString))
        {
            await blocker.OpenAsync();
            await using var hold = await blocker.BeginTransactionAsync();
            var last = contributors.Select(c => c.Id).Max(StringComparer.Ordinal)!;
            await using (var lockIt = new NpgsqlCommand("SELECT 1 FROM \"LedgerAccounts\" WHERE \"Kind\" = 'ContributorAvailable' AND \"Owner\" = @owner FOR UPDATE", blocker, hold))
            {
                lockIt.Parameters.AddWithValue("owner", last);
                await lockIt.ExecuteNonQueryAsync();
            }

            first.Services.GetRequiredService<IBackgroundJobClient>().Enqueue<MoneyJobs>(j => j.PlanRunAsync("scheduled-killed", CancellationToken.None));
            await WaitForAsync("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'", "the planner to wait for the lock");
            await first.DisposeAsync(); // the node dies mid-plan
            _apps.Remove(first);
            await hold.RollbackAsync();
        }

        // A killed worker never hands its job back: the storage hides it until its invisibility timeout (30 minutes).
        await ExecuteAsync("UPDATE hangfire.jobqueue SET fetchedat = now()");
        Assert.Equal(0L, await ScalarAsync("SELECT count(*) FROM \"Payouts\"")); // nothing half-planned

        var second = await StartAppAsync();
        var payouts = await second.SettledPayoutsAsync(contributors.Count, TimeSpan.FromSeconds(60));

        await second.AssertPaidExactlyOnceAsync(_stripe, payouts);
        Assert.Equal(1L, await ScalarAsync("SELECT count(*) FROM \"PayoutRuns\" WHERE \"RunKey\" = 'scheduled-killed' AND NOT \"Planning\""));
    }

    [Fact]
    public async Task AnIdempotencyError_LeavesThePayoutForALookup_TheAdminSettlesIt_AndLaterEarningsArePaidMeanwhile()
    {
        var app = await StartAppAsync();
        var (contributor, _) = await app.PayableContributorAsync(_stripe, 1_500);
        var plan = await app.WithServiceAsync<PlanPayoutRun, PayoutRunPlan>(p => p.ExecuteAsync("manual-first"));
        var payoutId = Assert.Single(plan.PayoutIds);
        // The payout's key was already used, with other parameters, for a transfer Stripe refused.
        await Assert.ThrowsAsync<Stripe.StripeException>(() => new Stripe.TransferService(RawStripe()).CreateAsync(
            new Stripe.TransferCreateOptions { Amount = 1_500, Currency = "usd", Destination = "acct_gone" },
            new Stripe.RequestOptions { IdempotencyKey = Payout.IdempotencyKeyFor(payoutId, 1) }));

        app.Services.GetRequiredService<IBackgroundJobClient>().Enqueue<MoneyJobs>(j => j.PayAsync(payoutId, CancellationToken.None));
        var stuck = await WaitForPayoutAsync(app, payoutId, PayoutState.NeedsLookup);
        Assert.Contains("idempotency_error", stuck.FailureReason, StringComparison.Ordinal);
        var (_, admin) = await app.SignedInAsync(Roles.Admin);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.Client.PostAsync($"/api/admin/payouts/{payoutId}/retry", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.Client.PostAsJsonAsync($"/api/admin/payouts/{payoutId}/return", new { reason = "give it back" })).StatusCode);
        await ProblemAssert.StatusAsync(await admin.Client.PostAsync($"/api/admin/payouts/{payoutId}/settle", null), HttpStatusCode.Conflict, "no transfer for it yet");

        // What the contributor earns meanwhile is not held behind it.
        await app.PayableEarningsAsync(contributor, 2_000);
        await app.StartRunAsync();
        await WaitForAsync($"SELECT count(*) FROM \"Payouts\" WHERE \"ContributorId\" = '{contributor}' AND \"State\" = 'Paid' AND \"AmountMinor\" = 2000", "the later earnings to be paid");

        app.Clock.Advance(TimeSpan.FromMinutes(11)); // past the grace: Stripe's silence now proves there is no transfer
        var settled = await admin.Client.PostAsync($"/api/admin/payouts/{payoutId}/settle", null);
        Assert.Equal(HttpStatusCode.OK, settled.StatusCode);
        Assert.Equal("Failed", (await settled.Content.ReadFromJsonAsync<PayoutsApi.SettlementView>(ApiJson.Options))!.State);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.Client.PostAsync($"/api/admin/payouts/{payoutId}/retry", null)).StatusCode);
        await WaitForPayoutAsync(app, payoutId, PayoutState.Paid);

        Assert.Equal([1_500L, 2_000L], _stripe.Transfers.Select(t => (long)t["amount"]!).Order());
        var usd = Assert.Single(await app.WithServiceAsync<PayoutQueries, IReadOnlyList<ContributorBalance>>(q => q.BalancesAsync(contributor)));
        Assert.Equal((0L, 0L), (usd.AvailableMinor, usd.InTransitMinor));
        await app.AssertTrialBalanceIsZeroAsync();
    }

    [Fact]
    public async Task TwoClawbacksOfOnePayoutAtOnce_ReverseItOnce_AndTheOtherIsAnsweredWithoutAnError()
    {
        var app = await StartAppAsync();
        await app.PayableContributorAsync(_stripe, 3_000);
        await app.StartRunAsync();
        var payout = Assert.Single(await app.SettledPayoutsAsync(1, TimeSpan.FromSeconds(60)));
        var (_, admin) = await app.SignedInAsync(Roles.Admin);
        var decision = new { clawbackId = Guid.NewGuid(), amountMinor = 1_000, reason = "copied answers" };
        _stripe.DelayNext(1, TimeSpan.FromMilliseconds(700)); // the first reversal is slow: the second request arrives meanwhile

        var responses = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => admin.Client.PostAsJsonAsync($"/api/admin/payouts/{payout.Id}/clawback", decision)));

        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.Conflict }));
        var answered = await Task.WhenAll(responses.Where(r => r.StatusCode == HttpStatusCode.OK).Select(r => r.Content.ReadFromJsonAsync<PayoutsApi.ClawbackView>(ApiJson.Options)));
        Assert.Contains("Done", answered.Select(a => a!.Status));
        Assert.Equal(1, _stripe.CountRequests("POST", $"/v1/transfers/{payout.TransferId}/reversals"));
        Assert.Equal(1_000, (long)Assert.Single(_stripe.ReversalsOf(payout.TransferId!))["amount"]!);
        await app.AssertTrialBalanceIsZeroAsync();
    }

    private async Task<StripePostgresApp> StartAppAsync()
    {
        var app = await StripePostgresApp.StartAsync(_database, _stripe);
        _apps.Add(app);
        return app;
    }

    private Stripe.StripeClient RawStripe() =>
        new(new Stripe.StripeClientOptions { ApiKey = FakeStripeServer.SecretKey, ApiBase = _stripe.BaseUrl.ToString().TrimEnd('/') });

    private static async Task<Payout> WaitForPayoutAsync(StripePostgresApp app, Guid payoutId, PayoutState state)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var payout = (await app.PayoutsAsync()).Single(p => p.Id == payoutId);
            if (payout.State == state)
            {
                return payout;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Payout {payoutId} is {payout.State} ({payout.FailureReason}), not {state}. {PayoutArrangement.HangfireSummary(app)}");
            await Task.Delay(200);
        }
    }

    private async Task WaitForAsync(string countQuery, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((long)(await ScalarAsync(countQuery))! == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}.");
            await Task.Delay(100);
        }
    }

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
