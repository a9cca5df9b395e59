using Hangfire;
using Marketplace.Web.Data;
using Marketplace.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Jobs;

/// <summary>
/// A launched job completes by itself when every item is finalized or its deadline passes. Each completion is
/// one conditional update on the job's status, so running this twice, or on several nodes, completes a job once.
/// </summary>
public sealed partial class JobCompletion(MarketplaceDbContext db, Live.ILiveNotifier live, IBackgroundJobClient background, TimeProvider clock, ILogger<JobCompletion> logger)
{
    private static readonly JobStatus[] Running = [JobStatus.Active, JobStatus.Paused];

    /// <summary>Completes the job if no item is left open. Call after the finalizing change has committed, so concurrent finishers see each other.</summary>
    public async Task<bool> CompleteIfFinishedAsync(Guid jobId, CancellationToken ct)
    {
        if (await db.Items.AnyAsync(i => i.JobId == jobId && !i.IsGold && i.FinalizedAt == null, ct))
        {
            return false;
        }

        var completed = await db.Jobs.Where(j => j.Id == jobId && Running.Contains(j.Status))
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, JobStatus.Completed), ct) > 0;
        if (completed)
        {
            LogCompleted(logger, jobId, "every item is finalized");
        }

        return completed;
    }

    /// <summary>Completes every running job past its deadline or with all items finalized; returns how many.</summary>
    public async Task<int> CompleteDueAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var pastDeadline = await db.Jobs.Where(j => Running.Contains(j.Status) && j.Deadline != null && j.Deadline <= now).Select(j => j.Id).ToListAsync(ct);
        var count = 0;
        foreach (var id in pastDeadline)
        {
            if (await db.Jobs.Where(j => j.Id == id && Running.Contains(j.Status)).ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, JobStatus.Completed), ct) > 0)
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

    /// <summary>
    /// Tells the job's watchers and contributors it has moved on, and once it is closed queues the refund of its
    /// unspent escrow (idempotent, so queueing it again is harmless). Call once its change has committed.
    /// </summary>
    public async Task AnnounceAsync(Guid jobId, CancellationToken ct)
    {
        if (await db.Jobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == jobId, ct) is { } job)
        {
            await live.JobStatusChangedAsync(job, ct);
            if (job.IsClosed)
            {
                background.Enqueue<Payments.MoneyJobs>(j => j.RefundAsync(jobId, CancellationToken.None));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} completed: {Why}")]
    private static partial void LogCompleted(ILogger logger, Guid jobId, string why);
}
