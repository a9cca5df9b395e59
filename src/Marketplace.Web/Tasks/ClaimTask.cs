using Marketplace.Scoring.Quality;
using Marketplace.Web.Data;
using Marketplace.Web.Domain;
using Marketplace.Web.Hosting;
using Marketplace.Web.Jobs;
using Marketplace.Web.Payments;
using Marketplace.Web.Quality;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Marketplace.Web.Tasks;

/// <summary>
/// A contributor asks for their next task, of one job or of any job they may do (<see cref="Eligibility.Rank"/>), and
/// gets it under a lease. Every rule that must hold under concurrency is the database's: the claim query's row locks
/// (or SQLite's single writer), and the unique index on (item, contributor) so nobody labels an item twice.
/// </summary>
public sealed partial class ClaimTask(
    MarketplaceDbContext db,
    IClaimQuery claims,
    WriteTransactions writes,
    TierCatalog tierSets,
    ContributorAccuracy accuracy,
    LabelEarnings earnings,
    JobLifecycle lifecycle,
    TaskViews views,
    TimeProvider clock,
    IOptions<TasksOptions> options,
    ILogger<ClaimTask> logger)
{
    private TasksOptions Options => options.Value;

    /// <summary>The task now leased to the contributor; null when nothing is left for them.</summary>
    public async Task<Outcome<TaskView?>> ExecuteAsync(string userId, Guid? jobId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var profile = await db.ContributorProfiles.AsNoTracking().SingleOrDefaultAsync(p => p.UserId == userId, ct);
        var qualifications = await db.Qualifications.AsNoTracking().Where(q => q.ContributorId == userId).ToDictionaryAsync(q => q.TaskType, ct);
        var tierSet = await tierSets.CurrentAsync(db, ct);
        var candidates = await CandidatesAsync(profile, qualifications, tierSet, jobId, now, ct);
        if (candidates.Failure is { } refused)
        {
            return refused;
        }

        if (await LimitReachedAsync(userId, now, ct) is { } limit)
        {
            return limit;
        }

        foreach (var job in candidates.Value!)
        {
            // One task at a time per job: a contributor who asks again gets the lease they already hold.
            var held = await db.Assignments.AsNoTracking()
                .Where(a => a.JobId == job.Id && a.ContributorId == userId && a.Status == AssignmentStatus.Leased && a.LeaseExpiresAt > now && a.QualificationAttemptId == null)
                .FirstOrDefaultAsync(ct);
            if (held is not null)
            {
                return await views.RenderAsync(held, job, ct);
            }

            if (!await earnings.CoversNextTaskAsync(job, tierSet, ct))
            {
                // Work is only handed out when it can be paid: the job pauses until the buyer tops up.
                await lifecycle.PauseForBudgetAsync(job.Id, ct);
                continue;
            }

            var record = qualifications.GetValueOrDefault(job.TaskType);
            var rate = GoldRate.ForContributor(job.GoldRate, accuracy.Posterior(record?.GoldCorrect ?? 0, record?.GoldWrong ?? 0), tierSet.GoldRateFactorOf(profile!.Tier));
            if (await ClaimInAsync(job, userId, rate, now, ct) is { } assignment)
            {
                return await views.RenderAsync(assignment, job, ct);
            }
        }

        return (TaskView?)null;
    }

    /// <summary>The job asked for, if this contributor may work on it now; else every active job they may, in routing order.</summary>
    private async Task<Outcome<List<Job>>> CandidatesAsync(ContributorProfile? profile, Dictionary<TaskType, Qualification> qualifications, TierSet tierSet, Guid? jobId, DateTime now, CancellationToken ct)
    {
        if (jobId is not { } id)
        {
            if (Eligibility.ProfileRefusal(profile) is { } refused)
            {
                return Failure.Forbidden("Not eligible", refused);
            }

            var active = await db.Jobs.AsNoTracking().Where(j => j.Status == JobStatus.Active).ToListAsync(ct);
            return Eligibility.Rank(active.Where(j => Eligibility.Refusal(profile, qualifications.GetValueOrDefault(j.TaskType), j, tierSet) is null), now).ToList();
        }

        var job = await db.Jobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == id, ct);
        if (job is null)
        {
            return Failure.NotFound;
        }

        if (job.Status != JobStatus.Active)
        {
            return Failure.Conflict("Job not active", $"This job is {job.Status}; it has no tasks to claim now.");
        }

        return Eligibility.Refusal(profile, qualifications.GetValueOrDefault(job.TaskType), job, tierSet) is { } reason
            ? Failure.Forbidden("Not eligible", reason)
            : new List<Job> { job };
    }

    /// <summary>Up to three tries: only the unique (item, contributor) index can refuse, when a concurrent claim of theirs took that item first.</summary>
    private async Task<Assignment?> ClaimInAsync(Job job, string userId, double goldRate, DateTime now, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                return await TryClaimAsync(job, userId, goldRate, now, ct);
            }
            catch (DbUpdateException e)
            {
                // The transaction rolled back; try again.
                LogClaimRetry(logger, e, userId, job.Id);
                db.ChangeTracker.Clear();
            }
        }

        return null;
    }

    private async Task<Assignment?> TryClaimAsync(Job job, string userId, double goldRate, DateTime now, CancellationToken ct)
    {
        // Plain reads first, outside the write transaction: picking gold holds no lock, and a contributor with
        // nothing left never queues for one. Gold takes no slot; the unique (item, contributor) index settles races.
        var itemId = goldRate > 0 && Random.Shared.NextDouble() < goldRate ? await PickUnseenGoldAsync(job.Id, userId, ct) : null;
        var kind = itemId is null ? AssignmentKind.Label : AssignmentKind.Gold;
        if (itemId is null && !await db.Items.WithOpenSlots(job).AnyAsync(i => !db.Assignments.Any(a => a.ItemId == i.Id && a.ContributorId == userId), ct))
        {
            return null;
        }

        await using var transaction = await writes.BeginAsync(db, ct);
        itemId ??= await claims.ReserveAsync(db, job.Id, userId, job.Redundancy, ct);
        if (itemId is null)
        {
            return null;
        }

        var assignment = new Assignment
        {
            Id = Guid.CreateVersion7(),
            JobId = job.Id,
            ItemId = itemId.Value,
            ContributorId = userId,
            Kind = kind,
            Status = AssignmentStatus.Leased,
            PayMinor = job.PayPerLabelMinor,
            LeasedAt = now,
            LeaseExpiresAt = now.AddSeconds(Options.LeaseSeconds),
        };
        db.Assignments.Add(assignment);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        db.Entry(assignment).State = EntityState.Detached;
        return assignment;
    }

    /// <summary>
    /// A gold item of the job this contributor has never seen, chosen at random (among the first few hundred
    /// unseen, so the read stays small) so no order can be learned.
    /// </summary>
    private async Task<Guid?> PickUnseenGoldAsync(Guid jobId, string userId, CancellationToken ct)
    {
        var unseen = await db.Items.AsNoTracking()
            .Where(i => i.JobId == jobId && i.IsGold && !db.Assignments.Any(a => a.ItemId == i.Id && a.ContributorId == userId))
            .OrderBy(i => i.Id)
            .Select(i => i.Id)
            .Take(256)
            .ToListAsync(ct);
        return unseen.Count == 0 ? null : unseen[Random.Shared.Next(unseen.Count)];
    }

    private async Task<Failure?> LimitReachedAsync(string userId, DateTime now, CancellationToken ct)
    {
        var minuteAgo = now.AddMinutes(-1);
        var dayAgo = now.AddDays(-1);
        var counts = await db.Assignments.AsNoTracking()
            .Where(a => a.ContributorId == userId && a.LeasedAt > dayAgo && a.QualificationAttemptId == null)
            .GroupBy(_ => 1)
            .Select(g => new { Day = g.Count(), Minute = g.Count(a => a.LeasedAt > minuteAgo) })
            .SingleOrDefaultAsync(ct);
        if (counts is null)
        {
            return null;
        }

        if (counts.Minute >= Options.ClaimsPerMinute)
        {
            return Failure.TooMany("Too many claims", $"At most {Options.ClaimsPerMinute} tasks a minute; try again in a minute.");
        }

        return counts.Day >= Options.ClaimsPerDay
            ? Failure.TooMany("Daily limit reached", $"At most {Options.ClaimsPerDay} tasks in 24 hours.")
            : null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Claim by {UserId} on job {JobId} collided with another claim of theirs; retrying")]
    private static partial void LogClaimRetry(ILogger logger, Exception exception, string userId, Guid jobId);
}
