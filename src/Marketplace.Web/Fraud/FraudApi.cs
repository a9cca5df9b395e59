using System.Security.Claims;
using Marketplace.Web.Admin;
using Marketplace.Web.Audit;
using Marketplace.Web.Domain;
using Marketplace.Web.Identity;
using Marketplace.Web.Tasks;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Web.Fraud;

/// <summary>Fraud cases for admins under <c>/api/admin/cases</c>; a contributor's standing and appeals under <c>/api/work</c>.</summary>
public static class FraudApi
{
    public static IEndpointRouteBuilder MapFraudEndpoints(this IEndpointRouteBuilder routes)
    {
        var cases = routes.MapGroup($"{AdminApi.Prefix}/cases").WithTags("Admin").RequireAuthorization(Roles.Admin);

        cases.MapGet("/", async Task<Results<Ok<CaseList>, ProblemHttpResult>> (string? status, string? kind, string? contributor, int? page, FraudQueries queries, CancellationToken ct) =>
        {
            var (list, field, error) = await queries.ListAsync(new CaseFilter(status, kind, contributor, page), ct);
            return list is not null ? TypedResults.Ok(list) : WorkService.Problem(StatusCodes.Status400BadRequest, "Invalid filter", error!, field);
        });

        cases.MapGet("/{id:guid}", async Task<Results<Ok<CaseDetail>, NotFound>> (Guid id, FraudQueries queries, CancellationToken ct) =>
            await queries.DetailAsync(id, ct) is { } detail ? TypedResults.Ok(detail) : TypedResults.NotFound());

        cases.MapPost("/{id:guid}/{action}", async Task<Results<Ok<CaseDetail>, ProblemHttpResult>> (Guid id, string action, CaseActionRequest request, ClaimsPrincipal user, FraudCases service, FraudQueries queries, CancellationToken ct) =>
        {
            if (!FraudCases.Actions.TryGetValue(action, out var kind))
            {
                return WorkService.Problem(StatusCodes.Status404NotFound, "No such action", $"Actions on a case are: {string.Join(", ", FraudCases.Actions.Keys)}.");
            }

            var outcome = await service.ActAsync(id, kind, request, user, ct);
            return outcome.Status == CaseOutcomeStatus.Done && await queries.DetailAsync(id, ct) is { } detail ? TypedResults.Ok(detail) : ToProblem(outcome);
        });

        // Runs the scan now, rather than waiting for the schedule.
        cases.MapPost("/scan", async (ClaimsPrincipal user, FraudScan scan, AuditLog audit, Data.MarketplaceDbContext db, CancellationToken ct) =>
        {
            var result = await scan.RunAsync(ct);
            audit.Record(AuditActor.From(user), "case.scan", "FraudScan", "manual", null, result);
            await db.SaveChangesAsync(ct);
            return TypedResults.Ok(result);
        });

        var work = routes.MapGroup("/api/work").WithTags("Work").RequireAuthorization(Roles.Contributor);
        work.MapGet("/standing", async (ClaimsPrincipal user, FraudQueries queries, CancellationToken ct) =>
            TypedResults.Ok(await queries.StandingAsync(AccountApi.UserId(user), ct)));
        work.MapPost("/appeals", async Task<Results<Ok<Standing>, ProblemHttpResult>> (AppealRequest request, ClaimsPrincipal user, FraudCases service, FraudQueries queries, CancellationToken ct) =>
        {
            var outcome = await service.AppealAsync(user, request, ct);
            return outcome.Status == CaseOutcomeStatus.Done ? TypedResults.Ok(await queries.StandingAsync(AccountApi.UserId(user), ct)) : ToProblem(outcome);
        });

        return routes;
    }

    public static ProblemHttpResult ToProblem(CaseOutcome outcome) => outcome.Status switch
    {
        CaseOutcomeStatus.NotFound => WorkService.Problem(StatusCodes.Status404NotFound, outcome.Title!, outcome.Detail!),
        CaseOutcomeStatus.Invalid => WorkService.Problem(StatusCodes.Status400BadRequest, outcome.Title!, outcome.Detail!, outcome.Field),
        CaseOutcomeStatus.Conflict => WorkService.Problem(StatusCodes.Status409Conflict, outcome.Title!, outcome.Detail!),
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome.Status, "Not a failure."),
    };
}
