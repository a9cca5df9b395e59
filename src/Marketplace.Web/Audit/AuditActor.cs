using System.Security.Claims;

namespace Marketplace.Web.Audit;

/// <summary>Who an audit entry names: a signed-in user, or the system itself.</summary>
public sealed record AuditActor(string Id, string Name)
{
    public const string SystemId = "system";

    public static readonly AuditActor System = new(SystemId, "system");

    public static AuditActor From(ClaimsPrincipal? user) =>
        user?.FindFirstValue(ClaimTypes.NameIdentifier) is { Length: > 0 } id
            ? new AuditActor(id, user.Identity?.Name ?? user.FindFirstValue(ClaimTypes.Email) ?? id)
            : System;
}
