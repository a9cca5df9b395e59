using System.Security.Claims;
using Marketplace.Scoring.Quality;
using Marketplace.Web.Data;
using Marketplace.Web.Domain;
using Marketplace.Web.Identity;
using Marketplace.Web.Jobs;
using Marketplace.Web.Quality;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Marketplace.Web.Tasks;

/// <summary>
/// The work loop: claim a task under a lease, submit it, release it, and return expired leases to the pool.
/// Every rule that must hold under concurrency is enforced by the database: the claim query's row locks
/// (or SQLite's single writer), conditional updates on the assignment's status, and a unique index on
/// (item, contributor).
/// </summary>
public sealed partial class WorkService(
    MarketplaceDbContext db,
    IClaimQuery claims,
    QualificationService qualifications,
    JobCompletion completion,
    ContributorTiers tiers,
    TierCatalog tierSets,
    Live.ILiveNotifier live,
    Payments.LabelEarnings earnings,
    TimeProvider clock,
    IOptions<WorkOptions> options,
    ILogger<WorkService> logger)
{
    private WorkOptions Options => options.Value;

    /// <summary>Why this contributor may not work on this job now, or null when they may.</summary>
    public static string? Ineligibility(ContributorProfile? profile, Qualification? qualification, Job job, TierSet tiers)
    {
        if (profile is null)
        {
            return "Complete your contributor profile first.";
        }

        if (profile.SuspendedAt is not null)
        {
            return "Your account is suspended; you cannot take new tasks.";
        }

        if (qualification?.Status != QualificationStatus.Passed)
        {
            return $"Pass the {job.TaskType} qualification test first.";
        }

        if (tiers.Refusal(profile.Tier, job) is { } locked)
        {
            return locked;
        }

        var skills = Split(profile.Skills);
        var missing = job.RequiredSkills.Where(s => !skills.Contains(s)).ToList();
        if (missing.Count > 0)
        {
            return $"This job needs the skills: {string.Join(", ", missing)}.";
        }

        if (job.Languages.Count > 0 && !job.Languages.Any(Split(profile.Languages).Contains))
        {
            return $"This job needs one of the languages: {string.Join(", ", job.Languages)}.";
        }

        return null;
    }

    internal static HashSet<string> Split(string list) =>
        list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>Claims the next task of one job, or of any job this contributor may do (see <see cref="RankJobs"/>).</summary>
    public async Task<Results<Ok<TaskView>, NoContent, NotFound, ProblemHttpResult>> ClaimAsync(ClaimsPrincipal user, Guid? jobId, CancellationToken ct)
    {
        var userId = AccountApi.UserId(user);
        var now = clock.GetUtcNow().UtcDateTime;
        var profile = await db.ContributorProfiles.AsNoTracking().SingleOrDefaultAsync(p => p.UserId == userId, ct);
        var qualifications = await db.Qualifications.AsNoTracking().Where(q => q.ContributorId == userId).ToDictionaryAsync(q => q.TaskType, ct);
        var tierSet = await tierSets.CurrentAsync(db, ct);

        List<Job> candidates;
        if (jobId is { } id)
        {
            var job = await db.Jobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == id, ct);
            if (job is null)
            {
                return TypedResults.NotFound();
            }

            if (job.Status != JobStatus.Active)
            {
                return Problem(StatusCodes.Status409Conflict, "Job not active", $"This job is {job.Status}; it has no tasks to claim now.");
            }

            if (Ineligibility(profile, qualifications.GetValueOrDefault(job.TaskType), job, tierSet) is { } reason)
            {
                return Problem(StatusCodes.Status403Forbidden, "Not eligible", reason);
            }

            candidates = [job];
        }
        else
        {
            if (profile?.SuspendedAt is not null || profile is null)
            {
                return Problem(StatusCodes.Status403Forbidden, "Not eligible", Ineligibility(profile, null, null!, tierSet)!);
            }

            var active = await db.Jobs.AsNoTracking().Where(j => j.Status == JobStatus.Active).ToListAsync(ct);
            candidates = RankJobs(active.Where(j => Ineligibility(profile, qualifications.GetValueOrDefault(j.TaskType), j, tierSet) is null), now).ToList();
        }

        if (await LimitReachedAsync(userId, now, ct) is { } limit)
        {
            return limit;
        }

        foreach (var job in candidates)
        {
            // One task at a time per job: a contributor who asks again gets the lease they already hold.
            var held = await db.Assignments.AsNoTracking()
                .Where(a => a.JobId == job.Id && a.ContributorId == userId && a.Status == AssignmentStatus.Leased && a.LeaseExpiresAt > now && a.QualificationAttemptId == null)
                .FirstOrDefaultAsync(ct);
            if (held is not null)
            {
                return TypedResults.Ok(await ViewAsync(held, job, ct));
            }

            if (!await earnings.CoversNextTaskAsync(job, tierSet, ct))
            {
                // Work is only handed out when it can be paid: the job pauses until the buyer tops up.
                await PauseForBudgetAsync(job, ct);
                continue;
            }

            var rate = GoldRateFor(job, qualifications.GetValueOrDefault(job.TaskType), tierSet.GoldRateFactorOf(profile!.Tier));
            for (var attempt = 0; attempt < 3; attempt++)
            {
                try
                {
                    if (await TryClaimAsync(job, userId, rate, now, ct) is { } assignment)
                    {
                        return TypedResults.Ok(await ViewAsync(assignment, job, ct));
                    }

                    break; // nothing left for this contributor in this job
                }
                catch (DbUpdateException e)
                {
                    // Only the unique (item, contributor) index can refuse the insert: a concurrent claim by the
                    // same contributor took that item first. The transaction rolled back; try again.
                    LogClaimRetry(logger, e, userId, job.Id);
                    db.ChangeTracker.Clear();
                }
            }
        }

        return TypedResults.NoContent();
    }

    /// <summary>
    /// The routing rule for "any job": jobs whose deadline falls within 48 hours first (soonest first), then
    /// higher pay, then older jobs, so urgent work is done first and otherwise the best-paid work.
    /// Within a job, the claim query serves the items closest to finalization.
    /// </summary>
    public static IEnumerable<Job> RankJobs(IEnumerable<Job> jobs, DateTime now) =>
        jobs.OrderBy(j => j.Deadline is { } d && d - now < TimeSpan.FromHours(48) ? 0 : 1)
            .ThenBy(j => j.Deadline is { } d && d - now < TimeSpan.FromHours(48) ? d : DateTime.MaxValue)
            .ThenByDescending(j => j.PayPerLabelMinor)
            .ThenBy(j => j.CreatedAt)
            .ThenBy(j => j.Id);

    /// <summary>
    /// The job's gold rate, raised for contributors whose accuracy is still uncertain (the scoring engine's rule), times
    /// the contributor's tier's gold-rate factor (a trusted tier may be checked less often). A job with a gold rate of
    /// zero has opted out of injected gold: its gold items serve qualification tests only.
    /// </summary>
    public double GoldRateFor(Job job, Qualification? qualification, double tierFactor = 1)
    {
        if (job.GoldRate <= 0)
        {
            return 0;
        }

        var posterior = BetaPosterior.From(qualification?.GoldCorrect ?? 0, qualification?.GoldWrong ?? 0, Options.Prior);
        return Math.Clamp(GoldRate.For(posterior, new GoldRateOptions(MinRate: job.GoldRate, MaxRate: Math.Max(job.GoldRate, 0.3))) * tierFactor, 0, 1);
    }

    private async Task<Assignment?> TryClaimAsync(Job job, string userId, double goldRate, DateTime now, CancellationToken ct)
    {
        // Plain reads first, outside the write transaction: picking gold holds no lock, and a contributor with
        // nothing left never queues for one. Gold takes no slot; the unique (item, contributor) index settles races.
        var itemId = goldRate > 0 && Random.Shared.NextDouble() < goldRate ? await PickUnseenGoldAsync(job.Id, userId, ct) : null;
        var kind = itemId is null ? AssignmentKind.Label : AssignmentKind.Gold;
        if (itemId is null && !await HasOpenSlotAsync(job, userId, ct))
        {
            return null;
        }

        await using var transaction = await claims.BeginAsync(db, ct);
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

    /// <summary>Pauses a running job whose escrow cannot pay for more labels, and tells its watchers and the feed.</summary>
    private async Task PauseForBudgetAsync(Job job, CancellationToken ct)
    {
        if (await db.Jobs.Where(j => j.Id == job.Id && j.Status == JobStatus.Active).ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, JobStatus.Paused), ct) > 0)
        {
            LogPausedForBudget(logger, job.Id);
            await completion.AnnounceAsync(job.Id, ct);
        }
    }

    /// <summary>The job's items that still take labels: not gold, not finalized, slots free (what the claim query reserves from).</summary>
    public static IQueryable<Item> OpenSlots(IQueryable<Item> items, Job job) =>
        items.Where(i => i.JobId == job.Id && !i.IsGold && i.FinalizedAt == null && i.LabelsHeld < job.Redundancy);

    private Task<bool> HasOpenSlotAsync(Job job, string userId, CancellationToken ct) =>
        OpenSlots(db.Items, job).AnyAsync(i => !db.Assignments.Any(a => a.ItemId == i.Id && a.ContributorId == userId), ct);

    /// <summary>
    /// A gold item of the job this contributor has never seen, chosen at random (among the first few hundred
    /// unseen, so the read stays small) so no order can be learned.
    /// </summary>
    private async Task<Guid?> PickUnseenGoldAsync(Guid jobId, string userId, CancellationToken ct)
    {
        var unseen = await db.Items.AsNoTracking()
            .Where(i => i.JobId == jobId && i.IsGold && !db.Assignments.Any(a => a.ItemId == i.Id && a.ContributorId == userId))
            .Select(i => i.Id)
            .Take(256)
            .ToListAsync(ct);
        return unseen.Count == 0 ? null : unseen[Random.Shared.Next(unseen.Count)];
    }

    private async Task<ProblemHttpResult?> LimitReachedAsync(string userId, DateTime now, CancellationToken ct)
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
            return Problem(StatusCodes.Status429TooManyRequests, "Too many claims", $"At most {Options.ClaimsPerMinute} tasks a minute; try again in a minute.");
        }

        return counts.Day >= Options.ClaimsPerDay
            ? Problem(StatusCodes.Status429TooManyRequests, "Daily limit reached", $"At most {Options.ClaimsPerDay} tasks in 24 hours.")
            : null;
    }

    /// <summary>Renders an assignment for its contributor.</summary>
    public Task<TaskView> ViewAsync(Assignment assignment, Job job, CancellationToken ct) => TaskViews.RenderAsync(db, assignment, job, ct);

    /// <summary>The contributor's current lease on a task, so a reloaded page can carry on.</summary>
    public async Task<TaskView?> FindOpenAsync(ClaimsPrincipal user, Guid assignmentId, CancellationToken ct)
    {
        var userId = AccountApi.UserId(user);
        var now = clock.GetUtcNow().UtcDateTime;
        var assignment = await db.Assignments.AsNoTracking()
            .SingleOrDefaultAsync(a => a.Id == assignmentId && a.ContributorId == userId && a.Status == AssignmentStatus.Leased && a.LeaseExpiresAt > now, ct);
        if (assignment is null)
        {
            return null;
        }

        var job = await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == assignment.JobId, ct);
        return await ViewAsync(assignment, job, ct);
    }

    internal static ProblemHttpResult Problem(int status, string title, string detail, string? field = null)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        if (field is not null)
        {
            problem.Extensions["errors"] = new Dictionary<string, string[]> { [field] = [detail] };
        }

        return TypedResults.Problem(problem);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} paused: its escrow cannot pay for more labels")]
    private static partial void LogPausedForBudget(ILogger logger, Guid jobId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Claim by {UserId} on job {JobId} collided with another claim of theirs; retrying")]
    private static partial void LogClaimRetry(ILogger logger, Exception exception, string userId, Guid jobId);
}
