using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Marketplace.Payouts;

/// <summary>
/// The Payouts tables, as the host's DbContext exposes them. The DbContext implements this interface and calls
/// <see cref="PayoutsModelBuilderExtensions.ApplyPayoutsModel"/> from OnModelCreating; everything it needs beyond
/// the sets (<see cref="Database"/>, <see cref="ChangeTracker"/>, SaveChangesAsync) a DbContext already has.
/// </summary>
public interface IPayoutsDb
{
    DbSet<LedgerTransaction> LedgerTransactions { get; }

    DbSet<LedgerEntry> LedgerEntries { get; }

    DbSet<LedgerAccount> LedgerAccounts { get; }

    DbSet<Earning> Earnings { get; }

    DbSet<EscrowFunding> EscrowFundings { get; }

    DbSet<EscrowRefund> EscrowRefunds { get; }

    DbSet<EscrowPaymentRequest> EscrowPaymentRequests { get; }

    DbSet<Payout> Payouts { get; }

    DbSet<PayoutRun> PayoutRuns { get; }

    DbSet<PayoutClawback> PayoutClawbacks { get; }

    DbSet<PayoutAccount> PayoutAccounts { get; }

    DbSet<StripeEventRecord> StripeEvents { get; }

    DatabaseFacade Database { get; }

    ChangeTracker ChangeTracker { get; }

    Task<int> SaveChangesAsync(CancellationToken cancellationToken = default);
}
