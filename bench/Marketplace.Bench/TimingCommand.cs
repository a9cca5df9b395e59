using System.Diagnostics;
using System.Globalization;
using Marketplace.Scoring.Aggregation;

namespace Marketplace.Bench;

/// <summary>`ds-timing`: a quick Stopwatch run of the benchmark workload, with iterations to convergence and accuracy.</summary>
internal static class TimingCommand
{
    public static int Run()
    {
        var problem = SyntheticCrowd.Create();
        foreach (var threads in new[] { 1, Environment.ProcessorCount })
        {
            EmEngine.Run(problem, new EmSettings(5, 0, 0.01, false, threads));
            foreach (var tolerance in new[] { 0.0, 1e-7 })
            {
                var before = GC.GetTotalAllocatedBytes(true);
                var sw = Stopwatch.StartNew();
                var result = EmEngine.Run(problem, new EmSettings(100, tolerance, 0.01, false, threads));
                sw.Stop();
                var allocated = GC.GetTotalAllocatedBytes(true) - before;
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"threads={threads} tolerance={tolerance} iterations={result.Iterations} seconds={sw.Elapsed.TotalSeconds:F3} allocatedMB={allocated / 1048576.0:F1}"));
            }
        }

        return 0;
    }
}
