using System.Security.Claims;
using Marketplace.Payouts;
using Marketplace.Web.Data;
using Marketplace.Web.Domain;
using Marketplace.Web.Identity;
using Marketplace.Web.Payments;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Marketplace.Web.Jobs;

/// <summary>What buyers (and admins) read about jobs: the list they may see, one job in full, its contributors.</summary>
public sealed class JobQueries(MarketplaceDbContext db, JobAccess access, JobPricing pricing, JobQuote quotes, IOptions<PayoutsOptions> payouts, TimeProvider clock)
{
    /// <summary>A buyer's organization's jobs, or every job for an admin; newest first.</summary>
    public async Task<List<JobSummary>> VisibleJobsAsync(ClaimsPrincipal user, CancellationToken ct)
    {
        var jobs = db.Jobs.AsNoTracking();
        if (!user.IsInRole(Roles.Admin))
        {
            var organizationId = await access.OrganizationOfAsync(user, ct);
            jobs = jobs.Where(j => j.OrganizationId == organizationId);
        }

        return await jobs
            .OrderByDescending(j => j.CreatedAt)
            .Select(j => new JobSummary(
                j.Id, j.Title, j.TaskType, j.Status, j.PayPerLabelMinor, j.Currency, j.Redundancy, j.BudgetMinor,
                db.Items.Count(i => i.JobId == j.Id && !i.IsGold),
                db.Items.Count(i => i.JobId == j.Id && i.IsGold),
                db.Items.Count(i => i.JobId == j.Id && !i.IsGold && i.FinalizedAt != null),
                j.CreatedAt))
            .ToListAsync(ct);
    }

    /// <summary>The job in full, if this user may see it: settings, counts, price, quote and progress.</summary>
    public async Task<JobDetails?> DetailsAsync(ClaimsPrincipal user, Guid id, CancellationToken ct) =>
        await access.FindVisibleAsync(user, id, ct) is { } job ? await DetailsAsync(job, ct) : null;

    public async Task<JobDetails> DetailsAsync(Job job, CancellationToken ct)
    {
        var items = await db.Items.CountAsync(i => i.JobId == job.Id && !i.IsGold, ct);
        var gold = await db.Items.CountAsync(i => i.JobId == job.Id && i.IsGold, ct);
        return new JobDetails(
            job.Id, job.Title, job.Instructions, job.TaskType, job.Labels, job.PayPerLabelMinor, job.Currency, job.Redundancy,
            job.TargetConfidence, job.GoldRate, job.AggregationMethod, job.AggregatedAt, job.AggregationSummary, job.MinimumTier, job.RequiredSkills, job.Languages, job.Deadline, job.BudgetMinor,
            job.Status, items, gold, pricing.Price(job, items), await quotes.ForAsync(job, items, ct),
            await JobProgressQuery.ForAsync(db, job, payouts.Value.PlatformFeeBasisPoints, clock.GetUtcNow().UtcDateTime, ct),
            job.CreatedAt);
    }

    /// <summary>The job's contributors as its last re-aggregation estimated them, most labels first.</summary>
    public Task<List<ContributorOnJob>> ContributorsAsync(Guid jobId, CancellationToken ct) =>
        (from e in db.JobContributorEstimates.AsNoTracking()
         join p in db.ContributorProfiles.AsNoTracking() on e.ContributorId equals p.UserId
         where e.JobId == jobId
         orderby e.Labels descending, p.Pseudonym
         select new ContributorOnJob(p.Pseudonym, e.Labels, e.Accuracy, e.Method, e.UpdatedAt)).ToListAsync(ct);
}
