using Marketplace.Web.Data;
using Marketplace.Web.Domain;
using Marketplace.Web.Hosting;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Tasks;

/// <summary>
/// Ends leases: a contributor's release (skip) and the sweep's expiry both come here, so a lease ends one way. Each end
/// is a conditional update on the assignment's status, so a submit, a release and the sweep racing on one lease end it
/// once, and only the one that ended it gives the slot back.
/// </summary>
public sealed class Leases(MarketplaceDbContext db, WriteTransactions writes, QualificationTests qualifications)
{
    /// <summary>The job was cancelled or completed while the task was leased: its escrow went back, so no answer is taken.</summary>
    public static readonly Failure JobClosed = Failure.Conflict(
        "Job closed", "The buyer's job closed (cancelled or completed) while you held this task, so the lease ended and no answer can be taken for it.");

    /// <summary>Why this assignment can no longer be submitted or released, or null while its lease is live.</summary>
    public static Failure? NotHeld(Assignment assignment, DateTime now) => assignment.Status switch
    {
        AssignmentStatus.Submitted => Failure.Conflict("Already submitted", "This task was already submitted; the first answer stands."),
        AssignmentStatus.Expired => Failure.Conflict("Lease expired", $"The lease on this task expired at {assignment.LeaseExpiresAt:u}; the task went back to the pool."),
        AssignmentStatus.Released => Failure.Conflict("Task released", "You released this task."),
        AssignmentStatus.Rejected => Failure.Conflict("Task rejected", "This task was rejected."),
        AssignmentStatus.Withdrawn => JobClosed,
        AssignmentStatus.Leased when assignment.LeaseExpiresAt < now => Failure.Conflict("Lease expired", $"The lease on this task expired at {assignment.LeaseExpiresAt:u}; the task went back to the pool."),
        _ => null,
    };

    /// <summary>Ends a lease as <paramref name="status"/> (Released or Expired); false when something else ended it first.</summary>
    public async Task<bool> EndAsync(Assignment assignment, AssignmentStatus status, DateTime now, CancellationToken ct)
    {
        await using var transaction = await writes.BeginAsync(db, ct);
        if (assignment.Kind == AssignmentKind.Label)
        {
            // Item before assignment, the order a submit takes them in, so a submit and a sweep racing on one
            // lease wait for each other instead of deadlocking.
            await db.Items.Where(i => i.Id == assignment.ItemId).ExecuteUpdateAsync(s => s.SetProperty(i => i.LabelsHeld, i => i.LabelsHeld), ct);
        }

        var ended = await db.Assignments
            .Where(a => a.Id == assignment.Id && a.Status == AssignmentStatus.Leased)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.Status, status).SetProperty(a => a.EndedAt, now), ct);
        if (ended == 0)
        {
            return false;
        }

        if (assignment.Kind == AssignmentKind.Label)
        {
            await db.Items.Where(i => i.Id == assignment.ItemId).ExecuteUpdateAsync(s => s.SetProperty(i => i.LabelsHeld, i => i.LabelsHeld - 1), ct);
        }
        else if (assignment.QualificationAttemptId is { } attempt)
        {
            await qualifications.CompleteIfAnsweredAsync(attempt, now, ct);
        }

        await transaction.CommitAsync(ct);
        return true;
    }
}
