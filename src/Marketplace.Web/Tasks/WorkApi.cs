using System.Security.Claims;
using Marketplace.Web.Domain;
using Marketplace.Web.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Web.Tasks;

/// <summary>The contributor's REST API: qualification, feed, claim, submit, release, dashboard.</summary>
public static class WorkApi
{
    public static IEndpointRouteBuilder MapWorkEndpoints(this IEndpointRouteBuilder routes)
    {
        var work = routes.MapGroup("/api/work").WithTags("Work").RequireAuthorization(Roles.Contributor);

        work.MapGet("/feed", (ClaimsPrincipal user, ContributorQueries queries, CancellationToken ct) =>
            queries.FeedAsync(AccountApi.UserId(user), ct));

        work.MapGet("/dashboard", async Task<Results<Ok<Dashboard>, NotFound>> (ClaimsPrincipal user, ContributorQueries queries, CancellationToken ct) =>
            await queries.DashboardAsync(AccountApi.UserId(user), ct) is { } dashboard ? TypedResults.Ok(dashboard) : TypedResults.NotFound());

        work.MapGet("/qualifications", (ClaimsPrincipal user, QualificationService service, CancellationToken ct) =>
            service.SummariesAsync(AccountApi.UserId(user), ct));

        work.MapPost("/qualifications/{taskType}", (TaskType taskType, ClaimsPrincipal user, QualificationService service, CancellationToken ct) =>
            service.StartAsync(user, taskType, ct));

        work.MapGet("/qualifications/{taskType}", async Task<Results<Ok<QualificationResult>, NotFound>> (TaskType taskType, ClaimsPrincipal user, QualificationService service, CancellationToken ct) =>
            await service.LatestAsync(user, taskType, ct) is { } result ? TypedResults.Ok(result) : TypedResults.NotFound());

        // Claim the next task of one job, or of any job this contributor may do (ranked by WorkService.RankJobs).
        work.MapPost("/jobs/{jobId:guid}/claim", (Guid jobId, ClaimsPrincipal user, WorkService service, CancellationToken ct) =>
            service.ClaimAsync(user, jobId, ct));

        work.MapPost("/claim", (ClaimsPrincipal user, WorkService service, CancellationToken ct) =>
            service.ClaimAsync(user, null, ct));

        work.MapGet("/assignments/{id:guid}", async Task<Results<Ok<TaskView>, NotFound>> (Guid id, ClaimsPrincipal user, WorkService service, CancellationToken ct) =>
            await service.FindOpenAsync(user, id, ct) is { } view ? TypedResults.Ok(view) : TypedResults.NotFound());

        work.MapPost("/assignments/{id:guid}/submit", (Guid id, SubmitRequest request, ClaimsPrincipal user, WorkService service, CancellationToken ct) =>
            service.SubmitAsync(user, id, request, ct));

        work.MapPost("/assignments/{id:guid}/release", (Guid id, ClaimsPrincipal user, WorkService service, CancellationToken ct) =>
            service.ReleaseAsync(user, id, ct));

        return routes;
    }
}
