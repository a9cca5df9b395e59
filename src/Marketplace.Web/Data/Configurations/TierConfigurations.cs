using Marketplace.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Web.Data.Configurations;

internal sealed class TierSetVersionConfiguration : IEntityTypeConfiguration<TierSetVersion>
{
    public void Configure(EntityTypeBuilder<TierSetVersion> builder)
    {
        builder.ToTable("TierSetVersions");
        builder.HasKey(v => v.Version);
        builder.Property(v => v.Version).ValueGeneratedNever();
        builder.Property(v => v.SavedById).HasMaxLength(64);
        builder.Property(v => v.SavedByName).HasMaxLength(256);
        builder.Property(v => v.Reason).HasMaxLength(2000);
    }
}

internal sealed class TierOverrideConfiguration : IEntityTypeConfiguration<TierOverride>
{
    public void Configure(EntityTypeBuilder<TierOverride> builder)
    {
        builder.ToTable("TierOverrides");
        builder.HasKey(o => o.ContributorId);
        builder.Property(o => o.Tier).HasMaxLength(TierNames.MaxLength);
        builder.Property(o => o.Reason).HasMaxLength(2000);
        builder.Property(o => o.SetById).HasMaxLength(64);
        builder.Property(o => o.SetByName).HasMaxLength(256);
        builder.HasOne<ContributorProfile>().WithOne().HasForeignKey<TierOverride>(o => o.ContributorId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(o => o.ExpiresAt);
    }
}

internal sealed class TierChangeConfiguration : IEntityTypeConfiguration<TierChange>
{
    public void Configure(EntityTypeBuilder<TierChange> builder)
    {
        builder.ToTable("TierChanges");
        builder.Property(c => c.From).HasMaxLength(TierNames.MaxLength);
        builder.Property(c => c.To).HasMaxLength(TierNames.MaxLength);
        builder.Property(c => c.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.Reason).HasMaxLength(2000);
        builder.Property(c => c.ActorId).HasMaxLength(64);
        builder.HasOne<ContributorProfile>().WithMany().HasForeignKey(c => c.ContributorId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(c => new { c.ContributorId, c.At });
    }
}
