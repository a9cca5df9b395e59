using Marketplace.Web.Live;
using Microsoft.Extensions.Options;
using Quartz;

namespace Marketplace.Web.Tasks;

/// <summary>
/// Every <see cref="TasksOptions.SweepSeconds"/>: warns of leases about to end and returns expired ones to the pool.
/// Safe on several nodes at once (each lease ends by a conditional update); one run at a time per node.
/// </summary>
[DisallowConcurrentExecution]
public sealed partial class LeaseSweepJob(ExpireLeases leases, IOptions<TasksOptions> options, IOptions<LiveOptions> live, ILogger<LeaseSweepJob> logger) : IJob
{
    public static readonly JobKey Key = new("lease-sweep", "work");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        await leases.WarnAsync(TimeSpan.FromSeconds(live.Value.LeaseWarningSeconds), TimeSpan.FromSeconds(options.Value.SweepSeconds), cancellationToken);
        var expired = await leases.ExecuteAsync(cancellationToken);
        if (expired > 0)
        {
            LogExpired(logger, expired);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Returned {Count} expired leases to the pool")]
    private static partial void LogExpired(ILogger logger, int count);
}
