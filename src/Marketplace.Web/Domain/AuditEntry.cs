namespace Marketplace.Web.Domain;

/// <summary>
/// One line of the audit log: who did what to what, when and why. Only ever appended: the database context refuses
/// to update or delete one (the Audit feature's interceptor). Admin actions are written by the services that
/// perform them, in the same transaction; every ledger transaction (money moving) writes one by itself.
/// </summary>
public sealed class AuditEntry
{
    public long Id { get; private set; }

    /// <summary>UTC.</summary>
    public DateTime At { get; init; }

    /// <summary>The acting user's id, or <c>system</c> for schedules, webhooks and background jobs.</summary>
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
