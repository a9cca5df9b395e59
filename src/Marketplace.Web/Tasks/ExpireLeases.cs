using Marketplace.Web.Data;
using Marketplace.Web.Domain;
using Marketplace.Web.Live;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Tasks;

/// <summary>The sweep's side of leases: warn contributors whose lease ends soon, and return expired leases to the pool.</summary>
public sealed class ExpireLeases(MarketplaceDbContext db, Leases leases, ILiveNotifier live, TimeProvider clock)
{
    private const int Batch = 500;

    /// <summary>Returns expired leases to the pool; safe to run twice and on several nodes at once. Returns how many this run ended.</summary>
    public async Task<int> ExecuteAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var expired = 0;
        while (true)
        {
            var due = await db.Assignments.AsNoTracking()
                .Where(a => a.Status == AssignmentStatus.Leased && a.LeaseExpiresAt < now)
                .OrderBy(a => a.LeaseExpiresAt)
                .Take(Batch)
                .ToListAsync(ct);
            foreach (var assignment in due)
            {
                if (await leases.EndAsync(assignment, AssignmentStatus.Expired, now, ct))
                {
                    expired++;
                }
            }

            if (due.Count < Batch)
            {
                return expired;
            }
        }
    }

    /// <summary>
    /// Warns contributors whose lease ends within <paramref name="warning"/>. Each sweep covers the next
    /// <paramref name="sweep"/> of expiries, so one node's sweep warns about a lease once (several nodes sweeping at
    /// different moments may each warn once: a repeated warning is harmless). Returns the assignments warned about.
    /// </summary>
    public async Task<IReadOnlyList<Guid>> WarnAsync(TimeSpan warning, TimeSpan sweep, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var (from, to) = (now + warning - sweep, now + warning);
        var ending = await db.Assignments.AsNoTracking()
            .Where(a => a.Status == AssignmentStatus.Leased && a.QualificationAttemptId == null && a.LeaseExpiresAt > from && a.LeaseExpiresAt <= to)
            .Select(a => new { a.Id, a.JobId, a.ContributorId, a.LeaseExpiresAt })
            .ToListAsync(ct);
        foreach (var a in ending)
        {
            await live.LeaseExpiringAsync(a.ContributorId, new LeaseNotice(a.Id, a.JobId, a.LeaseExpiresAt, (int)Math.Ceiling((a.LeaseExpiresAt - now).TotalSeconds)), ct);
        }

        return ending.Select(a => a.Id).ToList();
    }
}
