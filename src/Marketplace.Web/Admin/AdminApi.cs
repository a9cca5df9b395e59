using Marketplace.Web.Identity;

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
        admin.MapTierEndpoints();
        return routes;
    }
}
