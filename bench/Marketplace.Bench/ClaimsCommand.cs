using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Marketplace.Testing;
using Marketplace.Web;
using Marketplace.Web.Data;
using Marketplace.Web.Domain;
using Marketplace.Web.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Marketplace.Bench;

/// <summary>
/// <c>claims [--items N] [--concurrency 1,50,500] [--seconds S] [--warmup S] [--grace S] [--max-claims N] [--profile]</c>:
/// the work loop under load. One active single-choice job with N items (redundancy 3, no gold) in the database
/// the app is configured for (Database:Provider, ConnectionStrings:Marketplace, as for the app; without them a
/// fresh SQLite file). For each concurrency level, that many contributors each loop claim → submit through the
/// app's own <see cref="ClaimTask"/> and <see cref="SubmitAnswer"/>, each in its own DI scope (own DbContext), for a fixed time. Prints one
/// line per level: claims/s, the claim call's p50/p99, and the count of broken invariants of the job.
/// </summary>
internal static class ClaimsCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var items = int.Parse(Option(args, "--items") ?? "1000000", CultureInfo.InvariantCulture);
        var levels = (Option(args, "--concurrency") ?? "1,50,500").Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray();
        var seconds = double.Parse(Option(args, "--seconds") ?? "20", CultureInfo.InvariantCulture);
        var warmup = double.Parse(Option(args, "--warmup") ?? "3", CultureInfo.InvariantCulture);
        var grace = double.Parse(Option(args, "--grace") ?? "30", CultureInfo.InvariantCulture);
        var maxClaims = int.Parse(Option(args, "--max-claims") ?? "1000000", CultureInfo.InvariantCulture);
        var profile = args.Contains("--profile");

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Benchmark", ContentRootPath = Path.GetTempPath() });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // Standard output carries only the result lines; logs (e.g. EF reporting a database it is about to create) go to standard error.
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        string? scratch = null;
        if (builder.Configuration.GetConnectionString(DatabaseOptions.ConnectionStringName) is null or "")
        {
            scratch = Path.Combine(Path.GetTempPath(), $"marketplace-claims-bench-{Guid.NewGuid():N}.db");
            builder.Configuration["ConnectionStrings:Marketplace"] = $"Data Source={scratch}";
        }

        // The per-contributor limits exist to stop abuse; here they would only measure themselves.
        builder.Configuration["Work:ClaimsPerMinute"] = "100000";
        builder.Configuration["Work:ClaimsPerDay"] = "10000000";
        builder.AddMarketplace();
        await using var app = builder.Build();
        try
        {
            await DatabaseMigrator.MigrateAsync(app.Services);
            var provider = app.Services.GetRequiredService<DatabaseOptions>().Provider;
            var providerName = provider.ToString().ToLowerInvariant();

            var arrange = Stopwatch.StartNew();
            var job = await ArrangeJobAsync(app.Services, items);
            await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"# {providerName}: job {job.Id} with {items} items arranged in {arrange.Elapsed.TotalSeconds:0.0} s"));

            using var commands = profile ? new CommandProfile() : null;
            foreach (var concurrency in levels)
            {
                var contributors = await ArrangeContributorsAsync(app.Services, concurrency);
                commands?.Reset();
                var run = await MeasureAsync(app.Services, job.Id, contributors, TimeSpan.FromSeconds(warmup), TimeSpan.FromSeconds(seconds), TimeSpan.FromSeconds(grace), maxClaims);
                commands?.Stop();
                var violations = await ViolationsAsync(app.Services, job);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"provider={providerName} concurrency={concurrency} claims_per_sec={run.Completed / run.Seconds:0} p50_ms={Percentile(run.Claims, 0.50):0.0} p99_ms={Percentile(run.Claims, 0.99):0.0} submit_p50_ms={Percentile(run.Submits, 0.50):0.0} submit_p99_ms={Percentile(run.Submits, 0.99):0.0} pair_p99_ms={Percentile(run.Pairs, 0.99):0.0} client_cpu_ms_per_claim={run.ClientCpuMilliseconds / Math.Max(run.Completed, 1):0.00} alloc_kb_per_claim={run.Allocated / 1024.0 / Math.Max(run.Completed, 1):0} claims={run.Completed} unfinished={run.Unfinished} errors={run.Errors} violations={violations}"));
                commands?.Print(run.Successful);
            }
        }
        finally
        {
            if (scratch is not null)
            {
                // The fresh SQLite file is this run's alone (about 0.5 GB at a million items): remove it.
                SqliteConnection.ClearAllPools();
                foreach (var file in new[] { scratch, $"{scratch}-wal", $"{scratch}-shm" })
                {
                    File.Delete(file);
                }
            }
        }

        return 0;
    }

    /// <summary>The job as a buyer makes it, through the app's own use cases: posted, its items uploaded, funded, launched.</summary>
    private static async Task<Job> ArrangeJobAsync(IServiceProvider services, int items)
    {
        var job = await new MarketArrangement(services, TimeProvider.System).JobAsync(new JobSetup
        {
            Items = items,
            Redundancy = 3,
            Labels = ["yes", "no"],
            PayPerLabelMinor = 5,
            BudgetMinor = 100_000_000,
            Title = "claims benchmark",
            Instructions = "Is this review **positive**?",
            Payload = _ => new { text = "Review: the product arrived on time, works as described" },
        });
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketplaceDbContext>();
        if (db.Database.IsNpgsql())
        {
            // What autovacuum would do shortly after a bulk load anyway; the claim query's plan depends on it.
            await db.Database.ExecuteSqlRawAsync("""ANALYZE "Items";""");
        }

        return job;
    }

    /// <summary>Fresh contributors for each level (profile plus a passed single-choice qualification), so no level inherits another's history.</summary>
    private static async Task<List<string>> ArrangeContributorsAsync(IServiceProvider services, int count)
    {
        var arrange = new MarketArrangement(services, TimeProvider.System);
        var ids = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            ids.Add(await arrange.ContributorAsync());
        }

        return ids;
    }

    private sealed record Run(List<double> Claims, List<double> Submits, List<double> Pairs, int Completed, int Successful, int Unfinished, int Errors, double Seconds, double ClientCpuMilliseconds, long Allocated);

    /// <summary>
    /// Runs one worker per contributor for warm-up + duration. Throughput and latencies are of the claims that
    /// completed inside the measured window (after the warm-up). Workers start no new claim after the window;
    /// calls still running <paramref name="grace"/> later are cancelled and counted as unfinished.
    /// </summary>
    private static async Task<Run> MeasureAsync(IServiceProvider services, Guid jobId, List<string> contributors, TimeSpan warmup, TimeSpan duration, TimeSpan grace, int maxClaims)
    {
        var started = Stopwatch.GetTimestamp();
        var measureFrom = started + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        var stopAt = measureFrom + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var completed = 0;
        var successful = 0;
        var unfinished = 0;
        var errors = 0;
        var reported = 0;
        using var cancel = new CancellationTokenSource(warmup + duration + grace);
        var answers = new[] { Answer("\"yes\""), Answer("\"no\"") };
        var claims = new ConcurrentBag<List<double>>();
        var submits = new ConcurrentBag<List<double>>();
        var pairs = new ConcurrentBag<List<double>>();

        async Task WorkerAsync(string contributorId, int index)
        {
            var claimTimes = new List<double>();
            var submitTimes = new List<double>();
            var pairTimes = new List<double>();
            var scope = services.CreateAsyncScope();
            var (claim, submit) = (scope.ServiceProvider.GetRequiredService<ClaimTask>(), scope.ServiceProvider.GetRequiredService<SubmitAnswer>());
            var n = index;
            try
            {
                while (Stopwatch.GetTimestamp() < stopAt && Volatile.Read(ref completed) < maxClaims)
                {
                    var t0 = Stopwatch.GetTimestamp();
                    try
                    {
                        var claimed = await claim.ExecuteAsync(contributorId, jobId, cancel.Token);
                        var t1 = Stopwatch.GetTimestamp();
                        if (claimed.Value is not { } task)
                        {
                            Interlocked.Increment(ref errors);
                            Report(ref reported, $"claim returned {claimed.Failure?.Title ?? "nothing"}");
                            if (claimed.Failure is null)
                            {
                                return; // nothing left for this contributor
                            }

                            continue;
                        }

                        Interlocked.Increment(ref successful);
                        var measured = t1 >= measureFrom && t1 < stopAt;
                        if (measured)
                        {
                            Interlocked.Increment(ref completed);
                            claimTimes.Add(Milliseconds(t1 - t0));
                        }

                        var submitted = await submit.ExecuteAsync(contributorId, task.AssignmentId, answers[n++ % 2], cancel.Token);
                        var t2 = Stopwatch.GetTimestamp();
                        if (submitted.Failure is { } refused)
                        {
                            Interlocked.Increment(ref errors);
                            Report(ref reported, $"submit returned {refused.Title}");
                        }

                        if (measured)
                        {
                            submitTimes.Add(Milliseconds(t2 - t1));
                            pairTimes.Add(Milliseconds(t2 - t0));
                        }
                    }
                    catch (OperationCanceledException) when (cancel.IsCancellationRequested)
                    {
                        Interlocked.Increment(ref unfinished);
                        return;
                    }
                    catch (Exception e)
                    {
                        Interlocked.Increment(ref errors);
                        Report(ref reported, $"{e.GetType().Name}: {e.GetBaseException().Message}");
                        await scope.DisposeAsync();
                        scope = services.CreateAsyncScope();
                        (claim, submit) = (scope.ServiceProvider.GetRequiredService<ClaimTask>(), scope.ServiceProvider.GetRequiredService<SubmitAnswer>());
                    }
                }
            }
            finally
            {
                await scope.DisposeAsync();
                claims.Add(claimTimes);
                submits.Add(submitTimes);
                pairs.Add(pairTimes);
            }
        }

        var allocated = 0L;

        // This process's CPU time over the measured window: the app's share of the cost (EF Core, the driver,
        // the work loop's own code), as opposed to the database server's.
        async Task<TimeSpan> ClientCpuAsync()
        {
            using var process = Process.GetCurrentProcess();
            await Task.Delay(warmup);
            process.Refresh();
            var before = process.TotalProcessorTime;
            var allocatedBefore = GC.GetTotalAllocatedBytes();
            await Task.Delay(duration);
            process.Refresh();
            allocated = GC.GetTotalAllocatedBytes() - allocatedBefore;
            return process.TotalProcessorTime - before;
        }

        var clientCpu = ClientCpuAsync();
        var workers = contributors.Select((id, i) => Task.Run(() => WorkerAsync(id, i))).ToList();
        await Task.WhenAll(workers);
        var cpu = await clientCpu;
        return new Run(
            [.. claims.SelectMany(l => l).Order()],
            [.. submits.SelectMany(l => l).Order()],
            [.. pairs.SelectMany(l => l).Order()],
            completed,
            successful,
            unfinished,
            errors,
            duration.TotalSeconds,
            cpu.TotalMilliseconds,
            allocated);
    }

    private static void Report(ref int reported, string message)
    {
        if (Interlocked.Increment(ref reported) <= 5)
        {
            Console.Error.WriteLine($"# error: {message}");
        }
    }

    /// <summary>
    /// Counts broken invariants of the job: items holding more slots than its redundancy, items whose slot
    /// count disagrees with their live assignments, items with more live labels than the redundancy, and any
    /// contributor assigned twice to one item.
    /// </summary>
    private static async Task<int> ViolationsAsync(IServiceProvider services, Job job)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketplaceDbContext>();
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(5));
        var overfull = await db.Items.CountAsync(i => i.JobId == job.Id && i.LabelsHeld > job.Redundancy);
        var live = db.Assignments.Where(a => a.JobId == job.Id && a.Kind == AssignmentKind.Label && (a.Status == AssignmentStatus.Leased || a.Status == AssignmentStatus.Submitted));
        var tooMany = await live.GroupBy(a => a.ItemId).Where(g => g.Count() > job.Redundancy).CountAsync();
        var heldWrong = await db.Items.CountAsync(i => i.JobId == job.Id && i.LabelsHeld > 0 && i.LabelsHeld != live.Count(a => a.ItemId == i.Id))
            + await live.GroupBy(a => a.ItemId).Select(g => new { g.Key, Count = g.Count() })
                .Join(db.Items, g => g.Key, i => i.Id, (g, i) => new { g.Count, i.LabelsHeld })
                .CountAsync(x => x.LabelsHeld == 0);
        var twice = await db.Assignments.Where(a => a.JobId == job.Id).GroupBy(a => new { a.ItemId, a.ContributorId }).Where(g => g.Count() > 1).CountAsync();
        return overfull + tooMany + heldWrong + twice;
    }

    private static SubmitRequest Answer(string json)
    {
        using var document = JsonDocument.Parse(json);
        return new SubmitRequest(document.RootElement.Clone());
    }

    private static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static string? Option(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }

    /// <summary>
    /// <c>--profile</c>: every SQL command EF Core runs, from its diagnostic events, grouped by statement, with
    /// count per claim and mean time, printed to standard error after each level.
    /// </summary>
    private sealed class CommandProfile : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
    {
        private readonly ConcurrentDictionary<string, (long Count, double Milliseconds)> _commands = new();
        private readonly List<IDisposable> _subscriptions = [];
        private volatile bool _recording = true;
        private int _compilations;

        public CommandProfile() => _subscriptions.Add(DiagnosticListener.AllListeners.Subscribe(this));

        public void Reset()
        {
            _commands.Clear();
            _compilations = 0;
            _recording = true;
        }

        public void Stop() => _recording = false;

        public void Print(int claims)
        {
            var total = _commands.Values.Sum(v => v.Count);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"#   {total} commands, {total / (double)Math.Max(claims, 1):0.0} per claim+submit; {_compilations} LINQ query compilations"));
            foreach (var (text, (count, ms)) in _commands.OrderByDescending(c => c.Value.Milliseconds))
            {
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"#   {count / (double)Math.Max(claims, 1),5:0.00}/claim  mean {ms / count,7:0.000} ms  total {ms / 1000,7:0.0} s  {text}"));
            }
        }

        public void OnNext(DiagnosticListener value)
        {
            if (value.Name == DbLoggerCategory.Name)
            {
                lock (_subscriptions)
                {
                    _subscriptions.Add(value.Subscribe(this));
                }
            }
        }

        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (_recording && value.Key == CoreEventId.QueryCompilationStarting.Name)
            {
                Interlocked.Increment(ref _compilations);
            }

            if (_recording && value.Value is CommandExecutedEventData executed)
            {
                var text = string.Join(' ', executed.Command.CommandText.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
                var key = text.Length > 110 ? text[..110] : text;
                _commands.AddOrUpdate(key, (1, executed.Duration.TotalMilliseconds), (_, v) => (v.Count + 1, v.Milliseconds + executed.Duration.TotalMilliseconds));
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }

        public void Dispose()
        {
            lock (_subscriptions)
            {
                foreach (var subscription in _subscriptions)
                {
                    subscription.Dispose();
                }
            }
        }
    }
}
