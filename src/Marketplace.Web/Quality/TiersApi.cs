using System.Security.Claims;
using Marketplace.Web.Domain;
using Marketplace.Web.Hosting;

namespace Marketplace.Web.Quality;

/// <summary>Quality tiers in the admin console, <c>/api/admin/tiers</c>: the tier set's versions, and per-contributor overrides.</summary>
public static class TiersApi
{
    public static IEndpointRouteBuilder MapTiersApi(this IEndpointRouteBuilder routes)
    {
        var tiers = routes.MapGroup("/api/admin/tiers").WithTags("Admin").RequireAuthorization(Roles.Admin);
        tiers.MapGet("/", (TierVersions versions, CancellationToken ct) => versions.CurrentAsync(ct));
        tiers.MapGet("/versions", (TierVersions versions, CancellationToken ct) => versions.ListAsync(ct));
        tiers.MapPost("/preview", async (PreviewTiersRequest request, TierVersions versions, CancellationToken ct) =>
            (await versions.PreviewAsync(request, ct)).ToResult(TypedResults.Ok));
        tiers.MapPut("/", async (SaveTiersRequest request, ClaimsPrincipal user, TierVersions versions, CancellationToken ct) =>
            (await versions.SaveAsync(user, request, ct)).ToResult(TypedResults.Ok));
        tiers.MapGet("/overrides", (TierOverrides overrides, CancellationToken ct) => overrides.ListAsync(ct));
        tiers.MapPost("/overrides/{contributorId}", async (string contributorId, TierOverrideRequest request, ClaimsPrincipal user, TierOverrides overrides, CancellationToken ct) =>
            (await overrides.SetAsync(user, contributorId, request, ct)).ToResult(TypedResults.Ok));
        tiers.MapDelete("/overrides/{contributorId}", async (string contributorId, string? reason, ClaimsPrincipal user, TierOverrides overrides, CancellationToken ct) =>
            (await overrides.RemoveAsync(user, contributorId, reason, ct)).ToResult());
        tiers.MapGet("/history/{contributorId}", (string contributorId, TierOverrides overrides, CancellationToken ct) => overrides.HistoryAsync(contributorId, ct));
        return routes;
    }
}
