using Marketplace.Payouts;
using Marketplace.Web.Data;
using Marketplace.Web.Domain;
using Marketplace.Web.Quality;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Marketplace.Web.Payments;

/// <summary>
/// What a label costs its job and earns its contributor: pay × the contributor's tier multiplier, plus the platform
/// fee, out of the job's escrow. Claims check the escrow covers every task already leased plus the new one, so
/// work is only handed out when it can be paid; submits accrue in the submit's own transaction.
/// </summary>
public sealed partial class LabelEarnings(
    MarketplaceDbContext db,
    AccrueEarnings accrue,
    EscrowQueries escrow,
    TierCatalog tiers,
    IOptions<PayoutsOptions> payouts,
    ILogger<LabelEarnings> logger)
{
    /// <summary>Whether the job's escrow covers everything leased on it and one more task, at the highest tier multiplier of <paramref name="tierSet"/> (the caller's, read once per claim).</summary>
    public async Task<bool> CoversNextTaskAsync(Job job, TierSet tierSet, CancellationToken ct)
    {
        var leased = await db.Assignments.CountAsync(a => a.JobId == job.Id && a.Status == AssignmentStatus.Leased && a.QualificationAttemptId == null, ct);
        // The highest multiplier any tier has: what a leased task may end up costing.
        var highest = tierSet.MaxPayMultiplierInUse;
        var (pay, fee) = AccrueEarnings.Price(new Money(job.PayPerLabelMinor, job.Currency), highest, payouts.Value.PlatformFeeBasisPoints);
        var balance = await escrow.BalanceAsync(job.Id, job.Currency, ct);
        return balance.MinorUnits >= (leased + 1L) * (pay + fee).MinorUnits;
    }

    /// <summary>Stages the earnings of an accepted task in the caller's unit of work; false when escrow could not cover it.</summary>
    /// <remarks>
    /// Every label of a job spends the same escrow account, whose version the ledger checks optimistically. Taking
    /// that row's lock first (a no-op update inside the caller's transaction) makes concurrent submits on one job
    /// wait their turn for a moment instead of failing their save. Submits lock the item first and the escrow last,
    /// just before they commit: always in that order, so they cannot deadlock, and the escrow is held briefly.
    /// </remarks>
    public async Task<bool> StageAsync(Assignment assignment, Job job, string? tier, CancellationToken ct)
    {
        // The tier's multiplier and hold from the tier set in effect now; a tier it no longer has pays 1× on the configured
        // hold. Read before the escrow lock, which every submit on the job waits for.
        var set = await tiers.CurrentAsync(db, ct);
        var escrowAccount = LedgerAccountId.JobEscrow(job.Id);
        await db.LedgerAccounts
            .Where(a => a.Kind == escrowAccount.Kind && a.Owner == escrowAccount.Owner && a.Currency == job.Currency)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.Version, a => a.Version), ct);
        var request = new EarningRequest(assignment.Id, job.Id, assignment.ContributorId, new Money(assignment.PayMinor, job.Currency), set.MultiplierOf(tier), tier, set.HoldOf(tier));
        var result = await accrue.StageAsync(request, ct);
        return result.Status != AccrualStatus.InsufficientEscrow;
    }

    /// <summary>
    /// Pays what is owed: tasks accepted while escrow ran short (two claims raced to the last of it) accrue once the
    /// buyer tops up. Safe twice and on several nodes (one earning per assignment).
    /// </summary>
    public async Task<int> AccrueOwedAsync(CancellationToken ct)
    {
        var owed = await (
            from a in db.Assignments.AsNoTracking()
            join p in db.ContributorProfiles.AsNoTracking() on a.ContributorId equals p.UserId
            where a.Status == AssignmentStatus.Submitted && a.QualificationAttemptId == null && a.PayMinor > 0
                  && !db.Earnings.Any(e => e.AssignmentId == a.Id)
            orderby a.EndedAt, a.Id // oldest owed first, and the same 500 on every node
            select new { Assignment = a, p.Tier }).Take(500).ToListAsync(ct);
        var accrued = 0;
        foreach (var group in owed.GroupBy(o => o.Assignment.JobId))
        {
            var job = await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == group.Key, ct);
            foreach (var o in group)
            {
                if (!await StageAsync(o.Assignment, job, o.Tier, ct))
                {
                    break; // still short: the rest of this job waits for a top-up
                }

                try
                {
                    await db.SaveChangesAsync(ct);
                    accrued++;
                }
                catch (DbUpdateException)
                {
                    db.ChangeTracker.Clear(); // another node accrued it first
                }
            }
        }

        if (accrued > 0)
        {
            LogOwed(logger, accrued);
        }

        return accrued;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Accrued {Count} earnings that were owed while escrow ran short")]
    private static partial void LogOwed(ILogger logger, int count);
}
