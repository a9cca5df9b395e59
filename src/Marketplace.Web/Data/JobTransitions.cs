using Marketplace.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Data;

public static class JobTransitions
{
    /// <summary>
    /// Makes the move in the database, in one conditional update, if the job is still in a state the move starts from.
    /// For moves that several requests or nodes may race to make (completing a finished job, pausing one whose escrow
    /// ran out): exactly one of them makes it, and it returns true to that one only.
    /// </summary>
    public static async Task<bool> TryApplyAsync(this DbSet<Job> jobs, Guid jobId, JobTransition transition, CancellationToken ct)
    {
        var from = transition.From.ToArray();
        var to = transition.To;
        return await jobs.Where(j => j.Id == jobId && from.Contains(j.Status)).ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, to), ct) > 0;
    }

    /// <summary>
    /// Ends every live lease of a job that has just closed, in the caller's write transaction, so the close and the end
    /// of its leases commit together: a submit that comes later is refused (<see cref="AssignmentStatus.Withdrawn"/>)
    /// instead of being accepted with no escrow left to pay it. Items first, then assignments: the order a submit locks
    /// them in, so a submit racing the close waits for it (or it for the submit) and never deadlocks.
    /// </summary>
    public static async Task<int> WithdrawLeasesAsync(this MarketplaceDbContext db, Guid jobId, DateTime now, CancellationToken ct)
    {
        var leased = db.Assignments.Where(a => a.JobId == jobId && a.Kind == AssignmentKind.Label && a.Status == AssignmentStatus.Leased);
        await db.Items
            .Where(i => i.JobId == jobId && !i.IsGold && leased.Any(a => a.ItemId == i.Id))
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.LabelsHeld, i => i.LabelsHeld - leased.Count(a => a.ItemId == i.Id)), ct);
        return await leased.ExecuteUpdateAsync(s => s.SetProperty(a => a.Status, AssignmentStatus.Withdrawn).SetProperty(a => a.EndedAt, now), ct);
    }
}
