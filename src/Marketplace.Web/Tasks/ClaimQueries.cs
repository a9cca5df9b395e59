using Marketplace.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Tasks;

/// <summary>
/// The one provider-specific query: take one open slot on an item of a job. Called inside the caller's
/// <see cref="WriteTransactions"/> transaction, which then records the assignment; if that transaction rolls back, so does the slot.
/// </summary>
public interface IClaimQuery
{
    /// <summary>
    /// Reserves a slot on an open, non-gold item of <paramref name="jobId"/> that <paramref name="contributorId"/>
    /// has never been assigned and that holds fewer than <paramref name="needed"/> labels, fullest first
    /// (items closest to finalization). Returns the item, or null when none is free.
    /// </summary>
    Task<Guid?> ReserveAsync(MarketplaceDbContext db, Guid jobId, string contributorId, int needed, CancellationToken ct);
}

/// <summary>PostgreSQL: row locks, and claimers skip rows another claimer holds instead of queueing on them.</summary>
internal sealed class PostgresClaimQuery : IClaimQuery
{
    public async Task<Guid?> ReserveAsync(MarketplaceDbContext db, Guid jobId, string contributorId, int needed, CancellationToken ct)
    {
        var rows = await db.Database.SqlQuery<Guid>($"""
            UPDATE "Items" SET "LabelsHeld" = "LabelsHeld" + 1
            WHERE "Id" = (
                SELECT i."Id" FROM "Items" AS i
                WHERE i."JobId" = {jobId} AND NOT i."IsGold" AND i."FinalizedAt" IS NULL AND i."LabelsHeld" < {needed}
                  AND NOT EXISTS (SELECT 1 FROM "Assignments" AS a WHERE a."ItemId" = i."Id" AND a."ContributorId" = {contributorId})
                ORDER BY i."LabelsHeld" DESC, i."Id"
                LIMIT 1
                FOR UPDATE SKIP LOCKED)
              AND "LabelsHeld" < {needed}
            RETURNING "Id" AS "Value"
            """).ToListAsync(ct);
        return rows.Count == 0 ? null : rows[0];
    }
}

/// <summary>SQL Server: update locks on the chosen row, and claimers read past rows another claimer holds.</summary>
public sealed class SqlServerClaimQuery : IClaimQuery
{
    /// <summary>The statement, kept as text so a test can parse it without a SQL Server engine.</summary>
    public const string Sql = """
        WITH next AS (
            SELECT TOP (1) i.[Id], i.[LabelsHeld] FROM [Items] AS i WITH (UPDLOCK, READPAST, ROWLOCK)
            WHERE i.[JobId] = @jobId AND i.[IsGold] = CAST(0 AS bit) AND i.[FinalizedAt] IS NULL AND i.[LabelsHeld] < @needed
              AND NOT EXISTS (SELECT 1 FROM [Assignments] AS a WHERE a.[ItemId] = i.[Id] AND a.[ContributorId] = @contributorId)
            ORDER BY i.[LabelsHeld] DESC, i.[Id])
        UPDATE next SET [LabelsHeld] = [LabelsHeld] + 1
        OUTPUT inserted.[Id] AS [Value];
        """;

    public async Task<Guid?> ReserveAsync(MarketplaceDbContext db, Guid jobId, string contributorId, int needed, CancellationToken ct)
    {
        var rows = await db.Database.SqlQueryRaw<Guid>(
            Sql,
            new Microsoft.Data.SqlClient.SqlParameter("@jobId", jobId),
            new Microsoft.Data.SqlClient.SqlParameter("@needed", needed),
            new Microsoft.Data.SqlClient.SqlParameter("@contributorId", contributorId)).ToListAsync(ct);
        return rows.Count == 0 ? null : rows[0];
    }
}

/// <summary>
/// SQLite: one writer at a time. Claims run inside <see cref="WriteTransactions"/>, which queues this process's writers
/// on one gate and begins each transaction IMMEDIATE, so the choice and the update can never interleave.
/// </summary>
internal sealed class SqliteClaimQuery : IClaimQuery
{
    public async Task<Guid?> ReserveAsync(MarketplaceDbContext db, Guid jobId, string contributorId, int needed, CancellationToken ct)
    {
        var rows = await db.Database.SqlQuery<Guid>($"""
            UPDATE "Items" SET "LabelsHeld" = "LabelsHeld" + 1
            WHERE "Id" = (
                SELECT i."Id" FROM "Items" AS i
                WHERE i."JobId" = {jobId} AND NOT i."IsGold" AND i."FinalizedAt" IS NULL AND i."LabelsHeld" < {needed}
                  AND NOT EXISTS (SELECT 1 FROM "Assignments" AS a WHERE a."ItemId" = i."Id" AND a."ContributorId" = {contributorId})
                ORDER BY i."LabelsHeld" DESC, i."Id"
                LIMIT 1)
            RETURNING "Id" AS "Value"
            """).ToListAsync(ct);
        return rows.Count == 0 ? null : rows[0];
    }

}
