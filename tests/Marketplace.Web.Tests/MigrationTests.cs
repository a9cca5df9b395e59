using Marketplace.Web.Data;
using Marketplace.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace Marketplace.Web.Tests;

/// <summary>
/// Checks that need no database server: every provider's migrations match the model, db/ scripts are not
/// stale, and the SQL Server script and model would be accepted by SQL Server (which cannot run here).
/// </summary>
public class MigrationTests
{
    public static TheoryData<DatabaseProvider> Providers => [DatabaseProvider.Sqlite, DatabaseProvider.Postgres, DatabaseProvider.SqlServer];

    [Theory]
    [MemberData(nameof(Providers))]
    public void Migrations_CoverTheWholeModel(DatabaseProvider provider)
    {
        using var db = Create(provider);
        Assert.False(db.Database.HasPendingModelChanges(), $"{provider} has model changes without a migration: run db/add-migration.sh NAME.");
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void DbScript_MatchesTheMigrations(DatabaseProvider provider)
    {
        using var db = Create(provider);
        var expected = Script(db, provider);
        var path = System.IO.Path.Combine(RepositoryRoot.Path, "db", $"{provider.ToString().ToLowerInvariant()}.sql");

        Assert.True(File.Exists(path), $"{path} is missing: run db/regenerate-scripts.sh.");
        Assert.True(Normalize(File.ReadAllText(path)) == Normalize(expected), $"{path} is stale: run db/regenerate-scripts.sh.");
    }

    [Fact]
    public async Task RunningBalances_StartFromTheSumOfEachAccountsEntries()
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"marketplace-migrate-{Guid.NewGuid():N}.db");
        try
        {
            var options = new DbContextOptionsBuilder<SqliteMarketplaceDbContext>().UseSqlite($"Data Source={path}").Options;
            await using (var before = new SqliteMarketplaceDbContext(options))
            {
                await before.GetService<IMigrator>().MigrateAsync("20261126230608_FraudCases");
                var tx = Guid.NewGuid().ToString().ToUpperInvariant();
                var rows = $"""
                    INSERT INTO "LedgerTransactions" ("Id", "CauseKind", "CauseId", "PostedAt", "Memo") VALUES ('{tx}', 'Payment', 'pi_1', '2026-11-01 00:00:00', 'funded');
                    INSERT INTO "LedgerAccounts" ("Kind", "Owner", "Currency", "Version") VALUES ('JobEscrow', 'job1', 'USD', 3);
                    INSERT INTO "LedgerAccounts" ("Kind", "Owner", "Currency", "Version") VALUES ('ContributorAvailable', 'ann', 'USD', 1);
                    INSERT INTO "LedgerEntries" ("Id", "TransactionId", "AccountKind", "AccountOwner", "Direction", "AmountMinor", "Currency") VALUES
                        ('{Guid.NewGuid()}', '{tx}', 'JobEscrow', 'job1', 'Credit', 1000, 'USD'),
                        ('{Guid.NewGuid()}', '{tx}', 'JobEscrow', 'job1', 'Debit', 300, 'USD'),
                        ('{Guid.NewGuid()}', '{tx}', 'JobEscrow', 'job1', 'Credit', 50, 'EUR'),
                        ('{Guid.NewGuid()}', '{tx}', 'PaymentsClearing', 'platform', 'Debit', 750, 'USD');
                    """;
                await before.Database.ExecuteSqlRawAsync(rows); // ids made here: nothing from outside
            }

            await using var after = new SqliteMarketplaceDbContext(options);
            await after.Database.MigrateAsync();
            var balances = await after.LedgerAccounts.AsNoTracking().ToDictionaryAsync(a => a.Owner, a => a.BalanceMinor);
            Assert.Equal(700, balances["job1"]); // its USD entries only
            Assert.Equal(0, balances["ann"]); // no entries yet
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(path);
        }
    }

    [Fact]
    public void SqlServerClaimQuery_ParsesAsTSql_AndUsesTheSkippingLocks()
    {
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);

        var fragment = parser.Parse(new StringReader(Marketplace.Web.Tasks.SqlServerClaimQuery.Sql), out var errors);

        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors.Select(e => $"line {e.Line}: {e.Message}")));
        var hints = fragment.ScriptTokenStream.Where(t => t.TokenType == TSqlTokenType.Identifier).Select(t => t.Text.ToUpperInvariant()).ToHashSet();
        Assert.All(new[] { "UPDLOCK", "READPAST", "ROWLOCK" }, hint => Assert.Contains(hint, hints));
        using var db = Create(DatabaseProvider.SqlServer);
        foreach (var column in new[] { "LabelsHeld", "IsGold", "FinalizedAt", "JobId", "ContributorId", "ItemId" })
        {
            Assert.Contains($"[{column}]", Marketplace.Web.Tasks.SqlServerClaimQuery.Sql, StringComparison.Ordinal);
            Assert.Contains(db.Model.GetEntityTypes(), e => e.GetProperties().Any(p => p.GetColumnName() == column));
        }
    }

    [Fact]
    public void SqlServerScript_ParsesAsTSql()
    {
        using var db = Create(DatabaseProvider.SqlServer);
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);

        parser.Parse(new StringReader(Script(db, DatabaseProvider.SqlServer)), out var errors);

        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors.Select(e => $"line {e.Line}: {e.Message}")));
    }

    [Fact]
    public void SqlServerModel_HasNoIndexSqlServerWouldRefuse()
    {
        using var db = Create(DatabaseProvider.SqlServer);
        var problems = new List<string>();
        foreach (var entity in db.Model.GetEntityTypes())
        {
            var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
            foreach (var index in entity.GetIndexes().Cast<IReadOnlyIndex>().Concat(entity.GetKeys().Select(KeyAsIndex)))
            {
                var columns = index.Properties.Select(p => (p.Name, Type: p.GetColumnType(table) ?? "")).ToList();
                var bytes = 0;
                foreach (var (name, type) in columns)
                {
                    var size = KeyBytes(type);
                    if (size is null)
                    {
                        problems.Add($"{entity.DisplayName()}.{name} ({type}) cannot be an index key on SQL Server.");
                    }

                    bytes += size ?? 0;
                }

                // 900 bytes for a clustered key (the primary key), 1700 for a nonclustered index. SQL Server refuses
                // an index only when that is exceeded by fixed-length columns; over-long variable-length keys (Identity's
                // stock composite keys) are accepted with a warning. Our own tables stay within the limit outright, so
                // no insert can ever fail on key length.
                var limit = index is KeyIndex ? 900 : 1700;
                var ours = entity.ClrType.Namespace?.StartsWith("Marketplace.", StringComparison.Ordinal) == true;
                var fixedBytes = columns.Where(c => !c.Type.StartsWith("nvarchar", StringComparison.OrdinalIgnoreCase) && !c.Type.StartsWith("varchar", StringComparison.OrdinalIgnoreCase) && !c.Type.StartsWith("varbinary", StringComparison.OrdinalIgnoreCase)).Sum(c => KeyBytes(c.Type) ?? 0);
                if ((ours ? bytes : fixedBytes) > limit)
                {
                    problems.Add($"{entity.DisplayName()} index ({string.Join(", ", columns.Select(c => c.Name))}) is {bytes} bytes > {limit}.");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void SqlServerModel_HasNoMultipleCascadePathsOrCycles()
    {
        using var db = Create(DatabaseProvider.SqlServer);
        var edges = db.Model.GetEntityTypes()
            .SelectMany(e => e.GetForeignKeys())
            .Where(fk => fk.DeleteBehavior == DeleteBehavior.Cascade)
            .Select(fk => (From: fk.PrincipalEntityType.GetTableName()!, To: fk.DeclaringEntityType.GetTableName()!))
            .ToList();
        var tables = edges.SelectMany(e => new[] { e.From, e.To }).Distinct().ToList();

        foreach (var root in tables)
        {
            // SQL Server refuses a second cascade path from one table to another, and any cascade cycle.
            var paths = new Dictionary<string, int>();
            var stack = new Stack<(string Table, HashSet<string> Seen)>([(root, [root])]);
            while (stack.Count > 0)
            {
                var (table, seen) = stack.Pop();
                foreach (var edge in edges.Where(e => e.From == table))
                {
                    Assert.False(seen.Contains(edge.To), $"Cascade cycle through {edge.To} from {root}.");
                    paths[edge.To] = paths.GetValueOrDefault(edge.To) + 1;
                    Assert.True(paths[edge.To] == 1, $"More than one cascade path from {root} to {edge.To}.");
                    stack.Push((edge.To, [.. seen, edge.To]));
                }
            }
        }

        Assert.NotEmpty(edges);
    }

    internal static MarketplaceDbContext Create(DatabaseProvider provider) => provider switch
    {
        DatabaseProvider.Sqlite => new SqliteDesignTimeFactory().CreateDbContext([]),
        DatabaseProvider.Postgres => new PostgresDesignTimeFactory().CreateDbContext([]),
        _ => new SqlServerDesignTimeFactory().CreateDbContext([]),
    };

    // The same call `dotnet ef migrations script` makes; SQLite cannot make idempotent scripts.
    private static string Script(MarketplaceDbContext db, DatabaseProvider provider) =>
        db.GetService<IMigrator>().GenerateScript(options: provider == DatabaseProvider.Sqlite ? MigrationsSqlGenerationOptions.Default : MigrationsSqlGenerationOptions.Idempotent);

    private static string Normalize(string sql) =>
        string.Join('\n', sql.ReplaceLineEndings("\n").Split('\n').Select(l => l.TrimEnd())).Trim();

    private static int? KeyBytes(string columnType)
    {
        var type = columnType.ToLowerInvariant();
        if (type.Contains("(max)", StringComparison.Ordinal))
        {
            return null;
        }

        var open = type.IndexOf('(', StringComparison.Ordinal);
        var length = open < 0 ? 0 : int.Parse(type[(open + 1)..type.IndexOf(')', StringComparison.Ordinal)].Split(',')[0], System.Globalization.CultureInfo.InvariantCulture);
        var name = open < 0 ? type : type[..open];
        return name switch
        {
            "nvarchar" or "nchar" => 2 * length,
            "varchar" or "char" or "varbinary" or "binary" => length,
            "uniqueidentifier" => 16,
            "bigint" or "datetime2" or "datetime" or "float" => 8,
            "int" or "real" => 4,
            "smallint" => 2,
            "bit" or "tinyint" => 1,
            "datetimeoffset" => 10,
            "decimal" or "numeric" => 17,
            "nvarchar(max)" or "varbinary(max)" => null,
            _ => throw new InvalidOperationException($"Unknown SQL Server type {columnType}: teach this test its key size."),
        };
    }

    private static KeyIndex KeyAsIndex(IReadOnlyKey key) => new(key);

    // Lets primary keys be checked with the same loop as indexes.
    private sealed class KeyIndex(IReadOnlyKey key) : IReadOnlyIndex
    {
        public IReadOnlyList<IReadOnlyProperty> Properties => key.Properties;

        public string? Name => null;

        public bool IsUnique => true;

        public IReadOnlyList<bool>? IsDescending => null;

        public IReadOnlyEntityType DeclaringEntityType => key.DeclaringEntityType;

        public object? this[string name] => key[name];

        public IAnnotation? FindAnnotation(string name) => key.FindAnnotation(name);

        public IEnumerable<IAnnotation> GetAnnotations() => key.GetAnnotations();

        public string ToDebugString(MetadataDebugStringOptions options = MetadataDebugStringOptions.ShortDefault, int indent = 0) => key.ToDebugString(options, indent);
    }
}
