using Marketplace.Web.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Web.Domain;

/// <summary>
/// One line of the audit log: who did what to what, when and why. Only ever appended: the database context refuses
/// to update or delete one (<see cref="AuditTrailInterceptor"/>). Admin actions are written by the services that
/// perform them, in the same transaction; every ledger transaction (money moving) writes one by itself.
/// </summary>
public sealed class AuditEntry
{
    public long Id { get; private set; }

    /// <summary>UTC.</summary>
    public DateTime At { get; init; }

    /// <summary>The acting user's id, or <see cref="AuditActor.SystemId"/> for schedules, webhooks and background jobs.</summary>
    public required string ActorId { get; init; }

    public required string ActorName { get; init; }

    /// <summary>Dotted and stable, e.g. <c>tier.update</c>, <c>case.suspend</c>, <c>money.Accrual</c>.</summary>
    public required string Action { get; init; }

    public required string TargetKind { get; init; }

    public required string TargetId { get; init; }

    public string? Reason { get; init; }

    /// <summary>JSON with what the action changed (before/after, amounts), for people and exports.</summary>
    public string? Details { get; init; }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("AuditEntries");
        builder.Property(e => e.ActorId).HasMaxLength(64);
        builder.Property(e => e.ActorName).HasMaxLength(256);
        builder.Property(e => e.Action).HasMaxLength(64);
        builder.Property(e => e.TargetKind).HasMaxLength(64);
        builder.Property(e => e.TargetId).HasMaxLength(128);
        builder.Property(e => e.Reason).HasMaxLength(2000);
        builder.HasIndex(e => e.At);
        builder.HasIndex(e => new { e.Action, e.At });
        builder.HasIndex(e => new { e.ActorId, e.At });
        builder.HasIndex(e => new { e.TargetKind, e.TargetId });
    }
}
