using Marketplace.Web.Domain;

namespace Marketplace.Web.Audit;

/// <summary>The audit log in the admin console, <c>/api/admin/audit</c>: filtered pages, and the whole filtered log as CSV.</summary>
public static class AuditApi
{
    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder routes)
    {
        var audit = routes.MapGroup("/api/admin").WithTags("Admin").RequireAuthorization(Roles.Admin);
        audit.MapGet("/audit", async (string? action, string? actor, string? targetKind, string? targetId, DateTime? from, DateTime? to, long? before, AuditLog log, CancellationToken ct) =>
            TypedResults.Ok(await log.SearchAsync(new AuditFilter(action, actor, targetKind, targetId, from, to), before, ct)));
        audit.MapGet("/audit.csv", (string? action, string? actor, string? targetKind, string? targetId, DateTime? from, DateTime? to, AuditLog log, CancellationToken ct) =>
            TypedResults.Stream(
                stream => log.WriteCsvAsync(new AuditFilter(action, actor, targetKind, targetId, from, to), stream, ct),
                "text/csv; charset=utf-8",
                "audit.csv"));
        return routes;
    }
}
