using System.Security.Claims;
using Marketplace.Web.Data;
using Marketplace.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Identity;

/// <summary>
/// Which jobs a user may see: an admin every job, a buyer their organization's, anyone else none. A job someone may
/// not see is reported as missing (404, never 403), so ids leak nothing.
/// </summary>
public sealed class JobAccess(MarketplaceDbContext db)
{
    /// <summary>The job, tracked, if this user may see it; otherwise null.</summary>
    public async Task<Job?> FindVisibleAsync(ClaimsPrincipal user, Guid id, CancellationToken ct)
    {
        var job = await db.Jobs.SingleOrDefaultAsync(j => j.Id == id, ct);
        if (job is null || user.IsInRole(Roles.Admin))
        {
            return job;
        }

        return job.OrganizationId == await OrganizationOfAsync(user, ct) ? job : null;
    }

    public async Task<bool> CanSeeAsync(ClaimsPrincipal user, Guid id, CancellationToken ct)
    {
        if (user.IsInRole(Roles.Admin))
        {
            return await db.Jobs.AnyAsync(j => j.Id == id, ct);
        }

        var organization = await OrganizationOfAsync(user, ct);
        return organization is not null && await db.Jobs.AnyAsync(j => j.Id == id && j.OrganizationId == organization, ct);
    }

    /// <summary>The user's organization (buyers have one; contributors and admins none).</summary>
    public async Task<Guid?> OrganizationOfAsync(ClaimsPrincipal user, CancellationToken ct)
    {
        var userId = user.UserId();
        return await db.Users.Where(u => u.Id == userId).Select(u => u.OrganizationId).SingleOrDefaultAsync(ct);
    }
}
