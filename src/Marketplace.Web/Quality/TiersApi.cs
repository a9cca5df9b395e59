using System.Security.Claims;

namespace Marketplace.Web.Quality;

/// <summary>Quality tiers in the admin console: <c>/api/admin/tiers</c>. The group it is mapped on is admins-only.</summary>
public static class TiersApi
{
    public static RouteGroupBuilder MapTierEndpoints(this RouteGroupBuilder admin)
    {
        var tiers = admin.MapGroup("/tiers");
        tiers.MapGet("/", (TierAdministration tiers, CancellationToken ct) => tiers.CurrentAsync(ct));
        tiers.MapGet("/versions", (TierAdministration tiers, CancellationToken ct) => tiers.VersionsAsync(ct));
        tiers.MapPost("/preview", (PreviewTiersRequest request, TierAdministration tiers, CancellationToken ct) => tiers.PreviewAsync(request, ct));
        tiers.MapPut("/", (SaveTiersRequest request, ClaimsPrincipal user, TierAdministration tiers, CancellationToken ct) => tiers.SaveAsync(user, request, ct));
        tiers.MapGet("/overrides", (TierAdministration tiers, CancellationToken ct) => tiers.OverridesAsync(ct));
        tiers.MapPost("/overrides/{contributorId}", (string contributorId, TierOverrideRequest request, ClaimsPrincipal user, TierAdministration tiers, CancellationToken ct) =>
            tiers.SetOverrideAsync(user, contributorId, request, ct));
        tiers.MapDelete("/overrides/{contributorId}", (string contributorId, string? reason, ClaimsPrincipal user, TierAdministration tiers, CancellationToken ct) =>
            tiers.RemoveOverrideAsync(user, contributorId, reason, ct));
        tiers.MapGet("/history/{contributorId}", (string contributorId, TierAdministration tiers, CancellationToken ct) => tiers.HistoryAsync(contributorId, ct));
        return admin;
    }
}
