using System.Security.Claims;
using Marketplace.Web.Data;
using Marketplace.Web.Identity;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Jobs;

public sealed record JobSummary(Guid Id, string Title, TaskType TaskType, JobStatus Status, long PayPerLabelMinor, string Currency, int Redundancy, long BudgetMinor, int Items, int GoldItems, int FinalizedItems, DateTime CreatedAt);

/// <summary>The jobs a user may see: a buyer their organization's, an admin all.</summary>
public sealed class JobQueries(MarketplaceDbContext db)
{
    public async Task<List<JobSummary>> VisibleJobsAsync(ClaimsPrincipal user, CancellationToken ct)
    {
        var jobs = db.Jobs.AsNoTracking();
        if (!user.IsInRole(Roles.Admin))
        {
            var userId = AccountApi.UserId(user);
            var organizationId = await db.Users.Where(u => u.Id == userId).Select(u => u.OrganizationId).SingleOrDefaultAsync(ct);
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
}

public static class JobsApi
{
    public static IEndpointRouteBuilder MapJobsEndpoints(this IEndpointRouteBuilder routes)
    {
        var jobs = routes.MapGroup("/api/jobs").WithTags("Jobs").RequireAuthorization(Policies.BuyerOrAdmin);
        jobs.MapGet("/", async (ClaimsPrincipal user, JobQueries queries, CancellationToken ct) =>
            TypedResults.Ok(await queries.VisibleJobsAsync(user, ct)));
        return routes;
    }
}
