using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Marketplace.Payouts;

/// <summary>
/// An accepted label: <c>BasePay</c> is the job's pay per label, <c>TierMultiplier</c> the contributor's tier
/// multiplier (1.25 for 25% more; decimal, never binary floating point), <c>Tier</c> the tier's name, <c>Hold</c> how long
/// the earning stays pending: the host's tier set decides it; without one, <see cref="PayoutsOptions.HoldFor"/> picks it by tier name.
/// </summary>
public sealed record EarningRequest(Guid AssignmentId, Guid JobId, string ContributorId, Money BasePay, decimal TierMultiplier = 1m, string? Tier = null, TimeSpan? Hold = null);

public enum AccrualStatus
{
    Accrued = 1,
    AlreadyAccrued = 2,

    /// <summary>Escrow cannot cover pay + fee: nothing was posted, and the host should pause the job.</summary>
    InsufficientEscrow = 3,
}

public sealed record AccrualResult(AccrualStatus Status, Money Pay, Money Fee, Money EscrowBalance)
{
    public Money EscrowCharge => Pay + Fee;
}

/// <summary>
/// An accepted label's earnings: pay × tier multiplier from the job's escrow to the contributor's pending balance,
/// and the platform fee (a share of that pay, on top of it) to revenue.
/// </summary>
public sealed class AccrueEarnings(IPayoutsDb db, Ledger ledger, TimeProvider clock, IOptions<PayoutsOptions> options)
{
    /// <summary>Pay rounds half away from zero to the minor unit; the fee is a share of the rounded pay, rounded the same way.</summary>
    public static (Money Pay, Money Fee) Price(Money basePay, decimal tierMultiplier, int feeBasisPoints)
    {
        if (tierMultiplier is <= 0 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(tierMultiplier), tierMultiplier, "A tier multiplier is positive and sane.");
        }

        var pay = new Money((long)Math.Round(basePay.MinorUnits * tierMultiplier, MidpointRounding.AwayFromZero), basePay.Currency);
        return (pay, pay.PercentOf(feeBasisPoints));
    }

    /// <summary>
    /// Stages the accrual in the caller's unit of work, so it commits with the label's acceptance: call it, then
    /// save (inside the caller's transaction if it has one). Nothing is staged unless the status is Accrued.
    /// </summary>
    public async Task<AccrualResult> StageAsync(EarningRequest request, CancellationToken ct = default)
    {
        if (request.BasePay.MinorUnits <= 0)
        {
            throw new ArgumentException("Pay per label is positive.", nameof(request));
        }

        if (request.Hold is { } hold && (hold < TimeSpan.Zero || hold > TimeSpan.FromDays(365)))
        {
            throw new ArgumentOutOfRangeException(nameof(request), hold, "A hold is between 0 and 365 days.");
        }

        var (pay, fee) = Price(request.BasePay, request.TierMultiplier, options.Value.PlatformFeeBasisPoints);
        var escrow = LedgerAccountId.JobEscrow(request.JobId);
        List<LedgerLine> lines =
        [
            LedgerLine.Debit(escrow, pay + fee),
            LedgerLine.Credit(LedgerAccountId.ContributorPending(request.ContributorId), pay),
        ];
        if (fee.MinorUnits > 0)
        {
            lines.Add(LedgerLine.Credit(LedgerAccountId.PlatformRevenue, fee));
        }

        var posting = await ledger.PostAsync(LedgerCause.Accrual(request.AssignmentId), lines, $"Label {request.AssignmentId} on job {request.JobId}", ct);
        switch (posting.Status)
        {
            case PostingStatus.AlreadyPosted:
                return new AccrualResult(AccrualStatus.AlreadyAccrued, pay, fee, await ledger.BalanceAsync(escrow, pay.Currency, ct));
            case PostingStatus.InsufficientFunds:
                return new AccrualResult(AccrualStatus.InsufficientEscrow, pay, fee, posting.ShortBalance ?? Money.Zero(pay.Currency));
        }

        var now = clock.GetUtcNow().UtcDateTime;
        db.Earnings.Add(new Earning(request.AssignmentId, request.JobId, request.ContributorId, request.Tier, pay.MinorUnits, fee.MinorUnits, pay.Currency,
            now, now + (request.Hold ?? options.Value.HoldFor(request.Tier)), posting.Transaction!.Id));
        return new AccrualResult(AccrualStatus.Accrued, pay, fee, posting.BalancesAfter[escrow]);
    }

    public async Task<AccrualResult> ExecuteAsync(EarningRequest request, CancellationToken ct = default)
    {
        var result = await StageAsync(request, ct);
        if (result.Status == AccrualStatus.Accrued)
        {
            await db.SaveChangesAsync(ct);
        }

        return result;
    }
}

/// <summary>Pending earnings past their hold become available. Safe to run on a timer, twice, on several nodes.</summary>
public sealed class ReleaseEarnings(IPayoutsDb db, Ledger ledger, TimeProvider clock)
{
    public async Task<int> ExecuteAsync(int batchSize = 500, CancellationToken ct = default)
    {
        var released = 0;
        while (true)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            var due = await db.Earnings
                .Where(e => e.Status == EarningStatus.Pending && e.ReleaseAfter <= now)
                .OrderBy(e => e.ReleaseAfter)
                .Take(batchSize)
                .ToListAsync(ct);
            if (due.Count == 0)
            {
                return released;
            }

            foreach (var earning in due)
            {
                var posting = await ledger.PostAsync(
                    LedgerCause.Release(earning.AssignmentId),
                    [LedgerLine.Debit(LedgerAccountId.ContributorPending(earning.ContributorId), earning.Pay), LedgerLine.Credit(LedgerAccountId.ContributorAvailable(earning.ContributorId), earning.Pay)],
                    $"Hold over for label {earning.AssignmentId}",
                    ct);
                if (!posting.Succeeded)
                {
                    throw new LedgerConflictException($"Pending balance of {earning.ContributorId} no longer covers earning {earning.AssignmentId}: it moved (a fraud reversal?) since it was read.");
                }

                earning.MarkReleased(now);
            }

            await db.SaveChangesAsync(ct);
            released += due.Count;
        }
    }
}

/// <param name="Reversed">Earnings reversed: pending ones, and released ones no payout has taken yet.</param>
/// <param name="Amounts">What went back to escrow, per currency (pay; the fee went back out of revenue as well).</param>
/// <param name="PaidOrInPayout">Released earnings a payout already took (planned, in transit or paid): left alone here,
/// as taking paid money back is an admin's clawback, never automatic.</param>
public sealed record EarningsReversal(int Reversed, IReadOnlyList<Money> Amounts, int PaidOrInPayout);

/// <summary>
/// Fraud: a contributor's unpaid earnings go back to the job's escrow (and the fee back out of revenue) by reversing
/// each accrual, and for an earning already released, its release first. An earning counts as unpaid while no live
/// payout (anything but Returned) was planned for its contributor since it was released: a payout run takes the whole
/// available balance. Paid or in-payout earnings are never clawed back here: that is an admin's audited clawback.
/// </summary>
public sealed class ReverseEarnings(IPayoutsDb db, Ledger ledger, TimeProvider clock)
{
    public Task<EarningsReversal> ForContributorAsync(string contributorId, string reason, CancellationToken ct = default) =>
        ReverseAsync(db.Earnings.Where(e => e.ContributorId == contributorId), reason, ct);

    public Task<EarningsReversal> ForAssignmentAsync(Guid assignmentId, string reason, CancellationToken ct = default) =>
        ReverseAsync(db.Earnings.Where(e => e.AssignmentId == assignmentId), reason, ct);

    private async Task<EarningsReversal> ReverseAsync(IQueryable<Earning> earnings, string reason, CancellationToken ct)
    {
        var all = await earnings.ToListAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var amounts = new List<Money>();
        var taken = 0;
        foreach (var earning in all.Where(e => e.Status is EarningStatus.Pending or EarningStatus.Released))
        {
            if (earning.Status == EarningStatus.Released)
            {
                var releasedAt = earning.SettledAt!.Value;
                if (await db.Payouts.AnyAsync(p => p.ContributorId == earning.ContributorId && p.Currency == earning.Currency && p.State != PayoutState.Returned && p.CreatedAt >= releasedAt, ct))
                {
                    taken++;
                    continue;
                }

                var release = await ledger.FindAsync(LedgerCause.Release(earning.AssignmentId), ct)
                    ?? throw new InvalidOperationException($"Released earning {earning.AssignmentId} has no release transaction.");
                Require(await ledger.ReverseAsync(release.Id, $"Fraud: {reason}", ct), earning);
            }

            Require(await ledger.ReverseAsync(earning.AccrualTransactionId, $"Fraud: {reason}", ct), earning);
            earning.MarkReversed(now, reason);
            amounts.Add(earning.Pay);
        }

        await db.SaveChangesAsync(ct);
        var totals = amounts.GroupBy(a => a.Currency).Select(g => g.Aggregate((a, b) => a + b)).ToList();
        return new EarningsReversal(amounts.Count, totals, taken);
    }

    private static void Require(PostingResult posting, Earning earning)
    {
        if (!posting.Succeeded)
        {
            throw new LedgerConflictException($"Earning {earning.AssignmentId} could not be reversed ({posting.Status} on {posting.ShortAccount}): it moved since it was read.");
        }
    }
}
