using Marketplace.Payouts;
using Quartz;

namespace Marketplace.Web.Payments;

/// <summary>Every few minutes: owed earnings accrue if escrow now covers them, and pending earnings past their hold become available. Safe twice and on several nodes.</summary>
[DisallowConcurrentExecution]
public sealed class ReleaseEarningsJob(ReleaseEarnings release, LabelEarnings earnings) : IJob
{
    public static readonly JobKey Key = new("release-earnings", "money");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        await earnings.AccrueOwedAsync(cancellationToken);
        await release.ExecuteAsync(ct: cancellationToken);
    }
}
