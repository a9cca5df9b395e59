using Quartz;

namespace Marketplace.Web.Jobs;

/// <summary>Every minute, completes the jobs whose deadline passed (and, as a backstop, those with every item finalized).</summary>
[DisallowConcurrentExecution]
public sealed class JobCompletionSweep(JobLifecycle lifecycle) : IJob
{
    public static readonly JobKey Key = new("job-completion", "jobs");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        await lifecycle.CompleteDueAsync(cancellationToken);
}
