using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Serialization;
using Marketplace.Web;
using Marketplace.Web.Data;
using Marketplace.Web.Domain;
using Marketplace.Web.Jobs;
using Marketplace.Web.Live;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Marketplace.Bench;

/// <summary>
/// <c>live [--clients 100,1000,5000] [--seconds 20] [--warmup 5] [--nodes 1|2] [--redis HOST:PORT] [--database sqlite|postgres]</c>:
/// SignalR delivery of job progress. For each client count it starts the real app in-process on Kestrel at 127.0.0.1
/// (one node on a fresh SQLite file, or two nodes sharing a fresh PostgreSQL database and a Redis backplane), creates one
/// buyer with an API token per client and one job per <c>--watchers-per-job</c> buyers (all of the job's organization),
/// connects real .NET SignalR clients over WebSockets that call <see cref="LiveHub.WatchJob"/>, and then publishes
/// <see cref="ILiveClient.JobProgress"/> to the job groups through the app's own <see cref="IHubContext{THub,T}"/>, spread
/// evenly over each second, so that every client hears <c>--rate</c> messages a second. With two nodes, clients alternate
/// between the nodes and node B publishes, so every message goes through Redis to the clients on node A (and, as the
/// Redis backplane does for every group send, to node B's own clients too). Then, unless <c>--publisher-rounds 0</c>, it
/// marks every job as progressed through the app's <see cref="ILiveNotifier"/> and times the real
/// <see cref="JobProgressPublisher"/> until the last job's watchers hear of it.
/// </summary>
/// <remarks>
/// The send time (<see cref="Stopwatch.GetTimestamp"/>) travels in <see cref="JobProgress.LabelsPerHour"/>, the time the
/// send was due by the schedule in <see cref="JobProgress.EstimatedAccuracy"/>, the send's
/// sequence number in <see cref="JobProgress.Labels"/>, the phase (warm-up 0, measured 1) in <see cref="JobProgress.Items"/>
/// and a marker (-1) in <see cref="JobProgress.BudgetMinor"/> that tells them from the app's own messages. Clients and server
/// share the process clock, so latency is receive time minus send time. They share the process's CPU cores and heap too:
/// on a small machine the clients take a real share of both, so the figures understate what one node can serve.
/// </remarks>
internal static class LiveCommand
{
    private const int MeasuredPhase = 1;

    /// <summary>The benchmark's own notices carry this budget; the app's real ones carry the job's (positive) budget.</summary>
    private const long BenchMarker = -1;
    private const string DefaultPostgres = "Host=127.0.0.1;Port=5432;Username=marketplace;Password=marketplace;Database=postgres";

    public static async Task<int> RunAsync(string[] args)
    {
        var nodes = Int(args, "--nodes", 1);
        if (nodes is not (1 or 2))
        {
            await Console.Error.WriteLineAsync("--nodes must be 1 or 2");
            return 2;
        }

        var database = Option(args, "--database") ?? (nodes == 2 ? "postgres" : "sqlite");
        if (nodes == 2 && database != "postgres")
        {
            await Console.Error.WriteLineAsync("two nodes share one database: use --database postgres");
            return 2;
        }

        var settings = new LiveSettings(
            Nodes: nodes,
            Postgres: database == "postgres",
            PostgresAdmin: Option(args, "--postgres") ?? (Environment.GetEnvironmentVariable("MARKETPLACE_TEST_POSTGRES") is { Length: > 0 } pg ? pg : DefaultPostgres),
            Redis: Option(args, "--redis") ?? "127.0.0.1:6379",
            Seconds: Int(args, "--seconds", 20),
            Warmup: Int(args, "--warmup", 5),
            WatchersPerJob: Int(args, "--watchers-per-job", 10),
            Rate: double.Parse(Option(args, "--rate") ?? "1", CultureInfo.InvariantCulture),
            ConnectConcurrency: Int(args, "--connect-concurrency", 32),
            ConnectTimeoutSeconds: Int(args, "--connect-timeout", 300),
            SkipNegotiation: args.Contains("--skip-negotiation"),
            PublisherRounds: Int(args, "--publisher-rounds", 5));
        if (nodes == 2)
        {
            try
            {
                using var probe = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync($"{settings.Redis},connectTimeout=3000");
                await probe.GetDatabase().PingAsync();
            }
            catch (StackExchange.Redis.RedisConnectionException e)
            {
                await Console.Error.WriteLineAsync($"Redis is not reachable at {settings.Redis} ({e.Message}); start one or pass --redis HOST:PORT");
                return 2;
            }
        }

        var clientCounts = (Option(args, "--clients") ?? "100,1000,5000").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(c => int.Parse(c.Replace("_", "", StringComparison.Ordinal), CultureInfo.InvariantCulture)).ToArray();

        Console.WriteLine(Invariant(
            $"# live: nodes={settings.Nodes} database={database} seconds={settings.Seconds} warmup={settings.Warmup} rate={settings.Rate}/s per client watchers_per_job={settings.WatchersPerJob} cores={Environment.ProcessorCount} gc={(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} runtime={Environment.Version}"));
        var failed = false;
        foreach (var clients in clientCounts)
        {
            var result = await RunConfigurationAsync(settings, clients);
            Console.WriteLine(result.Line);
            failed |= !result.Ok;
        }

        return failed ? 1 : 0;
    }

    private static async Task<(bool Ok, string Line)> RunConfigurationAsync(LiveSettings settings, int clients)
    {
        var load = File.Exists("/proc/loadavg") ? string.Join('/', (await File.ReadAllTextAsync("/proc/loadavg")).Split(' ').Take(3)) : "n/a";
        var sqlitePath = Path.Combine(Path.GetTempPath(), $"marketplace-live-bench-{Guid.NewGuid():N}.db");
        var pgDatabase = $"marketplace_livebench_{Guid.NewGuid():N}";
        string connectionString;
        if (settings.Postgres)
        {
            await using var admin = new NpgsqlConnection(settings.PostgresAdmin);
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{pgDatabase}\"", admin);
            await create.ExecuteNonQueryAsync();
            // Two nodes' pools stay well under the server's default 100 connections.
            connectionString = new NpgsqlConnectionStringBuilder(settings.PostgresAdmin) { Database = pgDatabase, MaxPoolSize = 20 }.ConnectionString;
        }
        else
        {
            connectionString = $"Data Source={sqlitePath}";
        }

        // Negotiation requests share one connection pool: otherwise each client's idle keep-alive connection, and the
        // server's end of it, would double the sockets held open, past the process's file limit at 5,000 clients.
        // Each WebSocket is still its own TCP connection.
        using var negotiation = new HttpMessageInvoker(new SocketsHttpHandler(), disposeHandler: true);
        var nodes = new List<Node>();
        var connections = new HubConnection?[clients];
        try
        {
            for (var n = 0; n < settings.Nodes; n++)
            {
                nodes.Add(await Node.StartAsync(settings, connectionString, migrate: n == 0));
            }

            var plan = await SeedAsync(nodes[0].App.Services, clients, settings.WatchersPerJob);
            var recorder = new Recorder((int)Math.Min(int.MaxValue / 2, (long)(clients * settings.Rate * settings.Seconds * 2) + 4096), new SweepProbe(plan.Jobs));
            var watchers = new int[plan.Jobs.Length];
            var dropped = 0;
            var connectFailures = 0;
            string? firstConnectError = null;

            GC.Collect();
            GC.WaitForPendingFinalizers();
            var workingSetBefore = CurrentWorkingSet();
            var connectCpuBefore = CpuTime();
            var connectClock = Stopwatch.StartNew();
            using (var connectTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(settings.ConnectTimeoutSeconds)))
            {
                try
                {
                    await Parallel.ForEachAsync(
                        Enumerable.Range(0, clients),
                        new ParallelOptions { MaxDegreeOfParallelism = settings.ConnectConcurrency, CancellationToken = connectTimeout.Token },
                        async (i, ct) =>
                        {
                            var (token, job) = plan.Clients[i];
                            var connection = new HubConnectionBuilder()
                                .WithUrl($"{nodes[i % nodes.Count].Address}{LiveHub.Path}", o =>
                                {
                                    o.Transports = HttpTransportType.WebSockets;
                                    o.SkipNegotiation = settings.SkipNegotiation;
                                    o.AccessTokenProvider = () => Task.FromResult<string?>(token);
                                    o.HttpMessageHandlerFactory = _ => new SharedHandler(negotiation);
                                })
                                .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()))
                                .Build();
                            connection.On<JobProgressNotice>(nameof(ILiveClient.JobProgress), recorder.OnProgress);
                            connection.Closed += _ =>
                            {
                                Interlocked.Increment(ref dropped);
                                return Task.CompletedTask;
                            };
                            connections[i] = connection;
                            try
                            {
                                await connection.StartAsync(ct);
                                await connection.InvokeAsync(nameof(LiveHub.WatchJob), plan.Jobs[job], ct);
                                Interlocked.Increment(ref watchers[job]);
                            }
                            catch (Exception e) when (e is not OperationCanceledException)
                            {
                                Interlocked.Increment(ref connectFailures);
                                Interlocked.CompareExchange(ref firstConnectError, $"{e.GetType().Name}: {e.Message}", null);
                            }
                        });
                }
                catch (OperationCanceledException)
                {
                    firstConnectError ??= $"connecting took over {settings.ConnectTimeoutSeconds} s";
                }
            }

            connectClock.Stop();
            var connectCpu = (CpuTime() - connectCpuBefore).TotalSeconds / connectClock.Elapsed.TotalSeconds / Environment.ProcessorCount;
            var connected = watchers.Sum();
            var threadsAfterConnect = ThreadPool.ThreadCount;
            var droppedWhileConnecting = Volatile.Read(ref dropped);
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var workingSetConnected = CurrentWorkingSet();

            var groups = plan.Jobs.Select((id, j) => new JobGroup(id, LiveGroups.Job(id), watchers[j])).Where(g => g.Watchers > 0).ToArray();
            var hub = nodes[^1].App.Services.GetRequiredService<IHubContext<LiveHub, ILiveClient>>();
            var cpuBefore = CpuTime();
            var gcPauseBefore = GC.GetTotalPauseDuration();
            var collectionsBefore = new[] { GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2) };
            var published = await PublishAsync(hub, groups, settings);
            // Messages still on their way get a short grace period; whatever has not arrived by then is lost.
            var grace = Stopwatch.StartNew();
            while (recorder.Received < published.ExpectedDeliveries && grace.Elapsed < TimeSpan.FromSeconds(5))
            {
                await Task.Delay(50);
            }

            var cpu = (CpuTime() - cpuBefore).TotalSeconds / (published.MeasuredSeconds + grace.Elapsed.TotalSeconds) / Environment.ProcessorCount;
            var gcPause = GC.GetTotalPauseDuration() - gcPauseBefore;
            var collections = string.Join('/', Enumerable.Range(0, 3).Select(g => GC.CollectionCount(g) - collectionsBefore[g]));
            var workingSetEnd = CurrentWorkingSet();
            var received = recorder.Received;
            var latencies = recorder.LatenciesMs();
            var scheduleLatencies = recorder.LatenciesMs(fromSchedule: true);
            var lost = published.ExpectedDeliveries - received;
            var sweep = await SweepAsync(nodes[^1].App.Services.GetRequiredService<ILiveNotifier>(), groups.Select(g => g.JobId).ToArray(), recorder.Sweep, settings.PublisherRounds);
            var line = Invariant($"nodes={settings.Nodes} db={(settings.Postgres ? "postgres" : "sqlite")} clients={clients} jobs={groups.Length} connected={connected} connect_s={connectClock.Elapsed.TotalSeconds:0.0} connect_cpu={connectCpu * 100:0}% pool_threads={threadsAfterConnect} ")
                + Invariant($"msgs_per_sec={received / published.MeasuredSeconds:0} expected={published.ExpectedDeliveries} received={received} lost={lost} ")
                + Invariant($"p50_ms={Percentile(latencies, 0.50):0.0} p90_ms={Percentile(latencies, 0.90):0.0} p99_ms={Percentile(latencies, 0.99):0.0} max_ms={(latencies.Length > 0 ? latencies[^1] : double.NaN):0.0} ")
                + Invariant($"p99_from_due_ms={Percentile(scheduleLatencies, 0.99):0.0} publish_lag_ms={published.MaxLagMs:0} send_errors={published.SendErrors} dropped={Volatile.Read(ref dropped) - droppedWhileConnecting} cpu={cpu * 100:0}% gc_pause_ms={gcPause.TotalMilliseconds:0} gcs={collections} ")
                + (sweep is { } w ? Invariant($"publisher_first_ms={w.FirstMs:0} publisher_last_ms={w.LastMs:0} publisher_ms_per_job={w.MsPerJob:0.00} publisher_missed={w.Missed} ") : "")
                + Invariant($"ws_mb={workingSetEnd / 1048576.0:0} conn_kb={(connected > 0 ? (workingSetConnected - workingSetBefore) / 1024.0 / connected : 0):0} load={load}")
                + (connectFailures > 0 || firstConnectError is not null ? Invariant($" connect_failures={connectFailures} first_error=\"{firstConnectError}\"") : "");
            return (connected == clients && lost == 0 && published.SendErrors == 0, line);
        }
        finally
        {
            await Parallel.ForEachAsync(connections, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (connection, _) =>
            {
                if (connection is not null)
                {
                    try
                    {
                        await connection.DisposeAsync();
                    }
                    catch (Exception)
                    {
                        // Closing is best effort: the node is stopped next anyway.
                    }
                }
            });

            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }

            if (settings.Postgres)
            {
                NpgsqlConnection.ClearAllPools();
                await using var admin = new NpgsqlConnection(settings.PostgresAdmin);
                await admin.OpenAsync();
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{pgDatabase}\" WITH (FORCE)", admin);
                await drop.ExecuteNonQueryAsync();
            }
            else
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                foreach (var file in new[] { sqlitePath, sqlitePath + "-wal", sqlitePath + "-shm" })
                {
                    File.Delete(file);
                }
            }
        }
    }

    /// <summary>
    /// Sends to the job groups on a fixed schedule: send k is due at k / (groups × rate) seconds, to group k mod groups,
    /// so each group hears <c>rate</c> messages a second, evenly spread. Sends are not awaited one by one (a slow
    /// one must not hold back the schedule); they are tracked and awaited at the end.
    /// </summary>
    private static async Task<Published> PublishAsync(IHubContext<LiveHub, ILiveClient> hub, JobGroup[] groups, LiveSettings settings)
    {
        if (groups.Length == 0)
        {
            return new Published(0, settings.Seconds, 0, 0);
        }

        var perSecond = groups.Length * settings.Rate;
        var measureFrom = (long)(perSecond * settings.Warmup);
        var end = measureFrom + (long)(perSecond * settings.Seconds);
        var expected = 0L;
        var errors = 0;
        var maxLag = 0.0;
        var pending = new List<Task>();
        var start = Stopwatch.GetTimestamp();
        var measureStart = 0L;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(5));
        for (var next = 0L; next < end;)
        {
            var elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
            var due = Math.Min(end, (long)(elapsed * perSecond) + 1);
            for (; next < due; next++)
            {
                var group = groups[next % groups.Length];
                var measured = next >= measureFrom;
                var sentAt = Stopwatch.GetTimestamp();
                if (next == measureFrom)
                {
                    measureStart = sentAt;
                }

                var scheduledAt = start + (long)(next * Stopwatch.Frequency / perSecond);
                maxLag = Math.Max(maxLag, Stopwatch.GetElapsedTime(scheduledAt, sentAt).TotalMilliseconds);
                var progress = new JobProgress(measured ? MeasuredPhase : 0, 0, (int)next, 0, BenchMarker, scheduledAt, sentAt, 0, null, null);
                var send = hub.Clients.Group(group.Name).JobProgress(new JobProgressNotice(group.JobId, JobStatus.Active, progress));
                if (measured)
                {
                    expected += group.Watchers;
                }

                if (!send.IsCompletedSuccessfully)
                {
                    pending.Add(send);
                }
            }

            if (pending.Count > 256)
            {
                errors += pending.Count(t => t.IsFaulted || t.IsCanceled);
                pending.RemoveAll(t => t.IsCompleted);
            }

            if (next < end)
            {
                await timer.WaitForNextTickAsync();
            }
        }

        var measuredSeconds = Math.Max(Stopwatch.GetElapsedTime(measureStart).TotalSeconds, settings.Seconds);
        foreach (var send in pending)
        {
            try
            {
                await send;
            }
            catch (Exception)
            {
                errors++;
            }
        }

        return new Published(expected, measuredSeconds, maxLag, errors);
    }

    /// <summary>
    /// The app's own progress path: marks every watched job as progressed at once through <see cref="ILiveNotifier.JobProgressed"/>
    /// and times when the watchers of the first and of the last job hear the <see cref="JobProgressPublisher"/>'s message
    /// (medians over the rounds). The gap between the two is the publisher working through its dirty jobs one by one.
    /// </summary>
    private static async Task<Sweep?> SweepAsync(ILiveNotifier live, Guid[] jobs, SweepProbe probe, int rounds)
    {
        if (rounds <= 0 || jobs.Length == 0)
        {
            return null;
        }

        var first = new List<double>();
        var last = new List<double>();
        var missed = 0;
        for (var round = 0; round < rounds; round++)
        {
            await Task.Delay(1000); // the previous round's stragglers arrive; the publisher is idle again
            probe.Reset();
            var touchedAt = Stopwatch.GetTimestamp();
            foreach (var job in jobs)
            {
                live.JobProgressed(job);
            }

            var waited = Stopwatch.StartNew();
            while (probe.JobsHeard < jobs.Length && waited.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(5);
            }

            var heard = probe.FirstHeard.Where(t => t != 0).ToArray();
            missed += jobs.Length - heard.Length;
            if (heard.Length > 0)
            {
                first.Add(Stopwatch.GetElapsedTime(touchedAt, heard.Min()).TotalMilliseconds);
                last.Add(Stopwatch.GetElapsedTime(touchedAt, heard.Max()).TotalMilliseconds);
            }
        }

        if (first.Count == 0)
        {
            return new Sweep(double.NaN, double.NaN, double.NaN, missed);
        }

        first.Sort();
        last.Sort();
        var (firstMs, lastMs) = (first[first.Count / 2], last[last.Count / 2]);
        return new Sweep(firstMs, lastMs, jobs.Length > 1 ? (lastMs - firstMs) / (jobs.Length - 1) : 0, missed);
    }

    /// <summary>One buyer (with an API token) per client; one organization and one active job per group of watchers.</summary>
    private static async Task<Plan> SeedAsync(IServiceProvider services, int clients, int watchersPerJob)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketplaceDbContext>();
        var buyerRole = await db.Roles.Where(r => r.Name == Roles.Buyer).Select(r => r.Id).SingleAsync();
        var jobCount = (clients + watchersPerJob - 1) / watchersPerJob;
        var jobs = new Guid[jobCount];
        var plan = new (string Token, int Job)[clients];
        var now = DateTime.UtcNow;
        var run = Guid.NewGuid().ToString("N")[..8];
        for (var j = 0; j < jobCount; j++)
        {
            var organization = new Organization { Id = Guid.NewGuid(), Name = $"live-bench-{run}-{j}", CreatedAt = now };
            var buyers = new List<ApplicationUser>();
            for (var i = j * watchersPerJob; i < Math.Min(clients, (j + 1) * watchersPerJob); i++)
            {
                var email = $"buyer-{run}-{i}@live-bench.test";
                var user = new ApplicationUser
                {
                    UserName = email,
                    NormalizedUserName = email.ToUpperInvariant(),
                    Email = email,
                    NormalizedEmail = email.ToUpperInvariant(),
                    EmailConfirmed = true,
                    DisplayName = $"Buyer {i}",
                    OrganizationId = organization.Id,
                    CreatedAt = now,
                };
                var secret = ApiToken.NewSecret();
                db.Add(user);
                db.UserRoles.Add(new IdentityUserRole<string> { UserId = user.Id, RoleId = buyerRole });
                db.ApiTokens.Add(new ApiToken { Id = Guid.NewGuid(), UserId = user.Id, Name = "live bench", Prefix = secret[..8], Hash = ApiToken.HashOf(secret), CreatedAt = now, Scopes = ApiTokenScopes.Read });
                plan[i] = (secret, j);
                buyers.Add(user);
            }

            var job = new Job
            {
                Id = Guid.NewGuid(),
                OrganizationId = organization.Id,
                Title = $"live bench {j}",
                TaskType = TaskType.SingleChoice,
                Labels = ["yes", "no"],
                PayPerLabelMinor = 5,
                Currency = "USD",
                Redundancy = 3,
                BudgetMinor = 100_000,
                CreatedByUserId = buyers[0].Id,
                CreatedAt = now,
            };
            db.AddRange(organization, job);
            jobs[j] = job.Id;
            if (j % 100 == 99 || j == jobCount - 1)
            {
                await db.SaveChangesAsync();
                db.ChangeTracker.Clear();
            }
        }

        return new Plan(jobs, plan);
    }

    private static TimeSpan CpuTime()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    private static long CurrentWorkingSet()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }

    private static double Percentile(double[] sorted, double q) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string? Option(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }

    private static int Int(string[] args, string name, int fallback) =>
        Option(args, name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    private sealed record LiveSettings(
        int Nodes, bool Postgres, string PostgresAdmin, string Redis, int Seconds, int Warmup, int WatchersPerJob, double Rate, int ConnectConcurrency, int ConnectTimeoutSeconds, bool SkipNegotiation, int PublisherRounds);

    private sealed record Plan(Guid[] Jobs, (string Token, int Job)[] Clients);

    private sealed record JobGroup(Guid JobId, string Name, int Watchers);

    private sealed record Sweep(double FirstMs, double LastMs, double MsPerJob, int Missed);

    private sealed record Published(long ExpectedDeliveries, double MeasuredSeconds, double MaxLagMs, int SendErrors);

    /// <summary>
    /// When each job's watchers first heard a real progress message (from the app's <see cref="JobProgressPublisher"/>) since
    /// the last <see cref="Reset"/>.
    /// </summary>
    private sealed class SweepProbe
    {
        private readonly Dictionary<Guid, int> _index;
        private long[] _first;
        private int _jobsHeard;

        public SweepProbe(Guid[] jobs)
        {
            _index = jobs.Select((id, j) => (id, j)).ToDictionary(x => x.id, x => x.j);
            _first = new long[jobs.Length];
        }

        public int JobsHeard => Volatile.Read(ref _jobsHeard);

        public long[] FirstHeard => _first;

        public void Reset()
        {
            _first = new long[_first.Length];
            Volatile.Write(ref _jobsHeard, 0);
        }

        public void Heard(Guid jobId, long now)
        {
            if (_index.TryGetValue(jobId, out var j) && Interlocked.CompareExchange(ref _first[j], now, 0) == 0)
            {
                Interlocked.Increment(ref _jobsHeard);
            }
        }
    }

    /// <summary>Forwards to a shared pool; disposing it (as each HubConnection does with its handler) leaves the pool alone.</summary>
    private sealed class SharedHandler(HttpMessageInvoker shared) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            shared.SendAsync(request, cancellationToken);
    }

    /// <summary>Every measured delivery's latency, from any client thread, without locks.</summary>
    private sealed class Recorder(int capacity, SweepProbe sweep)
    {
        private readonly long[] _latencyTicks = new long[capacity];
        private readonly long[] _scheduleLatencyTicks = new long[capacity];
        private long _received;

        public long Received => Interlocked.Read(ref _received);

        public SweepProbe Sweep => sweep;

        public void OnProgress(JobProgressNotice notice)
        {
            var now = Stopwatch.GetTimestamp();
            if (notice.Progress.BudgetMinor != BenchMarker)
            {
                sweep.Heard(notice.JobId, now);
                return;
            }

            if (notice.Progress.Items != MeasuredPhase)
            {
                return;
            }

            var at = Interlocked.Increment(ref _received) - 1;
            if (at < _latencyTicks.Length)
            {
                _latencyTicks[at] = now - (long)notice.Progress.LabelsPerHour;
                _scheduleLatencyTicks[at] = now - (long)notice.Progress.EstimatedAccuracy!.Value;
            }
        }

        /// <summary>Sorted latencies in milliseconds: from the send call, or from the time the send was due (publisher delays included).</summary>
        public double[] LatenciesMs(bool fromSchedule = false)
        {
            var ticks = fromSchedule ? _scheduleLatencyTicks : _latencyTicks;
            var count = (int)Math.Min(Received, ticks.Length);
            var ms = new double[count];
            for (var i = 0; i < count; i++)
            {
                ms[i] = ticks[i] * 1000.0 / Stopwatch.Frequency;
            }

            Array.Sort(ms);
            return ms;
        }
    }

    /// <summary>The app as <c>Program</c> builds it (AddMarketplace, UseMarketplace), on Kestrel at 127.0.0.1 on a free port.</summary>
    private sealed class Node : IAsyncDisposable
    {
        private Node(WebApplication app, string address)
        {
            App = app;
            Address = address;
        }

        public WebApplication App { get; }

        public string Address { get; }

        public static async Task<Node> StartAsync(LiveSettings settings, string connectionString, bool migrate)
        {
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Benchmark", ContentRootPath = Path.GetTempPath() });
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Logging.AddFilter("Microsoft.AspNetCore.StaticFiles", LogLevel.Error); // no wwwroot in the temporary content root
            // EF logs its probe of a fresh database's missing migrations history as a failed command; a real failure throws.
            builder.Logging.AddFilter("Microsoft.EntityFrameworkCore.Database.Command", LogLevel.None);
            builder.Configuration["Database:Provider"] = settings.Postgres ? nameof(DatabaseProvider.Postgres) : nameof(DatabaseProvider.Sqlite);
            builder.Configuration["ConnectionStrings:Marketplace"] = connectionString;
            builder.Configuration["Redis:Connection"] = settings.Nodes > 1 ? settings.Redis : "";
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.AddMarketplace();
            var app = builder.Build();
            app.UseMarketplace();
            if (migrate && settings.Postgres)
            {
                // As the migrate command does; SQLite migrates itself at start-up.
                await DatabaseMigrator.MigrateAsync(app.Services);
            }

            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            return new Node(app, address);
        }

        public async ValueTask DisposeAsync()
        {
            await App.StopAsync();
            await App.DisposeAsync();
        }
    }
}
