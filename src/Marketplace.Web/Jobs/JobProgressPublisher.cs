using System.Collections.Concurrent;
using Marketplace.Web.Data;
using Marketplace.Web.Domain;
using Marketplace.Web.Live;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Marketplace.Web.Jobs;

/// <summary>
/// Coalesces job progress: any number of labels on a job between two ticks become one <see cref="ILiveClient.JobProgress"/>
/// to its watchers, and its items-left reaches contributors at most every <see cref="LiveOptions.FeedIntervalMs"/> (at
/// once when it runs out), so a busy job costs a few messages a second, not one per label.
/// Each node publishes for the labels it took; the numbers come from the database, so any node's message is right.
/// </summary>
public sealed partial class JobProgressPublisher(
    IServiceScopeFactory scopes,
    JobProgressBoard board,
    IHubContext<LiveHub, ILiveClient> hub,
    IOptions<LiveOptions> options,
    IOptions<Marketplace.Payouts.PayoutsOptions> payouts,
    TimeProvider clock,
    ILogger<JobProgressPublisher> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<Guid, (DateTime At, int Left)> _feedSent = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.ProgressIntervalMs), clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            foreach (var jobId in board.Take())
            {
                try
                {
                    await PublishAsync(jobId, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A lost progress message is replaced by the next one; never let it stop the loop.
                    LogPublishFailed(logger, e, jobId);
                }
            }
        }
    }

    private async Task PublishAsync(Guid jobId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketplaceDbContext>();
        var job = await db.Jobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == jobId, ct);
        if (job is null)
        {
            return;
        }

        var progress = await JobProgressQuery.ForAsync(db, job, payouts.Value.PlatformFeeBasisPoints, clock.GetUtcNow().UtcDateTime, ct);
        await hub.Clients.Group(LiveGroups.Job(jobId)).JobProgress(new JobProgressNotice(jobId, job.Status, progress));
        if (job.Status != JobStatus.Active)
        {
            _feedSent.TryRemove(jobId, out _);
            return;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var sent = _feedSent.TryGetValue(jobId, out var last);
        if (sent && now - last.At < TimeSpan.FromMilliseconds(options.Value.FeedIntervalMs) && last.Left == 0)
        {
            return;
        }

        var left = await db.Items.WithOpenSlots(job).CountAsync(ct);
        var ranOut = left == 0 && (!sent || last.Left != 0);
        if (!sent || ranOut || now - last.At >= TimeSpan.FromMilliseconds(options.Value.FeedIntervalMs))
        {
            _feedSent[jobId] = (now, left);
            await hub.Clients.Group(LiveGroups.Contributors).FeedChanged(new FeedChange(jobId, FeedChangeKind.Changed, job.Title, job.TaskType, job.PayPerLabelMinor, job.Currency, left));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not publish the progress of job {JobId}")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, Guid jobId);
}
