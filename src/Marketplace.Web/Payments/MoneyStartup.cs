using Hangfire;
using Marketplace.Payouts;
using Microsoft.Extensions.Options;

namespace Marketplace.Web.Payments;

/// <summary>
/// At start-up: schedules the recurring payout run from configuration, and queues a job that queues again the planning
/// of every run whose plan never committed and every payout still Planned or Submitted, because in-memory Hangfire
/// storage (the SQLite default) forgets queued jobs on restart and durable storage hides a killed worker's job for
/// its invisibility timeout. That job reads our tables, so it runs on a Hangfire worker, after migrations, with
/// retries; re-queueing is safe because planning is keyed on the run and a payout's transfer on the payout.
/// </summary>
internal sealed class MoneyStartup(IRecurringJobManager recurring, IBackgroundJobClient jobs, IOptions<PayoutsOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        recurring.AddOrUpdate<MoneyJobs>(MoneyJobs.PayoutRunJobId, j => j.PlanRunAsync(null, CancellationToken.None), options.Value.PayoutCron, new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        recurring.AddOrUpdate<MoneyJobs>(MoneyJobs.StuckPayoutsJobId, j => j.RequeueStuckAsync(CancellationToken.None), Cron.Hourly(), new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        jobs.Enqueue<MoneyJobs>(j => j.RequeueUnfinishedAsync(CancellationToken.None));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
