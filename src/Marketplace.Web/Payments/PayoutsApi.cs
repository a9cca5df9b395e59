using System.Security.Claims;
using Marketplace.Payouts;
using Marketplace.Web.Domain;
using Marketplace.Web.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Web.Payments;

/// <summary>Payout runs in the admin console, <c>/api/admin/payouts</c>: trigger, pause, resume, retry, return, settle by lookup, claw back, reconcile.</summary>
public static class PayoutsApi
{
    public static IEndpointRouteBuilder MapPayoutsApi(this IEndpointRouteBuilder routes)
    {
        var payouts = routes.MapGroup("/api/admin/payouts").WithTags("Payouts").RequireAuthorization(Roles.Admin);
        payouts.MapPost("/runs", async (ClaimsPrincipal user, PayoutOversight oversight, CancellationToken ct) =>
            TypedResults.Accepted((string?)null, new { runKey = await oversight.TriggerRunAsync(user, ct) }));
        payouts.MapGet("/runs", async (PayoutOversight oversight, CancellationToken ct) => TypedResults.Ok(await oversight.RecentRunsAsync(ct)));
        payouts.MapGet("/runs/{id:guid}", async Task<Results<Ok<RunView>, NotFound>> (Guid id, PayoutQueries queries, CancellationToken ct) =>
            await queries.RunAsync(id, ct) is { } run ? TypedResults.Ok(new RunView(run, (await queries.PayoutsOfRunAsync(id, ct)).Select(PayoutLine.Of).ToList())) : TypedResults.NotFound());
        payouts.MapPost("/runs/{id:guid}/pause", async (Guid id, ClaimsPrincipal user, PayoutOversight oversight, CancellationToken ct) =>
            (await oversight.SetPausedAsync(user, id, true, ct)).ToResult());
        payouts.MapPost("/runs/{id:guid}/resume", async (Guid id, ClaimsPrincipal user, PayoutOversight oversight, CancellationToken ct) =>
            (await oversight.SetPausedAsync(user, id, false, ct)).ToResult());
        payouts.MapPost("/{id:guid}/retry", async (Guid id, ClaimsPrincipal user, PayoutOversight oversight, CancellationToken ct) =>
            (await oversight.RetryAsync(user, id, ct)).ToResult());
        payouts.MapPost("/{id:guid}/return", async (Guid id, ReturnPayoutRequest? request, ClaimsPrincipal user, PayoutOversight oversight, CancellationToken ct) =>
            (await oversight.ReturnAsync(user, id, request?.Reason, ct)).ToResult());
        payouts.MapPost("/{id:guid}/settle", async (Guid id, ClaimsPrincipal user, PayoutOversight oversight, CancellationToken ct) =>
            (await oversight.SettleAsync(user, id, ct)).ToResult(result => TypedResults.Ok(new SettlementView(result.State.ToString(), result.Reason))));
        payouts.MapPost("/{id:guid}/clawback", async (Guid id, ClawbackPayoutRequest? request, ClaimsPrincipal user, PayoutOversight oversight, CancellationToken ct) =>
            (await oversight.ClawBackAsync(user, request ?? new ClawbackPayoutRequest(null, null, null, null), id, ct)).ToResult(result => TypedResults.Ok(new ClawbackView(
                result.Status.ToString(), request!.AmountMinor!.Value, result.ClawedBackSoFar?.MinorUnits, result.ReversalId))));
        payouts.MapGet("/reconciliation", async (DateTime? from, DateTime? to, ReconcileLedger reconcile, TimeProvider clock, CancellationToken ct) =>
        {
            var end = to?.ToUniversalTime() ?? clock.GetUtcNow().UtcDateTime;
            return TypedResults.Ok(await reconcile.ExecuteAsync(from?.ToUniversalTime() ?? end.AddDays(-30), end, ct));
        });
        return routes;
    }

    public sealed record RunView(PayoutRunSummary Run, IReadOnlyList<PayoutLine> Payouts);

    public sealed record SettlementView(string State, string? Reason);

    public sealed record ClawbackView(string Status, long AmountMinor, long? ClawedBackMinor, string? ReversalId);
}
