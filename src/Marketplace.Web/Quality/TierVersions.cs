using System.Globalization;
using System.Security.Claims;
using Marketplace.Web.Audit;
using Marketplace.Web.Data;
using Marketplace.Web.Domain;
using Marketplace.Web.Hosting;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Quality;

/// <summary>
/// The admin's edits of the tier set: read its versions, preview how a proposed set would place today's contributors,
/// and save it as the next version. Every save is audited in the transaction that makes it.
/// </summary>
public sealed class TierVersions(MarketplaceDbContext db, TierCatalog catalog, ContributorTiers tiers, AuditLog audit, TimeProvider clock)
{
    public const int MaxReasonLength = 2000;

    private const string InitialReason = "The configured tiers (Work:Tiers, or the defaults), before any edit.";

    public async Task<TierSetView> CurrentAsync(CancellationToken ct) => (await ListAsync(ct))[0];

    /// <summary>Newest first; before the first save, just the configured version 1.</summary>
    public async Task<IReadOnlyList<TierSetView>> ListAsync(CancellationToken ct)
    {
        var rows = await db.Set<TierSetVersion>().AsNoTracking().OrderByDescending(v => v.Version).ToListAsync(ct);
        return rows.Count > 0
            ? rows.Select(r => new TierSetView(r.Version, r.SavedAt, r.SavedByName, r.Reason, TierCatalog.Read(r).Tiers)).ToList()
            : [new TierSetView(1, null, "configuration", InitialReason, catalog.Initial.Tiers)];
    }

    /// <summary>Places every contributor's gold record under the proposed tiers, as the next evaluation would, without saving anything.</summary>
    public async Task<Outcome<TierPreview>> PreviewAsync(PreviewTiersRequest request, CancellationToken ct)
    {
        var (levels, errors) = TierSet.Validate(request.Tiers);
        if (errors.Count > 0)
        {
            return Failure.Validation(errors, "The tiers are not valid.");
        }

        var current = await catalog.CurrentAsync(db, ct);
        var proposed = new TierSet(current.Version + 1, levels);
        var now = clock.GetUtcNow().UtcDateTime;
        var overridden = (await db.Set<TierOverride>().AsNoTracking().Where(o => o.ExpiresAt > now).Select(o => o.ContributorId).ToListAsync(ct)).ToHashSet();
        var records = await ContributorTiers.Records(db).ToListAsync(ct);
        var count = new TierPreviewCount(current, proposed);
        foreach (var r in records)
        {
            count.Add(r.Tier, overridden.Contains(r.UserId) ? null : tiers.Place(proposed, r.Tier, r.Correct, r.Wrong).Tier);
        }

        return count.Result();
    }

    /// <summary>Saves the tiers as the next version, if nobody saved another since <c>ExpectedVersion</c>; contributors move at the next evaluation.</summary>
    public async Task<Outcome<TierSetView>> SaveAsync(ClaimsPrincipal user, SaveTiersRequest request, CancellationToken ct)
    {
        var (levels, errors) = TierSet.Validate(request.Tiers);
        var reason = request.Reason?.Trim() ?? "";
        if (reason.Length == 0 || reason.Length > MaxReasonLength)
        {
            errors["reason"] = [$"Say why the tiers change (1 to {MaxReasonLength} characters)."];
        }

        if (request.ExpectedVersion is not { } expected)
        {
            errors["expectedVersion"] = ["The version the edit started from is required."];
            return Failure.Validation(errors, "The tiers are not valid.");
        }

        if (errors.Count > 0)
        {
            return Failure.Validation(errors, "The tiers are not valid.");
        }

        var current = await catalog.CurrentAsync(db, ct);
        if (expected != current.Version)
        {
            return Stale(expected, current.Version);
        }

        if (await StillInUseAsync(current, levels, ct) is { Count: > 0 } inUse)
        {
            return Failure.Validation(new Dictionary<string, string[]> { ["tiers"] = [.. inUse] }, "A tier still in use would be removed.");
        }

        var actor = AuditActor.From(user);
        var now = clock.GetUtcNow().UtcDateTime;
        if (!await db.Set<TierSetVersion>().AnyAsync(ct))
        {
            // The configured version 1 goes in with the first save, so the history starts where the system did.
            db.Add(new TierSetVersion { Version = 1, SavedAt = now, SavedById = AuditActor.SystemId, SavedByName = "configuration", Reason = InitialReason, Tiers = TierCatalog.Write(current.Tiers) });
        }

        var version = new TierSetVersion { Version = current.Version + 1, SavedAt = now, SavedById = actor.Id, SavedByName = actor.Name, Reason = reason, Tiers = TierCatalog.Write(levels) };
        db.Add(version);
        audit.Record(actor, "tier.update", "TierSet", version.Version.ToString(CultureInfo.InvariantCulture), reason, new { previousVersion = current.Version, tiers = levels });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Only the version key can refuse this insert: another admin saved the same version first.
            db.ChangeTracker.Clear();
            return Stale(expected, (await catalog.CurrentAsync(db, ct)).Version);
        }

        return new TierSetView(version.Version, version.SavedAt, version.SavedByName, version.Reason, levels);
    }

    private static Failure Stale(int expected, int current) =>
        Failure.Conflict("The tiers changed since you started editing.", $"You edited version {expected}; the current version is {current}. Reload the tiers and apply your change again.")
            with
        { Extensions = new Dictionary<string, object?> { ["currentVersion"] = current } };

    /// <summary>Tiers the edit removes (or renames) that an open job names as its minimum tier or a live override names: refused.</summary>
    private async Task<List<string>> StillInUseAsync(TierSet current, IReadOnlyList<TierLevel> levels, CancellationToken ct)
    {
        var kept = levels.Select(l => l.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var removed = current.Tiers.Select(t => t.Name).Where(n => !kept.Contains(n)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (removed.Count == 0)
        {
            return [];
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var minimums = await db.Jobs.AsNoTracking()
            .Where(j => j.MinimumTier != null && j.Status != JobStatus.Completed && j.Status != JobStatus.Cancelled)
            .Select(j => j.MinimumTier!).ToListAsync(ct);
        var overrides = await db.Set<TierOverride>().AsNoTracking().Where(o => o.ExpiresAt > now).Select(o => o.Tier).ToListAsync(ct);
        var problems = new List<string>();
        foreach (var name in removed.Order(StringComparer.Ordinal))
        {
            var jobs = minimums.Count(m => string.Equals(m, name, StringComparison.OrdinalIgnoreCase));
            var held = overrides.Count(o => string.Equals(o, name, StringComparison.OrdinalIgnoreCase));
            if (jobs > 0)
            {
                problems.Add($"Tier '{name}' is the minimum tier of {jobs} open job(s): keep it, or wait until they finish.");
            }

            if (held > 0)
            {
                problems.Add($"Tier '{name}' is the override of {held} contributor(s): keep it, or remove those overrides first.");
            }
        }

        return problems;
    }
}

/// <summary>Tallies a preview: who moves up, down or stays, each tier's head count before and after, each move's count.</summary>
internal sealed class TierPreviewCount(TierSet current, TierSet proposed)
{
    private readonly Dictionary<string, int> _before = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _after = new(StringComparer.Ordinal);
    private readonly Dictionary<(string From, string To), int> _moves = [];
    private int _contributors, _up, _down, _same, _held;

    /// <summary>One contributor now in <paramref name="tier"/>, placed in <paramref name="to"/>; null when an override holds them.</summary>
    public void Add(string tier, string? to)
    {
        _contributors++;
        if (to is null)
        {
            to = tier;
            _held++;
        }
        else
        {
            // Up or down by rank in the proposed set; a tier it no longer has counts at the rank it had.
            var from = proposed.RankOf(tier) is var rank and >= 0 ? rank : current.RankOf(tier);
            var direction = to == tier ? 0 : proposed.RankOf(to).CompareTo(from);
            switch (direction)
            {
                case > 0:
                    _up++;
                    break;
                case < 0:
                    _down++;
                    break;
                default:
                    _same++;
                    break;
            }

            if (to != tier)
            {
                _moves[(tier, to)] = _moves.GetValueOrDefault((tier, to)) + 1;
            }
        }

        _before[tier] = _before.GetValueOrDefault(tier) + 1;
        _after[to] = _after.GetValueOrDefault(to) + 1;
    }

    public TierPreview Result()
    {
        var names = proposed.Tiers.Select(t => t.Name).Concat(_before.Keys.Order(StringComparer.Ordinal)).Distinct(StringComparer.Ordinal);
        var counts = names.Select(n => new TierCount(n, _before.GetValueOrDefault(n), _after.GetValueOrDefault(n))).ToList();
        var moves = _moves.OrderByDescending(m => m.Value).ThenBy(m => m.Key.From, StringComparer.Ordinal).ThenBy(m => m.Key.To, StringComparer.Ordinal)
            .Select(m => new TierMoveCount(m.Key.From, m.Key.To, m.Value)).ToList();
        return new TierPreview(_contributors, _up, _down, _same, _held, counts, moves);
    }
}
