using Marketplace.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Web.Data.Configurations;

internal sealed class JobConfiguration : IEntityTypeConfiguration<Job>
{
    public void Configure(EntityTypeBuilder<Job> builder)
    {
        builder.Property(j => j.Title).HasMaxLength(200);
        builder.Property(j => j.Instructions).HasMaxLength(20_000);
        builder.Property(j => j.Currency).HasMaxLength(3).IsFixedLength();
        builder.Property(j => j.MinimumTier).HasMaxLength(40);
        builder.Property(j => j.AggregationSummary).HasMaxLength(400);
        builder.Property(j => j.CreatedByUserId).HasMaxLength(450);
        builder.HasOne<Organization>().WithMany().HasForeignKey(j => j.OrganizationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(j => new { j.OrganizationId, j.Status });
        builder.HasIndex(j => j.Status);
    }
}

internal sealed class ItemConfiguration : IEntityTypeConfiguration<Item>
{
    public const string OpenSlotsIndex = "IX_Items_OpenSlots";
    public const string GoldIndex = "IX_Items_Gold";

    public void Configure(EntityTypeBuilder<Item> builder)
    {
        builder.Property(i => i.ExternalId).HasMaxLength(200);
        builder.Property(i => i.Payload).HasMaxLength(64_000);
        builder.Property(i => i.GoldAnswer).HasMaxLength(16_000);
        builder.Property(i => i.ConsensusAnswer).HasMaxLength(16_000);
        builder.HasOne<Job>().WithMany().HasForeignKey(i => i.JobId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(i => new { i.JobId, i.ExternalId }).IsUnique();

        // The claim query's path: open items of a job, fullest first, read in index order from just below the
        // redundancy, so a claim never sorts the job. Partial (open, non-gold items only): its filter is SQL and
        // each provider writes its own, in MarketplaceDbContext.OnModelCreating.
        builder.HasIndex(i => new { i.JobId, i.LabelsHeld, i.Id }, OpenSlotsIndex).IsDescending(false, true, false);
        builder.HasIndex(i => i.JobId, GoldIndex);
    }
}

internal sealed class JobContributorEstimateConfiguration : IEntityTypeConfiguration<JobContributorEstimate>
{
    public void Configure(EntityTypeBuilder<JobContributorEstimate> builder)
    {
        builder.Property(e => e.ContributorId).HasMaxLength(450);
        builder.Property(e => e.Method).HasMaxLength(40);
        builder.Property(e => e.Confusion).HasMaxLength(16_000);
        builder.HasOne<Job>().WithMany().HasForeignKey(e => e.JobId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(e => e.ContributorId).OnDelete(DeleteBehavior.Restrict);
        // A surrogate key: (JobId, ContributorId) would pass SQL Server's 900-byte clustered key limit.
        builder.HasIndex(e => new { e.JobId, e.ContributorId }).IsUnique();
    }
}
