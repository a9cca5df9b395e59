using Marketplace.Payouts;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace Marketplace.Web.Payments;

/// <summary>Every few minutes: owed earnings accrue if escrow now covers them, and pending earnings past their hold become available. Safe twice and on several nodes.</summary>
[DisallowConcurrentExecution]
public sealed class ReleaseEarningsJob(ReleaseEarnings release, LabelEarnings earnings, Data.MarketplaceDbContext db, PayoutQueries payouts, Live.ILiveNotifier live, TimeProvider clock) : IJob
{
    public static readonly JobKey Key = new("release-earnings", "money");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        await earnings.AccrueOwedAsync(cancellationToken);
        var since = clock.GetUtcNow().UtcDateTime;
        if (await release.ExecuteAsync(ct: cancellationToken) > 0)
        {
            // Tell each contributor whose money just became available.
            var released = await db.Earnings.AsNoTracking().Where(e => e.SettledAt >= since).Select(e => e.ContributorId).Distinct().ToListAsync(cancellationToken);
            foreach (var contributor in released)
            {
                await live.EarningsChangedAsync(contributor, new Live.EarningsNotice(await payouts.BalancesAsync(contributor, cancellationToken)), cancellationToken);
            }
        }
    }
}
