using Marketplace.Web.Quality;
using Quartz;

namespace Marketplace.Web.Jobs;

/// <summary>
/// Every <see cref="QualityOptions.ReaggregateSeconds"/>: re-aggregates running categorical jobs over all their
/// labels, then re-evaluates every contributor's tier. Both are idempotent, so a second node doing the same is harmless.
/// </summary>
[DisallowConcurrentExecution]
public sealed class ReaggregationJob(JobAggregation aggregation, ContributorTiers tiers) : IJob
{
    public static readonly JobKey Key = new("reaggregation", "quality");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        await aggregation.ReaggregateRunningAsync(cancellationToken);
        await tiers.ReevaluateAllAsync(cancellationToken);
    }
}
