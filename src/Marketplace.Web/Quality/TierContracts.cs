using Marketplace.Web.Domain;

namespace Marketplace.Web.Quality;

public sealed record TierSetView(int Version, DateTime? SavedAt, string SavedBy, string Reason, IReadOnlyList<TierLevel> Tiers);

public sealed record PreviewTiersRequest(IReadOnlyList<TierInput?>? Tiers);

/// <summary><c>ExpectedVersion</c> is the version the edit started from; anything else saved since makes it a 409.</summary>
public sealed record SaveTiersRequest(int? ExpectedVersion, string? Reason, IReadOnlyList<TierInput?>? Tiers);

/// <summary>
/// How a proposed tier set would place today's contributors at the next evaluation: how many move up, down or stay,
/// how many are held by a live override (they stay, and count in neither direction), each tier's head count before and
/// after, and each move from one tier to another. Up or down is by rank in the proposed set.
/// </summary>
public sealed record TierPreview(int Contributors, int Up, int Down, int Unchanged, int Overridden, IReadOnlyList<TierCount> Tiers, IReadOnlyList<TierMoveCount> Moves);

public sealed record TierCount(string Tier, int Before, int After);

public sealed record TierMoveCount(string From, string To, int Count);

public sealed record TierOverrideRequest(string? Tier, string? Reason, DateTime? ExpiresAt);

public sealed record TierOverrideView(string ContributorId, string Pseudonym, string Tier, string Reason, DateTime ExpiresAt, DateTime SetAt, string SetBy);

public sealed record TierHistoryEntry(DateTime At, string From, string To, TierChangeKind Kind, string Reason, int TierSetVersion, string? ActorId);
