using Microsoft.Extensions.Options;
using Quartz;

namespace Marketplace.Web.Tasks;

/// <summary>
/// Returns expired leases to the pool every <see cref="WorkOptions.SweepSeconds"/>. Safe on several nodes at
/// once (each lease ends by a conditional update); one run at a time per node.
/// </summary>
[DisallowConcurrentExecution]
public sealed partial class LeaseSweepJob(WorkService work, IOptions<WorkOptions> options, IOptions<Live.LiveOptions> live, ILogger<LeaseSweepJob> logger) : IJob
{
    public static readonly JobKey Key = new("lease-sweep", "work");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        await work.WarnExpiringLeasesAsync(TimeSpan.FromSeconds(live.Value.LeaseWarningSeconds), TimeSpan.FromSeconds(options.Value.SweepSeconds), cancellationToken);
        var expired = await work.ExpireLeasesAsync(cancellationToken);
        if (expired > 0)
        {
            LogExpired(logger, expired);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Returned {Count} expired leases to the pool")]
    private static partial void LogExpired(ILogger logger, int count);
}
