using Marketplace.Web.Data;
using Marketplace.Web.Domain;
using Marketplace.Web.Hosting;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Tasks;

/// <summary>A contributor gives a leased task back (skip): the slot returns to the pool, and this contributor is not offered the item again.</summary>
public sealed class ReleaseTask(MarketplaceDbContext db, Leases leases, TimeProvider clock)
{
    public async Task<Failure?> ExecuteAsync(string userId, Guid assignmentId, CancellationToken ct)
    {
        var assignment = await db.Assignments.AsNoTracking().SingleOrDefaultAsync(a => a.Id == assignmentId && a.ContributorId == userId, ct);
        if (assignment is null)
        {
            return Failure.NotFound;
        }

        if (assignment.QualificationAttemptId is not null)
        {
            return Failure.Conflict("Cannot skip", "Questions of a qualification test cannot be skipped.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        if (Leases.NotHeld(assignment, now) is { } refused)
        {
            return refused;
        }

        return await leases.EndAsync(assignment, AssignmentStatus.Released, now, ct)
            ? null
            : Failure.Conflict("Task not held", "This task is no longer leased to you.");
    }
}
