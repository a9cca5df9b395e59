using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Jobs;
using Marketplace.Scoring.Aggregation;

namespace Marketplace.Bench;

/// <summary>Dawid-Skene EM on 1,000,000 synthetic labels: 100 fixed iterations, and to convergence.</summary>
[MemoryDiagnoser]
[SimpleJob(RuntimeMoniker.Net10_0, launchCount: 1, warmupCount: 2, iterationCount: 5)]
public class DawidSkeneBenchmark
{
    private EmProblem _problem = null!;

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup() => _problem = SyntheticCrowd.Create();

    [Benchmark(Description = "DawidSkene 1M labels, 100 iterations")]
    public int HundredIterations() =>
        EmEngine.Run(_problem, new EmSettings(100, 0, 0.01, false, Threads)).Iterations;

    [Benchmark(Description = "DawidSkene 1M labels, to convergence (tol 1e-7)")]
    public int ToConvergence() =>
        EmEngine.Run(_problem, new EmSettings(100, 1e-7, 0.01, false, Threads)).Iterations;
}
