using System.Security.Claims;
using Marketplace.Web.Domain;
using Marketplace.Web.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Web.Fraud;

/// <summary>Fraud cases in the admin console, <c>/api/admin/cases</c>: list, inspect, decide, and scan now. (A contributor's standing and appeals are under <c>/api/work</c>.)</summary>
public static class FraudApi
{
    public static IEndpointRouteBuilder MapFraudApi(this IEndpointRouteBuilder routes)
    {
        var cases = routes.MapGroup("/api/admin/cases").WithTags("Admin").RequireAuthorization(Roles.Admin);

        cases.MapGet("/", async Task<Results<Ok<CaseList>, ProblemHttpResult>> (string? status, string? kind, string? contributor, int? page, FraudQueries queries, CancellationToken ct) =>
            (await queries.ListAsync(new CaseFilter(status, kind, contributor, page), ct)).ToResult(TypedResults.Ok));
        cases.MapGet("/{id:guid}", async Task<Results<Ok<CaseDetail>, NotFound>> (Guid id, FraudQueries queries, CancellationToken ct) =>
            await queries.DetailAsync(id, ct) is { } detail ? TypedResults.Ok(detail) : TypedResults.NotFound());
        cases.MapPost("/{id:guid}/{action}", DecideAsync);

        // Runs the scan now, rather than waiting for the schedule.
        cases.MapPost("/scan", async (ClaimsPrincipal user, FraudScan scan, CancellationToken ct) => TypedResults.Ok(await scan.RunNowAsync(user, ct)));
        return routes;
    }

    private static async Task<Results<Ok<CaseDetail>, ProblemHttpResult>> DecideAsync(Guid id, string action, CaseActionRequest request, ClaimsPrincipal user, DecideCase decide, FraudQueries queries, CancellationToken ct)
    {
        if (!DecideCase.Actions.TryGetValue(action, out var kind))
        {
            return Failure.Missing("No such action", $"Actions on a case are: {string.Join(", ", DecideCase.Actions.Keys)}.").ToProblem();
        }

        if (await decide.ExecuteAsync(id, kind, request, user, ct) is { } failure)
        {
            return failure.ToProblem();
        }

        return await queries.DetailAsync(id, ct) is { } detail ? TypedResults.Ok(detail) : AppealCase.CaseNotFound.ToProblem();
    }
}
