using Hangfire;
using Marketplace.Web.Data;
using Marketplace.Web.Domain;
using Marketplace.Web.Live;
using Marketplace.Web.Payments;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Jobs;

/// <summary>
/// The moves the system makes on its own: a launched job completes when every item is finalized or its deadline
/// passes, and pauses when its escrow cannot pay for the next label. Each is one conditional update of a
/// <see cref="JobTransition"/> (<see cref="JobTransitions.TryApplyAsync"/>), so running it twice, or on several nodes,
/// moves a job once. A buyer's own moves go through <see cref="ChangeJobStatus"/>.
/// </summary>
public sealed partial class JobLifecycle(
    MarketplaceDbContext db, WriteTransactions writes, ILiveNotifier live, IBackgroundJobClient background, TimeProvider clock, ILogger<JobLifecycle> logger)
{
    private static readonly JobStatus[] Running = [JobStatus.Active, JobStatus.Paused];

    /// <summary>Completes the job if no item is left open. Call after the finalizing change has committed, so concurrent finishers see each other.</summary>
    public async Task<bool> CompleteIfFinishedAsync(Guid jobId, CancellationToken ct)
    {
        if (await db.Items.AnyAsync(i => i.JobId == jobId && !i.IsGold && i.FinalizedAt == null, ct))
        {
            return false;
        }

        var completed = await TryCompleteAsync(jobId, ct);
        if (completed)
        {
            LogCompleted(logger, jobId, "every item is finalized");
        }

        return completed;
    }

    /// <summary>Completes every running job past its deadline or with all items finalized, and announces each; returns how many.</summary>
    public async Task<int> CompleteDueAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var pastDeadline = await db.Jobs.Where(j => Running.Contains(j.Status) && j.Deadline != null && j.Deadline <= now).Select(j => j.Id).ToListAsync(ct);
        var count = 0;
        foreach (var id in pastDeadline)
        {
            if (await TryCompleteAsync(id, ct))
            {
                LogCompleted(logger, id, "its deadline passed");
                await AnnounceAsync(id, ct);
                count++;
            }
        }

        var finished = await db.Jobs
            .Where(j => Running.Contains(j.Status) && !db.Items.Any(i => i.JobId == j.Id && !i.IsGold && i.FinalizedAt == null) && db.Items.Any(i => i.JobId == j.Id && !i.IsGold))
            .Select(j => j.Id).ToListAsync(ct);
        foreach (var id in finished)
        {
            if (await CompleteIfFinishedAsync(id, ct))
            {
                await AnnounceAsync(id, ct);
                count++;
            }
        }

        return count;
    }

    /// <summary>Completes the job if it is still running, and ends its live leases in the same transaction.</summary>
    private async Task<bool> TryCompleteAsync(Guid jobId, CancellationToken ct)
    {
        await using var transaction = await writes.BeginAsync(db, ct);
        if (!await db.Jobs.TryApplyAsync(jobId, JobTransition.Complete, ct))
        {
            return false;
        }

        await db.WithdrawLeasesAsync(jobId, clock.GetUtcNow().UtcDateTime, ct);
        await transaction.CommitAsync(ct);
        return true;
    }

    /// <summary>Pauses a running job whose escrow cannot pay for more labels, and tells its watchers and the feed.</summary>
    public async Task PauseForBudgetAsync(Guid jobId, CancellationToken ct)
    {
        if (await db.Jobs.TryApplyAsync(jobId, JobTransition.Pause, ct))
        {
            LogPausedForBudget(logger, jobId);
            await AnnounceAsync(jobId, ct);
        }
    }

    /// <summary>
    /// Tells the job's watchers and contributors it has moved on, and once it is closed queues the refund of its
    /// unspent escrow (idempotent, so queueing it again is harmless). Call once its change has committed.
    /// </summary>
    public async Task AnnounceAsync(Guid jobId, CancellationToken ct)
    {
        if (await db.Jobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == jobId, ct) is { } job)
        {
            await AnnounceAsync(job, ct);
        }
    }

    public async Task AnnounceAsync(Job job, CancellationToken ct)
    {
        await live.JobStatusChangedAsync(job, ct);
        if (job.IsClosed)
        {
            // Unspent escrow goes back to the buyer, once (the refund is keyed on the job).
            var jobId = job.Id;
            background.Enqueue<MoneyJobs>(j => j.RefundAsync(jobId, CancellationToken.None));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} completed: {Why}")]
    private static partial void LogCompleted(ILogger logger, Guid jobId, string why);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} paused: its escrow cannot pay for more labels")]
    private static partial void LogPausedForBudget(ILogger logger, Guid jobId);
}
