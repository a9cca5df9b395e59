using Marketplace.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Web.Data.Configurations;

internal sealed class AssignmentConfiguration : IEntityTypeConfiguration<Assignment>
{
    public void Configure(EntityTypeBuilder<Assignment> builder)
    {
        builder.Property(a => a.ContributorId).HasMaxLength(450);
        builder.Property(a => a.Answer).HasMaxLength(16_000);
        builder.Property(a => a.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(a => a.Status).HasConversion<string>().HasMaxLength(16);
        builder.Ignore(a => a.IsGold);
        builder.HasOne<Job>().WithMany().HasForeignKey(a => a.JobId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Item>().WithMany().HasForeignKey(a => a.ItemId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(a => a.ContributorId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<QualificationAttempt>().WithMany().HasForeignKey(a => a.QualificationAttemptId).OnDelete(DeleteBehavior.Restrict);

        // The database itself refuses a second assignment of one item to one contributor.
        builder.HasIndex(a => new { a.ItemId, a.ContributorId }).IsUnique();
        builder.HasIndex(a => new { a.ContributorId, a.LeasedAt });
        builder.HasIndex(a => new { a.Status, a.LeaseExpiresAt });
        builder.HasIndex(a => new { a.JobId, a.Status, a.EndedAt });
        // An item's labels at submit; without it SQLite picks (Status, LeaseExpiresAt) and reads every submitted label.
        builder.HasIndex(a => new { a.ItemId, a.Status });
    }
}

internal sealed class QualificationConfiguration : IEntityTypeConfiguration<Qualification>
{
    public void Configure(EntityTypeBuilder<Qualification> builder)
    {
        // A surrogate key: (ContributorId, TaskType) would be over SQL Server's 900-byte clustered key limit.
        builder.HasIndex(q => new { q.ContributorId, q.TaskType }).IsUnique();
        builder.Property(q => q.ContributorId).HasMaxLength(450);
        builder.Property(q => q.Status).HasConversion<string>().HasMaxLength(16);
        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(q => q.ContributorId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class QualificationAttemptConfiguration : IEntityTypeConfiguration<QualificationAttempt>
{
    public void Configure(EntityTypeBuilder<QualificationAttempt> builder)
    {
        builder.Property(q => q.ContributorId).HasMaxLength(450);
        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(q => q.ContributorId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(q => new { q.ContributorId, q.TaskType, q.StartedAt });
    }
}
