namespace Marketplace.Web.Domain;

/// <summary>
/// One saved version of the tier definitions; never changed once written. The current version is the highest. Until an
/// admin first saves, version 1 is the configured tiers (<c>Work:Tiers</c>, or the defaults), and it is written with
/// that first save, so the history always starts at 1.
/// </summary>
public sealed class TierSetVersion
{
    /// <summary>The key: two admins saving on top of the same version collide on it, and the second gets a 409.</summary>
    public int Version { get; init; }

    public DateTime SavedAt { get; init; }

    public required string SavedById { get; init; }

    public required string SavedByName { get; init; }

    public required string Reason { get; init; }

    /// <summary>The tiers as JSON (the Quality feature's <c>TierLevel</c>s, lowest first): a version is read and written whole.</summary>
    public required string Tiers { get; init; }
}

/// <summary>
/// An admin's manual tier for one contributor, until <c>ExpiresAt</c>: evaluations leave them alone until then, and the
/// first evaluation after it removes this row and places them by their record again. One per contributor.
/// </summary>
public sealed class TierOverride
{
    public required string ContributorId { get; init; }

    public required string Tier { get; set; }

    public required string Reason { get; set; }

    public DateTime ExpiresAt { get; set; }

    public DateTime SetAt { get; set; }

    public required string SetById { get; set; }

    public required string SetByName { get; set; }
}

public enum TierChangeKind
{
    /// <summary>The contributor's gold record, under the tier set of the time.</summary>
    Evaluation,

    /// <summary>An admin set (or removed) an override.</summary>
    Override,

    /// <summary>An override ran out and the record placed them again.</summary>
    Expiry,
}

/// <summary>One move of one contributor between tiers; only ever appended.</summary>
public sealed class TierChange
{
    public long Id { get; private set; }

    public required string ContributorId { get; init; }

    public required string From { get; init; }

    public required string To { get; init; }

    public DateTime At { get; init; }

    public TierChangeKind Kind { get; init; }

    public required string Reason { get; init; }

    /// <summary>The tier set version in effect when they moved.</summary>
    public int TierSetVersion { get; init; }

    /// <summary>The admin behind an override; null for evaluations and expiries.</summary>
    public string? ActorId { get; init; }
}

public static class TierNames
{
    /// <summary>The longest tier name; the tier columns are this wide.</summary>
    public const int MaxLength = 40;
}
