using Marketplace.Payouts;
using Marketplace.Web.Payments;
using Marketplace.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests;

/// <summary>
/// A payout planned but never sent is queued again by the hourly job and paid. On an app of its own: the test waits
/// for the app's Hangfire server to run the job, and in the PostgreSQL collection the other tests' jobs kept its four
/// workers busy for minutes.
/// </summary>
public abstract class StuckPayoutTests(MarketplaceAppFactory app)
{
    [Fact]
    public async Task StuckPayouts_AreQueuedAgainByTheHourlyJob_AndPaid()
    {
        var contributor = await app.ContributorAsync();
        var payoutId = await app.PlannedPayoutAsync(contributor, 1_500); // planned, but its job was lost

        using (var connection = app.Services.GetRequiredService<Hangfire.JobStorage>().GetConnection())
        {
            Assert.Contains(Hangfire.Storage.StorageConnectionExtensions.GetRecurringJobs(connection), j => j.Id == MoneyJobs.StuckPayoutsJobId && j.Cron == Hangfire.Cron.Hourly());
        }

        app.Clock.Advance(MoneyJobs.StuckAfter + TimeSpan.FromMinutes(1));
        await app.WithServiceAsync<MoneyJobs, bool>(async j => { await j.RequeueStuckAsync(CancellationToken.None); return true; });

        // Hangfire's PostgreSQL queue is polled every 15 s; the wait ends as soon as the payout is paid.
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (await app.WithDbAsync(db => db.Payouts.Where(p => p.Id == payoutId).Select(p => p.State).SingleAsync()) != PayoutState.Paid)
        {
            Assert.True(DateTime.UtcNow < deadline, "The stuck payout was not paid within 120 s of being queued again.");
            await Task.Delay(200);
        }
    }
}

public sealed class SqliteStuckPayoutTests(SqliteAppFactory app) : StuckPayoutTests(app), IClassFixture<SqliteAppFactory>;

public sealed class PostgresStuckPayoutTests(PostgresAppFactory app) : StuckPayoutTests(app), IClassFixture<PostgresAppFactory>;
