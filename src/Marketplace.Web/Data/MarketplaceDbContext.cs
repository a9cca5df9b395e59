using Marketplace.Payouts;
using Marketplace.Web.Domain;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Data;

/// <summary>
/// The one EF Core model. Each provider has an empty subclass (see <c>ProviderContexts.cs</c>) so that
/// migrations are kept per provider, as EF's multi-provider guidance recommends.
/// </summary>
public abstract class MarketplaceDbContext(DbContextOptions options) : IdentityDbContext<ApplicationUser>(options), IPayoutsDb
{
    // The money tables are Marketplace.Payouts' own (its configurations, ApplyPayoutsModel); living in this
    // context makes a label's acceptance and its earnings one transaction.
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

    public DbSet<Organization> Organizations => Set<Organization>();

    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();

    public DbSet<ContributorProfile> ContributorProfiles => Set<ContributorProfile>();

    public DbSet<Job> Jobs => Set<Job>();

    public DbSet<Item> Items => Set<Item>();

    public DbSet<Assignment> Assignments => Set<Assignment>();

    public DbSet<Qualification> Qualifications => Set<Qualification>();

    public DbSet<QualificationAttempt> QualificationAttempts => Set<QualificationAttempt>();

    public DbSet<JobContributorEstimate> JobContributorEstimates => Set<JobContributorEstimate>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(MarketplaceDbContext).Assembly);
        builder.ApplyPayoutsModel();

        // Partial indexes: the filter is SQL, so each provider gets its own dialect.
        var (open, gold) = Database.ProviderName == "Microsoft.EntityFrameworkCore.SqlServer"
            ? ("[IsGold] = 0 AND [FinalizedAt] IS NULL", "[IsGold] = 1")
            : ("NOT \"IsGold\" AND \"FinalizedAt\" IS NULL", "\"IsGold\"");
        builder.Entity<Item>().HasIndex(i => new { i.JobId, i.LabelsHeld, i.Id }, Configurations.ItemConfiguration.OpenSlotsIndex).HasFilter(open);
        builder.Entity<Item>().HasIndex(i => i.JobId, Configurations.ItemConfiguration.GoldIndex).HasFilter(gold);

        // Roles are part of the schema, not of start-up: every database has them once migrated.
        builder.Entity<IdentityRole>().HasData(
            new IdentityRole { Id = "6a1f2c1e-0000-4000-8000-000000000001", Name = Domain.Roles.Buyer, NormalizedName = "BUYER", ConcurrencyStamp = "buyer-v1" },
            new IdentityRole { Id = "6a1f2c1e-0000-4000-8000-000000000002", Name = Domain.Roles.Contributor, NormalizedName = "CONTRIBUTOR", ConcurrencyStamp = "contributor-v1" },
            new IdentityRole { Id = "6a1f2c1e-0000-4000-8000-000000000003", Name = Domain.Roles.Admin, NormalizedName = "ADMIN", ConcurrencyStamp = "admin-v1" });
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Enums are stored by name: readable in SQL and safe to reorder in code.
        configurationBuilder.Properties<TaskType>().HaveConversion<string>().HaveMaxLength(32);
        configurationBuilder.Properties<JobStatus>().HaveConversion<string>().HaveMaxLength(32);
        configurationBuilder.Properties<AggregationMethod>().HaveConversion<string>().HaveMaxLength(32);
    }
}
