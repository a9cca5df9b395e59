using Marketplace.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Web.Data.Configurations;

internal sealed class ApplicationUserConfiguration : IEntityTypeConfiguration<ApplicationUser>
{
    public void Configure(EntityTypeBuilder<ApplicationUser> builder)
    {
        builder.Property(u => u.DisplayName).HasMaxLength(100);
        builder.HasOne(u => u.Organization).WithMany().HasForeignKey(u => u.OrganizationId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class OrganizationConfiguration : IEntityTypeConfiguration<Organization>
{
    public void Configure(EntityTypeBuilder<Organization> builder)
    {
        builder.Property(o => o.Name).HasMaxLength(200);
        builder.HasIndex(o => o.Name).IsUnique();
    }
}

internal sealed class ApiTokenConfiguration : IEntityTypeConfiguration<ApiToken>
{
    public void Configure(EntityTypeBuilder<ApiToken> builder)
    {
        builder.Property(t => t.Name).HasMaxLength(100);
        builder.Property(t => t.Prefix).HasMaxLength(16);
        builder.Property(t => t.Hash).HasMaxLength(64).IsFixedLength();
        builder.HasIndex(t => t.Hash).IsUnique();
        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ContributorProfileConfiguration : IEntityTypeConfiguration<ContributorProfile>
{
    public void Configure(EntityTypeBuilder<ContributorProfile> builder)
    {
        builder.HasKey(p => p.UserId);
        builder.Property(p => p.Pseudonym).HasMaxLength(40);
        builder.HasIndex(p => p.Pseudonym).IsUnique();
        builder.Property(p => p.Skills).HasMaxLength(500);
        builder.Property(p => p.Languages).HasMaxLength(200);
        builder.Property(p => p.Country).HasMaxLength(2).IsFixedLength();
        builder.Property(p => p.Tier).HasMaxLength(40);
        builder.HasOne(p => p.User).WithOne().HasForeignKey<ContributorProfile>(p => p.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
