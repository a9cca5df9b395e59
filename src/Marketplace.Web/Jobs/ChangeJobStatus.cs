using System.Security.Claims;
using Marketplace.Web.Data;
using Marketplace.Web.Domain;
using Marketplace.Web.Hosting;
using Marketplace.Web.Identity;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Jobs;

/// <summary>
/// A buyer (or an admin) moves a job through its lifecycle: launch, pause, resume, complete, cancel. The API's action
/// and the job page's button both name a <see cref="JobTransition"/>; the job itself says whether the move is allowed.
/// Closing a job ends its live leases in the same transaction, before its unspent escrow is refunded.
/// </summary>
public sealed class ChangeJobStatus(MarketplaceDbContext db, WriteTransactions writes, JobAccess access, JobLifecycle lifecycle, TimeProvider clock)
{
    public const string NotAllowedTitle = "Not allowed in the job's current state.";

    public async Task<Outcome<Job>> ExecuteAsync(ClaimsPrincipal user, Guid id, JobTransition transition, CancellationToken ct)
    {
        var job = await access.FindVisibleAsync(user, id, ct);
        if (job is null)
        {
            return Failure.NotFound;
        }

        if (transition == JobTransition.Launch && job.Status == JobStatus.Funded && !await db.Items.AnyAsync(i => i.JobId == job.Id && !i.IsGold, ct))
        {
            return Failure.Conflict(NotAllowedTitle, "A job needs items before it can launch: upload them first.");
        }

        if (job.Apply(transition) is { } refused)
        {
            return Failure.Conflict(NotAllowedTitle, refused);
        }

        await using (var transaction = await writes.BeginAsync(db, ct))
        {
            await db.SaveChangesAsync(ct);
            if (job.IsClosed)
            {
                await db.WithdrawLeasesAsync(job.Id, clock.GetUtcNow().UtcDateTime, ct);
            }

            await transaction.CommitAsync(ct);
        }

        await lifecycle.AnnounceAsync(job, ct);
        return job;
    }
}
