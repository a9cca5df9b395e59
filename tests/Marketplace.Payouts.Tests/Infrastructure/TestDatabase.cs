using System.Collections;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Marketplace.Payouts.Tests.Infrastructure;

public enum DatabaseKind
{
    Sqlite,
    Postgres,
}

/// <summary>A DbContext the way the Web's will be: its own model plus <see cref="PayoutsModelBuilderExtensions.ApplyPayoutsModel"/>.</summary>
public sealed class TestPayoutsDb(DbContextOptions<TestPayoutsDb> options) : DbContext(options), IPayoutsDb
{
    public DbSet<LedgerTransaction> LedgerTransactions => Set<LedgerTransaction>();

    public DbSet<LedgerEntry> LedgerEntries => Set<LedgerEntry>();

    public DbSet<LedgerAccount> LedgerAccounts => Set<LedgerAccount>();

    public DbSet<Earning> Earnings => Set<Earning>();

    public DbSet<EscrowFunding> EscrowFundings => Set<EscrowFunding>();

    public DbSet<EscrowRefund> EscrowRefunds => Set<EscrowRefund>();

    public DbSet<EscrowPaymentRequest> EscrowPaymentRequests => Set<EscrowPaymentRequest>();

    public DbSet<Payout> Payouts => Set<Payout>();

    public DbSet<PayoutRun> PayoutRuns => Set<PayoutRun>();

    public DbSet<PayoutClawback> PayoutClawbacks => Set<PayoutClawback>();

    public DbSet<PayoutAccount> PayoutAccounts => Set<PayoutAccount>();

    public DbSet<StripeEventRecord> StripeEvents => Set<StripeEventRecord>();

    /// <summary>Stands in for the host's own tables, to show a posting commits or rolls back with them.</summary>
    public DbSet<AcceptedLabel> AcceptedLabels => Set<AcceptedLabel>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyPayoutsModel();
        modelBuilder.Entity<AcceptedLabel>().HasKey(l => l.AssignmentId);
    }
}

public sealed class AcceptedLabel
{
    public Guid AssignmentId { get; set; }

    public DateTime AcceptedAt { get; set; }
}

/// <summary>
/// A fresh database per test: a SQLite file, or a PostgreSQL database created and dropped around the test.
/// PostgreSQL comes from <c>MARKETPLACE_TEST_POSTGRES</c> (an admin connection string) or the local default.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string PostgresVariable = "MARKETPLACE_TEST_POSTGRES";
    private const string DefaultPostgres = "Host=127.0.0.1;Port=5432;Username=marketplace;Password=marketplace;Database=postgres";
    private readonly string _connectionString;
    private readonly Func<Task> _drop;

    private TestDatabase(DatabaseKind kind, string connectionString, Func<Task> drop)
    {
        Kind = kind;
        _connectionString = connectionString;
        _drop = drop;
    }

    public DatabaseKind Kind { get; }

    /// <summary>For tests that hold a lock or look at the server from a connection of their own.</summary>
    public string ConnectionString => _connectionString;

    public static string PostgresAdmin => Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } value ? value : DefaultPostgres;

    public static async Task<TestDatabase> CreateAsync(DatabaseKind kind)
    {
        TestDatabase database;
        if (kind == DatabaseKind.Sqlite)
        {
            var path = Path.Combine(Path.GetTempPath(), $"payouts-test-{Guid.NewGuid():N}.db");
            database = new TestDatabase(kind, $"Data Source={path}", () =>
            {
                SqliteConnection.ClearAllPools();
                foreach (var file in new[] { path, path + "-wal", path + "-shm" })
                {
                    File.Delete(file);
                }

                return Task.CompletedTask;
            });
        }
        else
        {
            var name = $"payouts_test_{Guid.NewGuid():N}";
            await using (var admin = new NpgsqlConnection(PostgresAdmin))
            {
                try
                {
                    await admin.OpenAsync();
                }
                catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
                {
                    throw new InvalidOperationException($"PostgreSQL is not reachable ({e.Message}). Start it (./test.sh does) or set {PostgresVariable}.", e);
                }

                await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
                await create.ExecuteNonQueryAsync();
            }

            var connection = new NpgsqlConnectionStringBuilder(PostgresAdmin) { Database = name, MaxPoolSize = 20 }.ConnectionString;
            database = new TestDatabase(kind, connection, async () =>
            {
                NpgsqlConnection.ClearAllPools();
                await using var admin = new NpgsqlConnection(PostgresAdmin);
                await admin.OpenAsync();
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", admin);
                await drop.ExecuteNonQueryAsync();
            });
        }

        await using var db = database.CreateContext();
        await db.Database.EnsureCreatedAsync();
        return database;
    }

    public TestPayoutsDb CreateContext()
    {
        var builder = new DbContextOptionsBuilder<TestPayoutsDb>();
        if (Kind == DatabaseKind.Sqlite)
        {
            builder.UseSqlite(_connectionString);
        }
        else
        {
            builder.UseNpgsql(_connectionString);
        }

        return new TestPayoutsDb(builder.Options);
    }

    public ValueTask DisposeAsync() => new(_drop());
}

/// <summary>
/// The databases a test runs on: SQLite always; PostgreSQL when it answers, and always with CI=true, so that in CI a
/// missing server fails the PostgreSQL cases instead of quietly dropping them.
/// </summary>
public sealed class Databases : IEnumerable<object[]>
{
    private static readonly Lazy<bool> PostgresWanted = new(() =>
    {
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        try
        {
            using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(TestDatabase.PostgresAdmin) { Timeout = 3 }.ConnectionString);
            connection.Open();
            return true;
        }
        catch (Exception)
        {
            Console.Error.WriteLine("PostgreSQL is not reachable: the Payouts database tests run on SQLite only (set CI=true to make this a failure).");
            return false;
        }
    });

    public IEnumerator<object[]> GetEnumerator()
    {
        yield return [DatabaseKind.Sqlite];
        if (PostgresWanted.Value)
        {
            yield return [DatabaseKind.Postgres];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
