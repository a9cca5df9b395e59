using System.Security.Claims;
using Marketplace.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Identity;

public sealed record MeResponse(string Id, string Email, string DisplayName, IReadOnlyList<string> Roles, Guid? OrganizationId, string? OrganizationName);

public sealed class AccountQueries(MarketplaceDbContext db)
{
    /// <summary>The signed-in user as the API describes them; null when the account is gone.</summary>
    public async Task<MeResponse?> MeAsync(ClaimsPrincipal principal, CancellationToken ct)
    {
        var id = principal.UserId();
        var user = await db.Users.Include(u => u.Organization).SingleOrDefaultAsync(u => u.Id == id, ct);
        if (user is null)
        {
            return null;
        }

        var roles = principal.FindAll(ClaimTypes.Role).Select(c => c.Value).Order(StringComparer.Ordinal).ToList();
        return new MeResponse(user.Id, user.Email ?? "", user.DisplayName, roles, user.OrganizationId, user.Organization?.Name);
    }
}
