using Marketplace.Payouts;
using Marketplace.Web.Audit;
using Marketplace.Web.Data;
using Marketplace.Web.Domain;
using Marketplace.Web.Jobs;
using Marketplace.Web.Quality;
using Marketplace.Web.Tasks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Marketplace.Web.Admin;

public sealed record ContributorRow(string UserId, string Email, string Pseudonym, string Tier, int GoldCorrect, int GoldAnswers, int Labels, DateTime? SuspendedAt, DateTime CreatedAt);

public sealed record AccuracyWeek(DateOnly WeekOf, int GoldAnswers, int GoldCorrect)
{
    public double Share => GoldAnswers == 0 ? 0 : (double)GoldCorrect / GoldAnswers;
}

public sealed record RecentLabel(Guid AssignmentId, Guid JobId, string JobTitle, AssignmentKind Kind, AssignmentStatus Status, string? Answer, bool? IsCorrect, int? DurationMs, DateTime? EndedAt);

public sealed record CaseLine(Guid Id, FraudCaseKind Kind, FraudCaseStatus Status, string Summary, DateTime OpenedAt, DateTime? ClosedAt);

public sealed record ContributorInspection(
    ContributorRow Contributor,
    Dashboard Dashboard,
    IReadOnlyList<AccuracyWeek> AccuracyHistory,
    IReadOnlyList<TierHistoryEntry> TierHistory,
    IReadOnlyList<Payout> Payouts,
    IReadOnlyList<CaseLine> Cases,
    IReadOnlyList<RecentLabel> RecentLabels,
    IReadOnlyList<AuditLine> Audit);

public sealed record JobRow(Guid Id, string Title, string Organization, JobStatus Status, TaskType TaskType, long PayPerLabelMinor, string Currency, int Items, DateTime CreatedAt);

public sealed record JobInspection(JobRow Row, Job Job, JobProgress Progress, Money Escrow, IReadOnlyList<ContributorShare> TopContributors, IReadOnlyList<AuditLine> Audit);

public sealed record ContributorShare(string UserId, string Pseudonym, int Labels, int GoldAnswers, int GoldCorrect);

public sealed record ChartPoint(string Label, double Value);

/// <summary>How big the market is: organizations, contributors, jobs and items.</summary>
public sealed record PoolCounts(int Organizations, int Contributors, int Jobs, int Items);

/// <summary>The pool at a glance, for the admin overview's charts.</summary>
public sealed record PoolCharts(IReadOnlyList<ChartPoint> AccuracyDistribution, IReadOnlyList<ChartPoint> LabelsPerDay, IReadOnlyList<ChartPoint> FraudCasesPerDay, IReadOnlyList<ChartPoint> PayoutsPerWeek, IReadOnlyList<ChartPoint> PayoutAmountPerWeek);

/// <summary>Search and inspect any contributor or job, and the pool-wide figures behind the charts.</summary>
public sealed class AdminInsights(
    MarketplaceDbContext db,
    ContributorDashboard contributors,
    TierOverrides tiers,
    PayoutQueries payouts,
    EscrowQueries escrow,
    TimeProvider clock,
    ContributorAccuracy gold,
    IOptions<PayoutsOptions> money)
{
    public const int SearchLimit = 100;

    public async Task<PoolCounts> CountsAsync(CancellationToken ct) => new(
        await db.Organizations.CountAsync(ct), await db.ContributorProfiles.CountAsync(ct), await db.Jobs.CountAsync(ct), await db.Items.CountAsync(ct));

    /// <summary>By email or pseudonym (contains, case-insensitive) or exact user id; newest first.</summary>
    public async Task<IReadOnlyList<ContributorRow>> SearchContributorsAsync(string? q, bool suspendedOnly, CancellationToken ct)
    {
        var profiles = db.ContributorProfiles.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(q))
        {
            var term = q.Trim().ToLowerInvariant();
            profiles = profiles.Where(p => p.UserId == q.Trim() || p.Pseudonym.ToLower().Contains(term) || p.User!.Email!.ToLower().Contains(term));
        }

        if (suspendedOnly)
        {
            profiles = profiles.Where(p => p.SuspendedAt != null);
        }

        return await Rows(profiles.OrderByDescending(p => p.CreatedAt).Take(SearchLimit)).ToListAsync(ct);
    }

    public async Task<ContributorInspection?> ContributorAsync(string userId, CancellationToken ct)
    {
        var row = await Rows(db.ContributorProfiles.AsNoTracking().Where(p => p.UserId == userId)).SingleOrDefaultAsync(ct);
        if (row is null || await contributors.ReadAsync(userId, ct) is not { } dashboard)
        {
            return null;
        }

        var since = clock.GetUtcNow().UtcDateTime.AddDays(-7 * 26);
        var gold = await db.Assignments.AsNoTracking()
            .Where(a => a.ContributorId == userId && a.IsCorrect != null && a.EndedAt >= since)
            .Select(a => new { a.EndedAt, a.IsCorrect })
            .ToListAsync(ct);
        var history = gold.GroupBy(g => WeekOf(g.EndedAt!.Value))
            .OrderBy(g => g.Key)
            .Select(g => new AccuracyWeek(g.Key, g.Count(), g.Count(x => x.IsCorrect == true)))
            .ToList();
        var recent = await (
            from a in db.Assignments.AsNoTracking()
            join j in db.Jobs.AsNoTracking() on a.JobId equals j.Id
            where a.ContributorId == userId && a.EndedAt != null
            orderby a.EndedAt descending
            select new RecentLabel(a.Id, a.JobId, j.Title, a.Kind, a.Status, a.Answer, a.IsCorrect, a.DurationMs, a.EndedAt)).Take(50).ToListAsync(ct);
        var audit = await AuditAboutAsync(userId, ct);
        var cases = await db.Set<FraudCase>().AsNoTracking().Where(f => f.ContributorId == userId).OrderByDescending(f => f.OpenedAt)
            .Select(f => new CaseLine(f.Id, f.Kind, f.Status, f.Summary, f.OpenedAt, f.ClosedAt)).ToListAsync(ct);
        return new ContributorInspection(row, dashboard, history, await tiers.HistoryAsync(userId, ct), await payouts.PayoutsOfContributorAsync(userId, 50, ct), cases, recent, audit);
    }

    /// <summary>By title or organization name (contains) or exact id; newest first.</summary>
    public async Task<IReadOnlyList<JobRow>> SearchJobsAsync(string? q, JobStatus? status, CancellationToken ct)
    {
        var jobs = db.Jobs.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(q))
        {
            var term = q.Trim().ToLowerInvariant();
            var id = Guid.TryParse(q.Trim(), out var parsed) ? parsed : Guid.Empty;
            jobs = jobs.Where(j => j.Id == id || j.Title.ToLower().Contains(term)
                || db.Organizations.Any(o => o.Id == j.OrganizationId && o.Name.ToLower().Contains(term)));
        }

        if (status is { } s)
        {
            jobs = jobs.Where(j => j.Status == s);
        }

        return await JobRows(jobs.OrderByDescending(j => j.CreatedAt).Take(SearchLimit)).ToListAsync(ct);
    }

    public async Task<JobInspection?> JobAsync(Guid id, CancellationToken ct)
    {
        var job = await db.Jobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == id, ct);
        if (job is null)
        {
            return null;
        }

        var row = await JobRows(db.Jobs.AsNoTracking().Where(j => j.Id == id)).SingleAsync(ct);
        var progress = await JobProgressQuery.ForAsync(db, job, money.Value.PlatformFeeBasisPoints, clock.GetUtcNow().UtcDateTime, ct);
        var top = await (
            from a in db.Assignments.AsNoTracking()
            where a.JobId == id && a.Status == AssignmentStatus.Submitted && a.Kind != AssignmentKind.Qualification
            group a by a.ContributorId into g
            select new { UserId = g.Key, Labels = g.Count(), Gold = g.Count(a => a.IsCorrect != null), Correct = g.Count(a => a.IsCorrect == true) })
            .OrderByDescending(g => g.Labels).Take(20).ToListAsync(ct);
        var ids = top.Select(t => t.UserId).ToList();
        var names = await db.ContributorProfiles.AsNoTracking().Where(p => ids.Contains(p.UserId)).ToDictionaryAsync(p => p.UserId, p => p.Pseudonym, ct);
        return new JobInspection(
            row,
            job,
            progress,
            await escrow.BalanceAsync(id, job.Currency, ct),
            top.Select(t => new ContributorShare(t.UserId, names.GetValueOrDefault(t.UserId, "?"), t.Labels, t.Gold, t.Correct)).ToList(),
            await AuditAboutAsync(id.ToString(), ct));
    }

    public async Task<PoolCharts> ChartsAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;

        // Accuracy: each contributor's posterior mean over all their gold answers, in 5-point buckets.
        var records = await db.Qualifications.AsNoTracking()
            .GroupBy(q => q.ContributorId)
            .Select(g => new { Correct = g.Sum(q => q.GoldCorrect), Wrong = g.Sum(q => q.GoldWrong) })
            .Where(r => r.Correct + r.Wrong > 0)
            .ToListAsync(ct);
        var buckets = new int[20];
        foreach (var r in records)
        {
            var mean = gold.Mean(r.Correct, r.Wrong);
            buckets[Math.Min(19, (int)(mean * 20))]++;
        }

        var accuracy = buckets.Select((count, i) => new ChartPoint($"{i * 5}–{(i + 1) * 5}%", count)).ToList();

        // Labels per day over the last 30 days: counted in the database, one row per day.
        var since = now.Date.AddDays(-29);
        var perDay = await db.Assignments.AsNoTracking()
            .Where(a => a.Status == AssignmentStatus.Submitted && a.Kind != AssignmentKind.Qualification && a.EndedAt >= since)
            .GroupBy(a => a.EndedAt!.Value.Date)
            .Select(g => new { Day = g.Key, Count = g.Count() })
            .ToListAsync(ct);
        var opened = await db.Set<FraudCase>().AsNoTracking()
            .Where(f => f.OpenedAt >= since)
            .GroupBy(f => f.OpenedAt.Date)
            .Select(g => new { Day = g.Key, Count = g.Count() })
            .ToListAsync(ct);
        var days = Enumerable.Range(0, 30).Select(d => since.AddDays(d)).ToList();
        var labels = days.Select(day => new ChartPoint(Label(day), perDay.Where(p => p.Day == day).Sum(p => p.Count))).ToList();
        var cases = days.Select(day => new ChartPoint(Label(day), opened.Where(p => p.Day == day).Sum(p => p.Count))).ToList();

        // Payouts per week over the last 12 weeks (paid ones), by count and amount.
        var firstWeek = WeekOf(now).AddDays(-7 * 11);
        var weekStart = firstWeek.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var paid = await db.Payouts.AsNoTracking()
            .Where(p => p.State == PayoutState.Paid && p.UpdatedAt >= weekStart)
            .GroupBy(p => p.UpdatedAt.Date)
            .Select(g => new { Day = g.Key, Count = g.Count(), Amount = g.Sum(p => p.AmountMinor) })
            .ToListAsync(ct);
        var weeks = Enumerable.Range(0, 12).Select(w => firstWeek.AddDays(7 * w)).ToList();
        var payoutCount = weeks.Select(w => new ChartPoint(Label(w), paid.Where(p => WeekOf(p.Day) == w).Sum(p => p.Count))).ToList();
        var payoutAmount = weeks.Select(w => new ChartPoint(Label(w), paid.Where(p => WeekOf(p.Day) == w).Sum(p => p.Amount) / 100.0)).ToList();
        return new PoolCharts(accuracy, labels, cases, payoutCount, payoutAmount);

        static string Label(IFormattable day) => day.ToString("MM-dd", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The Monday starting the week of a UTC time.</summary>
    public static DateOnly WeekOf(DateTime at)
    {
        var day = DateOnly.FromDateTime(at);
        return day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
    }

    private Task<List<AuditLine>> AuditAboutAsync(string targetId, CancellationToken ct) =>
        db.AuditEntries.AsNoTracking().Where(e => e.TargetId == targetId).OrderByDescending(e => e.Id).Take(50)
            .Select(e => new AuditLine(e.Id, e.At, e.ActorId, e.ActorName, e.Action, e.TargetKind, e.TargetId, e.Reason, e.Details)).ToListAsync(ct);

    private IQueryable<ContributorRow> Rows(IQueryable<ContributorProfile> profiles) =>
        from p in profiles
        select new ContributorRow(
            p.UserId,
            p.User!.Email ?? "",
            p.Pseudonym,
            p.Tier,
            db.Qualifications.Where(q => q.ContributorId == p.UserId).Sum(q => q.GoldCorrect),
            db.Qualifications.Where(q => q.ContributorId == p.UserId).Sum(q => q.GoldCorrect + q.GoldWrong),
            db.Assignments.Count(a => a.ContributorId == p.UserId && a.Status == AssignmentStatus.Submitted && a.Kind != AssignmentKind.Qualification),
            p.SuspendedAt,
            p.CreatedAt);

    private IQueryable<JobRow> JobRows(IQueryable<Job> jobs) =>
        from j in jobs
        select new JobRow(
            j.Id,
            j.Title,
            db.Organizations.Where(o => o.Id == j.OrganizationId).Select(o => o.Name).FirstOrDefault() ?? "",
            j.Status,
            j.TaskType,
            j.PayPerLabelMinor,
            j.Currency,
            db.Items.Count(i => i.JobId == j.Id && !i.IsGold),
            j.CreatedAt);
}
