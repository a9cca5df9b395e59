using Quartz;

namespace Marketplace.Web.Fraud;

/// <summary>Runs <see cref="FraudScan"/> every <see cref="FraudOptions.ScanSeconds"/>; one run at a time per node.</summary>
[DisallowConcurrentExecution]
public sealed class FraudScanJob(FraudScan scan) : IJob
{
    public static readonly JobKey Key = new("fraud-scan", "quality");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        await scan.RunAsync(cancellationToken);
}
