using Marketplace.Web.Data;
using Marketplace.Web.Domain;
using Marketplace.Web.Quality;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Tasks;

/// <summary>The contributor's live feed: every active job, what it pays and how long its tasks take, and whether they may work on it.</summary>
public sealed class TaskFeed(MarketplaceDbContext db, TierCatalog tierSets, TimeProvider clock)
{
    /// <summary>Seconds a task is assumed to take on a job nobody has labelled yet.</summary>
    public const int DefaultTaskSeconds = 30;

    /// <summary>
    /// Every active job, ranked by the routing rule: those this contributor may do now first (with items
    /// left for them), then the rest with the reason they cannot.
    /// </summary>
    public async Task<IReadOnlyList<FeedEntry>> ReadAsync(string userId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var profile = await db.ContributorProfiles.AsNoTracking().SingleOrDefaultAsync(p => p.UserId == userId, ct);
        var standings = await db.Qualifications.AsNoTracking().Where(q => q.ContributorId == userId).ToDictionaryAsync(q => q.TaskType, ct);
        var tierSet = await tierSets.CurrentAsync(db, ct);
        var jobs = Eligibility.Rank(await db.Jobs.AsNoTracking().Where(j => j.Status == JobStatus.Active).ToListAsync(ct), now).ToList();
        var ids = jobs.Select(j => j.Id).ToList();
        var left = await (
            from item in db.Items
            join job in db.Jobs on item.JobId equals job.Id
            where ids.Contains(item.JobId) && !item.IsGold && item.FinalizedAt == null && item.LabelsHeld < job.Redundancy
            group item by item.JobId into g
            select new { JobId = g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.JobId, x => x.Count, ct);

        var entries = new List<FeedEntry>(jobs.Count);
        foreach (var job in jobs)
        {
            var reason = Eligibility.Refusal(profile, standings.GetValueOrDefault(job.TaskType), job, tierSet);
            var itemsLeft = left.GetValueOrDefault(job.Id);
            var seconds = await EstimatedSecondsAsync(job.Id, ct);
            entries.Add(new FeedEntry(job.Id, job.Title, job.TaskType, job.PayPerLabelMinor, job.Currency, seconds, itemsLeft, job.Deadline,
                reason is null && itemsLeft > 0, reason ?? (itemsLeft > 0 ? null : "No items need labels right now.")));
        }

        return entries.OrderByDescending(e => e.CanWork).ToList();
    }

    /// <summary>The median time of the job's last 101 labels, or a default before there are any.</summary>
    private async Task<int> EstimatedSecondsAsync(Guid jobId, CancellationToken ct)
    {
        var recent = await db.Assignments.AsNoTracking()
            .Where(a => a.JobId == jobId && a.Status == AssignmentStatus.Submitted && a.DurationMs != null)
            .OrderByDescending(a => a.EndedAt)
            .Take(101)
            .Select(a => a.DurationMs!.Value)
            .ToListAsync(ct);
        if (recent.Count == 0)
        {
            return DefaultTaskSeconds;
        }

        recent.Sort();
        return Math.Max(1, (int)Math.Round(recent[recent.Count / 2] / 1000.0));
    }
}
