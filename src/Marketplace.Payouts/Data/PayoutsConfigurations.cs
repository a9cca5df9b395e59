using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Payouts;

public static class PayoutsModelBuilderExtensions
{
    /// <summary>Adds the Payouts entities to the host's model. Call from the DbContext's OnModelCreating.</summary>
    public static ModelBuilder ApplyPayoutsModel(this ModelBuilder builder) =>
        builder.ApplyConfigurationsFromAssembly(typeof(PayoutsModelBuilderExtensions).Assembly);
}

// Lengths: owners hold a job id ("N" format) or an Identity user id; ids from Stripe stay well under 255.
internal static class Lengths
{
    public const int Owner = 64;
    public const int Currency = 3;
    public const int Enum = 32;
    public const int ExternalId = 255;
}

internal sealed class LedgerTransactionConfiguration : IEntityTypeConfiguration<LedgerTransaction>
{
    public void Configure(EntityTypeBuilder<LedgerTransaction> builder)
    {
        builder.ToTable("LedgerTransactions");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Id).ValueGeneratedNever();
        builder.Property(t => t.CauseKind).HasConversion<string>().HasMaxLength(Lengths.Enum);
        builder.Property(t => t.CauseId).HasMaxLength(Lengths.ExternalId);
        builder.Property(t => t.PostedAt);
        builder.Property(t => t.Memo).HasMaxLength(500);
        builder.Property(t => t.ReversesTransactionId);
        builder.Ignore(t => t.Cause);
        // The backstop for idempotent posting: one cause, one transaction, whatever the callers' races.
        builder.HasIndex(t => new { t.CauseKind, t.CauseId }).IsUnique();
        builder.HasIndex(t => t.PostedAt);
        builder.HasOne<LedgerTransaction>().WithMany().HasForeignKey(t => t.ReversesTransactionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(t => t.Entries).WithOne().HasForeignKey(e => e.TransactionId).OnDelete(DeleteBehavior.Restrict);
        builder.Navigation(t => t.Entries).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class LedgerEntryConfiguration : IEntityTypeConfiguration<LedgerEntry>
{
    public void Configure(EntityTypeBuilder<LedgerEntry> builder)
    {
        builder.ToTable("LedgerEntries");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.TransactionId);
        builder.Property(e => e.AccountKind).HasConversion<string>().HasMaxLength(Lengths.Enum);
        builder.Property(e => e.AccountOwner).HasMaxLength(Lengths.Owner);
        builder.Property(e => e.Direction).HasConversion<string>().HasMaxLength(8);
        builder.Property(e => e.AmountMinor);
        builder.Property(e => e.Currency).HasMaxLength(Lengths.Currency).IsFixedLength();
        builder.Ignore(e => e.Account);
        builder.Ignore(e => e.Amount);
        builder.Ignore(e => e.SignedForBalance);
        builder.HasIndex(e => new { e.AccountKind, e.AccountOwner, e.Currency });
        builder.ToTable(t => t.HasCheckConstraint("CK_LedgerEntries_AmountPositive", "\"AmountMinor\" > 0"));
    }
}

internal sealed class LedgerAccountConfiguration : IEntityTypeConfiguration<LedgerAccount>
{
    public void Configure(EntityTypeBuilder<LedgerAccount> builder)
    {
        builder.ToTable("LedgerAccounts");
        builder.HasKey(a => new { a.Kind, a.Owner, a.Currency });
        builder.Property(a => a.Kind).HasConversion<string>().HasMaxLength(Lengths.Enum);
        builder.Property(a => a.Owner).HasMaxLength(Lengths.Owner);
        builder.Property(a => a.Currency).HasMaxLength(Lengths.Currency).IsFixedLength();
        builder.Property(a => a.Version).IsConcurrencyToken();
    }
}

internal sealed class EarningConfiguration : IEntityTypeConfiguration<Earning>
{
    public void Configure(EntityTypeBuilder<Earning> builder)
    {
        builder.ToTable("Earnings");
        builder.HasKey(e => e.AssignmentId);
        builder.Property(e => e.AssignmentId).ValueGeneratedNever();
        builder.Property(e => e.JobId);
        builder.Property(e => e.ContributorId).HasMaxLength(Lengths.Owner);
        builder.Property(e => e.Tier).HasMaxLength(64);
        builder.Property(e => e.PayMinor);
        builder.Property(e => e.FeeMinor);
        builder.Property(e => e.Currency).HasMaxLength(Lengths.Currency).IsFixedLength();
        builder.Property(e => e.AccruedAt);
        builder.Property(e => e.ReleaseAfter);
        builder.Property(e => e.AccrualTransactionId);
        builder.Property(e => e.Status).HasConversion<string>().HasMaxLength(Lengths.Enum);
        builder.Property(e => e.ReversalReason).HasMaxLength(500);
        builder.Ignore(e => e.Pay);
        builder.HasIndex(e => new { e.Status, e.ReleaseAfter });
        builder.HasIndex(e => new { e.ContributorId, e.Status });
        builder.HasOne<LedgerTransaction>().WithMany().HasForeignKey(e => e.AccrualTransactionId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class EscrowFundingConfiguration : IEntityTypeConfiguration<EscrowFunding>
{
    public void Configure(EntityTypeBuilder<EscrowFunding> builder)
    {
        builder.ToTable("EscrowFundings");
        builder.HasKey(f => f.PaymentIntentId);
        builder.Property(f => f.PaymentIntentId).HasMaxLength(Lengths.ExternalId);
        builder.Property(f => f.JobId);
        builder.Property(f => f.AmountMinor);
        builder.Property(f => f.Currency).HasMaxLength(Lengths.Currency).IsFixedLength();
        builder.Property(f => f.FundedAt);
        builder.Property(f => f.DryRun);
        builder.HasIndex(f => f.JobId);
    }
}

internal sealed class EscrowRefundConfiguration : IEntityTypeConfiguration<EscrowRefund>
{
    public void Configure(EntityTypeBuilder<EscrowRefund> builder)
    {
        builder.ToTable("EscrowRefunds");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).ValueGeneratedNever();
        builder.Property(r => r.JobId);
        builder.Property(r => r.PaymentIntentId).HasMaxLength(Lengths.ExternalId);
        builder.Property(r => r.AmountMinor);
        builder.Property(r => r.Currency).HasMaxLength(Lengths.Currency).IsFixedLength();
        builder.Property(r => r.CreatedAt);
        builder.Property(r => r.IdempotencyKey).HasMaxLength(100);
        builder.Property(r => r.State).HasConversion<string>().HasMaxLength(Lengths.Enum);
        builder.Property(r => r.GatewayRefundId).HasMaxLength(Lengths.ExternalId);
        builder.Property(r => r.FailureReason).HasMaxLength(500);
        builder.Ignore(r => r.Amount);
        // One refund per payment per job: closing a job twice cannot refund it twice.
        builder.HasIndex(r => new { r.JobId, r.PaymentIntentId }).IsUnique();
        builder.HasOne<EscrowFunding>().WithMany().HasForeignKey(r => r.PaymentIntentId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class EscrowPaymentRequestConfiguration : IEntityTypeConfiguration<EscrowPaymentRequest>
{
    public void Configure(EntityTypeBuilder<EscrowPaymentRequest> builder)
    {
        builder.ToTable("EscrowPaymentRequests");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).ValueGeneratedNever();
        builder.Property(r => r.JobId);
        builder.Property(r => r.AmountMinor);
        builder.Property(r => r.Currency).HasMaxLength(Lengths.Currency).IsFixedLength();
        builder.Property(r => r.CreatedAt);
        builder.Property(r => r.PaymentIntentId).HasMaxLength(Lengths.ExternalId);
        builder.Property(r => r.State).HasConversion<string>().HasMaxLength(Lengths.Enum);
        builder.Property(r => r.RefusalReason).HasMaxLength(500);
        builder.Ignore(r => r.Amount);
        builder.HasIndex(r => r.PaymentIntentId);
        builder.HasIndex(r => r.JobId);
    }
}

internal sealed class PayoutConfiguration : IEntityTypeConfiguration<Payout>
{
    public void Configure(EntityTypeBuilder<Payout> builder)
    {
        builder.ToTable("Payouts");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).ValueGeneratedNever();
        builder.Property(p => p.RunId);
        builder.Property(p => p.ContributorId).HasMaxLength(Lengths.Owner);
        builder.Property(p => p.DestinationAccountId).HasMaxLength(Lengths.ExternalId);
        builder.Property(p => p.AmountMinor);
        builder.Property(p => p.Currency).HasMaxLength(Lengths.Currency).IsFixedLength();
        builder.Property(p => p.CreatedAt);
        builder.Property(p => p.State).HasConversion<string>().HasMaxLength(Lengths.Enum);
        builder.Property(p => p.IdempotencyKey).HasMaxLength(100);
        builder.Property(p => p.TransferId).HasMaxLength(Lengths.ExternalId);
        builder.Property(p => p.FailureReason).HasMaxLength(500);
        builder.Property(p => p.Version).IsConcurrencyToken();
        builder.Ignore(p => p.Amount);
        builder.HasIndex(p => new { p.RunId, p.ContributorId, p.Currency }).IsUnique();
        builder.HasIndex(p => new { p.ContributorId, p.State });
        builder.HasIndex(p => p.State);
        builder.HasIndex(p => p.TransferId);
        builder.HasOne<PayoutRun>().WithMany().HasForeignKey(p => p.RunId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class PayoutClawbackConfiguration : IEntityTypeConfiguration<PayoutClawback>
{
    public void Configure(EntityTypeBuilder<PayoutClawback> builder)
    {
        builder.ToTable("PayoutClawbacks");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.PayoutId);
        builder.Property(c => c.AmountMinor);
        builder.Property(c => c.Currency).HasMaxLength(Lengths.Currency).IsFixedLength();
        builder.Property(c => c.Reason).HasMaxLength(500);
        builder.Property(c => c.CreditJobId);
        builder.Property(c => c.CreatedAt);
        builder.Property(c => c.State).HasConversion<string>().HasMaxLength(Lengths.Enum);
        builder.Property(c => c.ReversalId).HasMaxLength(Lengths.ExternalId);
        builder.Property(c => c.FailureReason).HasMaxLength(500);
        builder.Property(c => c.AttemptStartedAt);
        builder.Property(c => c.SettledAt);
        builder.Property(c => c.Version).IsConcurrencyToken();
        builder.Ignore(c => c.Amount);
        builder.HasIndex(c => new { c.PayoutId, c.State });
        builder.HasOne<Payout>().WithMany().HasForeignKey(c => c.PayoutId).OnDelete(DeleteBehavior.Restrict);
        builder.ToTable(t => t.HasCheckConstraint("CK_PayoutClawbacks_AmountPositive", "\"AmountMinor\" > 0"));
    }
}

internal sealed class PayoutRunConfiguration : IEntityTypeConfiguration<PayoutRun>
{
    public void Configure(EntityTypeBuilder<PayoutRun> builder)
    {
        builder.ToTable("PayoutRuns");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).ValueGeneratedNever();
        builder.Property(r => r.RunKey).HasMaxLength(100);
        builder.Property(r => r.PlannedAt);
        // The flag is the planners' race: the one whose "WHERE Planning" still matches commits the plan.
        builder.Property(r => r.Planning).IsConcurrencyToken();
        builder.HasIndex(r => r.RunKey).IsUnique();
        builder.HasIndex(r => r.Planning);
    }
}

internal sealed class PayoutAccountConfiguration : IEntityTypeConfiguration<PayoutAccount>
{
    public void Configure(EntityTypeBuilder<PayoutAccount> builder)
    {
        builder.ToTable("PayoutAccounts");
        builder.HasKey(a => a.ContributorId);
        builder.Property(a => a.ContributorId).HasMaxLength(Lengths.Owner);
        builder.Property(a => a.GatewayAccountId).HasMaxLength(Lengths.ExternalId);
        builder.Property(a => a.CreatedAt);
        builder.Property(a => a.HoldReason).HasMaxLength(500);
        builder.HasIndex(a => a.GatewayAccountId).IsUnique();
    }
}

internal sealed class StripeEventRecordConfiguration : IEntityTypeConfiguration<StripeEventRecord>
{
    public void Configure(EntityTypeBuilder<StripeEventRecord> builder)
    {
        builder.ToTable("StripeEvents");
        builder.HasKey(e => e.EventId);
        builder.Property(e => e.EventId).HasMaxLength(Lengths.ExternalId);
        builder.Property(e => e.Type).HasMaxLength(100);
        builder.Property(e => e.CreatedAt);
        builder.Property(e => e.ReceivedAt);
        builder.Property(e => e.Payload);
        builder.Property(e => e.Outcome).HasMaxLength(500);
        builder.HasIndex(e => e.ProcessedAt);
    }
}
