using Marketplace.Web.Domain;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Web.Admin;

/// <summary>The console's own API under <c>/api/admin</c>: search and inspect contributors and jobs, and the pool's charts.</summary>
public static class AdminApi
{
    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder routes)
    {
        var admin = routes.MapGroup("/api/admin").WithTags("Admin").RequireAuthorization(Roles.Admin);
        admin.MapGet("/contributors", async (string? q, bool? suspended, AdminInsights insights, CancellationToken ct) =>
            TypedResults.Ok(await insights.SearchContributorsAsync(q, suspended == true, ct)));
        admin.MapGet("/contributors/{id}", async Task<Results<Ok<ContributorInspection>, NotFound>> (string id, AdminInsights insights, CancellationToken ct) =>
            await insights.ContributorAsync(id, ct) is { } found ? TypedResults.Ok(found) : TypedResults.NotFound());
        admin.MapGet("/jobs", async (string? q, JobStatus? status, AdminInsights insights, CancellationToken ct) =>
            TypedResults.Ok(await insights.SearchJobsAsync(q, status, ct)));
        admin.MapGet("/jobs/{id:guid}", async Task<Results<Ok<JobInspection>, NotFound>> (Guid id, AdminInsights insights, CancellationToken ct) =>
            await insights.JobAsync(id, ct) is { } found ? TypedResults.Ok(found) : TypedResults.NotFound());
        admin.MapGet("/charts", async (AdminInsights insights, CancellationToken ct) => TypedResults.Ok(await insights.ChartsAsync(ct)));
        return routes;
    }
}
