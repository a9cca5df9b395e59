using Marketplace.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Web.Data.Configurations;

internal sealed class FraudCaseConfiguration : IEntityTypeConfiguration<FraudCase>
{
    public void Configure(EntityTypeBuilder<FraudCase> builder)
    {
        builder.ToTable("FraudCases");
        builder.Property(c => c.ContributorId).HasMaxLength(450);
        builder.Property(c => c.Kind).HasConversion<string>().HasMaxLength(32);
        builder.Property(c => c.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.OpenKey).HasMaxLength(490);
        builder.Property(c => c.Summary).HasMaxLength(2000);
        builder.Property(c => c.AppealText).HasMaxLength(2000);
        builder.Property(c => c.Version).IsConcurrencyToken();
        builder.Ignore(c => c.IsClosed);
        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(c => c.ContributorId).OnDelete(DeleteBehavior.Restrict);

        // The database refuses a second open case of one kind for one contributor (NULLs, closed cases, never clash).
        builder.HasIndex(c => c.OpenKey).IsUnique();
        builder.HasIndex(c => new { c.Status, c.UpdatedAt });
        builder.HasIndex(c => new { c.ContributorId, c.Status });
    }
}

internal sealed class FraudCaseActionConfiguration : IEntityTypeConfiguration<FraudCaseAction>
{
    public void Configure(EntityTypeBuilder<FraudCaseAction> builder)
    {
        builder.ToTable("FraudCaseActions");
        builder.Property(a => a.Action).HasConversion<string>().HasMaxLength(16);
        builder.Property(a => a.ActorId).HasMaxLength(64);
        builder.Property(a => a.ActorName).HasMaxLength(256);
        builder.Property(a => a.Reason).HasMaxLength(2000);
        builder.HasOne<FraudCase>().WithMany().HasForeignKey(a => a.CaseId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(a => new { a.CaseId, a.Id });
    }
}

internal sealed class ContributorFingerprintConfiguration : IEntityTypeConfiguration<ContributorFingerprint>
{
    public void Configure(EntityTypeBuilder<ContributorFingerprint> builder)
    {
        builder.ToTable("ContributorFingerprints");
        builder.Property(f => f.UserId).HasMaxLength(450);
        builder.Property(f => f.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(f => f.Value).HasMaxLength(64);
        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(f => f.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(f => new { f.UserId, f.Kind, f.Value }).IsUnique();

        // Who else was seen on this address or device.
        builder.HasIndex(f => new { f.Kind, f.Value });
    }
}
