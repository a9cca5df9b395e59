using Marketplace.Web.Audit;
using Marketplace.Web.Domain;
using Marketplace.Web.Quality;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Web.Admin;

/// <summary>The admin console's API: everything under <c>/api/admin</c>, for admins only.</summary>
public static class AdminApi
{
    public const string Prefix = "/api/admin";

    public static IEndpointRouteBuilder MapAdminEndpoints(this IEndpointRouteBuilder routes)
    {
        var admin = routes.MapGroup(Prefix).WithTags("Admin").RequireAuthorization(Roles.Admin);
        admin.MapGet("/audit", async (string? action, string? actor, string? targetKind, string? targetId, DateTime? from, DateTime? to, long? before, AuditLog audit, CancellationToken ct) =>
            TypedResults.Ok(await audit.SearchAsync(new AuditFilter(action, actor, targetKind, targetId, from, to), before, ct)));
        admin.MapGet("/audit.csv", (string? action, string? actor, string? targetKind, string? targetId, DateTime? from, DateTime? to, AuditLog audit, CancellationToken ct) =>
            TypedResults.Stream(
                stream => audit.WriteCsvAsync(new AuditFilter(action, actor, targetKind, targetId, from, to), stream, ct),
                "text/csv; charset=utf-8",
                "audit.csv"));
        admin.MapGet("/contributors", async (string? q, bool? suspended, AdminInsights insights, CancellationToken ct) =>
            TypedResults.Ok(await insights.SearchContributorsAsync(q, suspended == true, ct)));
        admin.MapGet("/contributors/{id}", async Task<Results<Ok<ContributorInspection>, NotFound>> (string id, AdminInsights insights, CancellationToken ct) =>
            await insights.ContributorAsync(id, ct) is { } found ? TypedResults.Ok(found) : TypedResults.NotFound());
        admin.MapGet("/jobs", async (string? q, JobStatus? status, AdminInsights insights, CancellationToken ct) =>
            TypedResults.Ok(await insights.SearchJobsAsync(q, status, ct)));
        admin.MapGet("/jobs/{id:guid}", async Task<Results<Ok<JobInspection>, NotFound>> (Guid id, AdminInsights insights, CancellationToken ct) =>
            await insights.JobAsync(id, ct) is { } found ? TypedResults.Ok(found) : TypedResults.NotFound());
        admin.MapGet("/charts", async (AdminInsights insights, CancellationToken ct) => TypedResults.Ok(await insights.ChartsAsync(ct)));
        admin.MapTierEndpoints();
        return routes;
    }
}
