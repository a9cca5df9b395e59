using System.Diagnostics;
using System.Text;
using Marketplace.Web;
using Marketplace.Web.Data;
using Marketplace.Web.Domain;
using Marketplace.Web.Jobs;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Marketplace.Bench;

/// <summary>
/// <c>import [--rows N] [--format csv|jsonl]</c>: streams N generated rows through the app's own ItemImport
/// into the database the app is configured for (Database:Provider, ConnectionStrings:Marketplace, as for
/// the app, e.g. from environment variables). The file never exists whole: it is generated as it is read.
/// </summary>
internal static class ImportCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var rows = int.Parse(Option(args, "--rows") ?? "1000000", System.Globalization.CultureInfo.InvariantCulture);
        var format = Option(args, "--format") == "jsonl" ? ImportFormat.JsonLines : ImportFormat.Csv;

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Benchmark", ContentRootPath = Path.GetTempPath() });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        if (builder.Configuration.GetConnectionString(DatabaseOptions.ConnectionStringName) is null or "")
        {
            builder.Configuration["ConnectionStrings:Marketplace"] = $"Data Source={Path.Combine(Path.GetTempPath(), $"marketplace-import-bench-{Guid.NewGuid():N}.db")}";
        }

        builder.AddMarketplace();
        await using var app = builder.Build();
        await DatabaseMigrator.MigrateAsync(app.Services);

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketplaceDbContext>();
        var organization = new Organization { Id = Guid.NewGuid(), Name = $"bench-{Guid.NewGuid():N}", CreatedAt = DateTime.UtcNow };
        var user = new ApplicationUser { UserName = $"{organization.Name}@bench.test", Email = $"{organization.Name}@bench.test", OrganizationId = organization.Id, CreatedAt = DateTime.UtcNow };
        var job = new Job { Id = Guid.NewGuid(), OrganizationId = organization.Id, Title = "import benchmark", TaskType = TaskType.SingleChoice, Labels = ["yes", "no"], PayPerLabelMinor = 5, Currency = "USD", Redundancy = 3, CreatedByUserId = user.Id, CreatedAt = DateTime.UtcNow };
        db.AddRange(organization, user, job);
        await db.SaveChangesAsync();

        var provider = app.Services.GetRequiredService<DatabaseOptions>().Provider;
        var import = scope.ServiceProvider.GetRequiredService<ItemImport>();
        await using var body = new GeneratedRows(rows, format);
        GC.Collect();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var stopwatch = Stopwatch.StartNew();
        var outcome = await import.ImportAsync(job, body, format, gold: false, CancellationToken.None);
        stopwatch.Stop();
        if (!outcome.Succeeded || outcome.Imported != rows)
        {
            await Console.Error.WriteLineAsync($"import failed: {string.Join("; ", outcome.Errors.Take(3))}");
            return 1;
        }

        using var process = Process.GetCurrentProcess();
        Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"provider={provider.ToString().ToLowerInvariant()} format={format.ToString().ToLowerInvariant()} rows={rows} bytes={body.BytesProduced} seconds={stopwatch.Elapsed.TotalSeconds:0.00} rows_per_sec={rows / stopwatch.Elapsed.TotalSeconds:0} peak_working_set_mb={process.PeakWorkingSet64 / 1048576.0:0} allocated_mb={(GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / 1048576.0:0}"));
        return 0;
    }

    private static string? Option(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }

    /// <summary>A read-only stream that writes rows as they are asked for, like a network upload.</summary>
    private sealed class GeneratedRows(int rows, ImportFormat format) : Stream
    {
        private readonly byte[] _pending = new byte[4096];
        private int _pendingLength;
        private int _pendingOffset;
        private int _next = -1;

        public long BytesProduced { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => BytesProduced; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_pendingOffset == _pendingLength)
            {
                if (_next >= rows)
                {
                    return 0;
                }

                var line = _next < 0
                    ? (format == ImportFormat.Csv ? "id,text\n" : "")
                    : format == ImportFormat.Csv
                        ? $"item-{_next:0000000},\"Review {_next}: the product arrived on time, works as described\"\n"
                        : $"{{\"id\":\"item-{_next:0000000}\",\"payload\":{{\"text\":\"Review {_next}: the product arrived on time, works as described\"}}}}\n";
                _next++;
                _pendingLength = Encoding.UTF8.GetBytes(line, _pending);
                _pendingOffset = 0;
            }

            var n = Math.Min(count, _pendingLength - _pendingOffset);
            Array.Copy(_pending, _pendingOffset, buffer, offset, n);
            _pendingOffset += n;
            BytesProduced += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
