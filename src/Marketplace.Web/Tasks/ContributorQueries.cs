using Marketplace.Scoring.Quality;
using Marketplace.Web.Data;
using Marketplace.Web.Domain;
using Marketplace.Web.Quality;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Marketplace.Web.Tasks;

/// <summary>What a contributor reads: the task feed and their dashboard.</summary>
public sealed class ContributorQueries(
    MarketplaceDbContext db,
    QualificationService qualifications,
    Marketplace.Payouts.PayoutQueries payouts,
    TierCatalog tierSets,
    TimeProvider clock,
    IOptions<WorkOptions> options)
{
    /// <summary>Seconds a task is assumed to take on a job nobody has labelled yet.</summary>
    public const int DefaultTaskSeconds = 30;

    private WorkOptions Options => options.Value;

    /// <summary>
    /// Every active job, ranked by the routing rule: those this contributor may do now first (with items
    /// left for them), then the rest with the reason they cannot.
    /// </summary>
    public async Task<IReadOnlyList<FeedEntry>> FeedAsync(string userId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var profile = await db.ContributorProfiles.AsNoTracking().SingleOrDefaultAsync(p => p.UserId == userId, ct);
        var standings = await db.Qualifications.AsNoTracking().Where(q => q.ContributorId == userId).ToDictionaryAsync(q => q.TaskType, ct);
        var tierSet = await tierSets.CurrentAsync(db, ct);
        var jobs = WorkService.RankJobs(await db.Jobs.AsNoTracking().Where(j => j.Status == JobStatus.Active).ToListAsync(ct), now).ToList();
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
            var reason = WorkService.Ineligibility(profile, standings.GetValueOrDefault(job.TaskType), job, tierSet);
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

    public async Task<Dashboard?> DashboardAsync(string userId, CancellationToken ct)
    {
        var profile = await db.ContributorProfiles.AsNoTracking().SingleOrDefaultAsync(p => p.UserId == userId, ct);
        if (profile is null)
        {
            return null;
        }

        var summaries = await qualifications.SummariesAsync(userId, ct);
        var correct = summaries.Sum(s => s.Accuracy.GoldCorrect);
        var total = summaries.Sum(s => s.Accuracy.GoldAnswers);
        var posterior = BetaPosterior.From(correct, total - correct, Options.Prior);
        var tierSet = await tierSets.CurrentAsync(db, ct);
        var decision = tierSet.Policy.Evaluate(posterior, profile.Tier);
        var rank = tierSet.RankOf(profile.Tier);
        var tiers = tierSet.Tiers;
        var next = rank + 1 < tiers.Count ? tiers[rank + 1] : null;
        var nextNeeds = next is null
            ? "You are in the top tier."
            : string.Join("; ", new[]
            {
                total < next.MinGoldCount ? $"needs {next.MinGoldCount - total} more gold answers" : null,
                posterior.LowerBound95 < next.MinLowerBound ? $"accuracy lower bound {posterior.LowerBound95:0.00} < {next.MinLowerBound:0.00}" : null,
            }.Where(s => s is not null)) is { Length: > 0 } needs ? $"{next.Name} {needs}." : decision.Reason;

        var dayAgo = clock.GetUtcNow().UtcDateTime.AddDays(-1);
        var paid = db.Assignments.AsNoTracking().Where(a => a.ContributorId == userId && a.Status == AssignmentStatus.Submitted && a.Kind != AssignmentKind.Qualification);
        var done = await paid.CountAsync(ct);
        var today = await paid.CountAsync(a => a.EndedAt > dayAgo, ct);
        var balances = await payouts.BalancesAsync(userId, ct);

        return new Dashboard(
            profile.Pseudonym,
            qualifications.Accuracy(correct, total - correct),
            new TierProgress(profile.Tier, next?.Name, nextNeeds),
            summaries, done, today, balances, profile.SuspendedAt);
    }
}
