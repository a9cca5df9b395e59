using Microsoft.EntityFrameworkCore.Storage;

namespace Marketplace.Web.Data;

/// <summary>
/// Starts the write transactions that must not interleave: the work loop's (claim, submit, release, lease sweep), a
/// qualification test's, a fraud case decision's. On PostgreSQL and SQL Server they are plain transactions and the
/// statements inside take the row locks. SQLite has one writer: this process's writers queue on one gate, and each
/// transaction begins IMMEDIATE, so a read and the write that depends on it can never interleave with another's.
/// </summary>
public sealed class WriteTransactions(DatabaseOptions database) : IDisposable
{
    private readonly SemaphoreSlim? _writer = database.Provider == DatabaseProvider.Sqlite ? new(1, 1) : null;

    public async Task<WriteTransaction> BeginAsync(MarketplaceDbContext db, CancellationToken ct)
    {
        if (_writer is null)
        {
            return new WriteTransaction(await db.Database.BeginTransactionAsync(ct), null);
        }

        await _writer.WaitAsync(ct);
        try
        {
            // Microsoft.Data.Sqlite opens a non-deferred transaction with BEGIN IMMEDIATE.
            return new WriteTransaction(await db.Database.BeginTransactionAsync(ct), _writer);
        }
        catch
        {
            _writer.Release();
            throw;
        }
    }

    public void Dispose() => _writer?.Dispose();
}

/// <summary>A write transaction, plus the gate (SQLite's) released with it.</summary>
public sealed class WriteTransaction(IDbContextTransaction transaction, SemaphoreSlim? gate) : IAsyncDisposable
{
    private bool _disposed;

    public Task CommitAsync(CancellationToken ct) => transaction.CommitAsync(ct);

    /// <summary>Rolls back unless committed, and releases the gate; safe to call more than once.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            await transaction.DisposeAsync();
        }
        finally
        {
            gate?.Release();
        }
    }
}
