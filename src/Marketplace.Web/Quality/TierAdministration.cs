using System.Globalization;
using System.Security.Claims;
using Marketplace.Web.Audit;
using Marketplace.Web.Data;
using Marketplace.Web.Domain;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

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

/// <summary>
/// The admin's side of tiers: read, preview and save versions of the tier set; override one contributor's tier for a
/// while; read a contributor's tier history. Every change is audited in the transaction that makes it.
/// </summary>
public sealed class TierAdministration(MarketplaceDbContext db, TierCatalog catalog, ContributorTiers tiers, AuditLog audit, Live.ILiveNotifier live, TimeProvider clock)
{
    public const int MaxReasonLength = 2000;
    public static readonly TimeSpan MaxOverride = TimeSpan.FromDays(365);

    public async Task<TierSetView> CurrentAsync(CancellationToken ct) => (await VersionsAsync(ct))[0];

    /// <summary>Newest first; before the first save, just the configured version 1.</summary>
    public async Task<IReadOnlyList<TierSetView>> VersionsAsync(CancellationToken ct)
    {
        var rows = await db.Set<TierSetVersion>().AsNoTracking().OrderByDescending(v => v.Version).ToListAsync(ct);
        return rows.Count > 0
            ? rows.Select(r => new TierSetView(r.Version, r.SavedAt, r.SavedByName, r.Reason, TierCatalog.Read(r).Tiers)).ToList()
            : [new TierSetView(1, null, "configuration", InitialReason, catalog.Initial.Tiers)];
    }

    private const string InitialReason = "The configured tiers (Work:Tiers, or the defaults), before any edit.";

    /// <summary>Places every contributor's gold record under the proposed tiers, as the next evaluation would, without saving anything.</summary>
    public async Task<Results<Ok<TierPreview>, ValidationProblem>> PreviewAsync(PreviewTiersRequest request, CancellationToken ct)
    {
        var (levels, errors) = TierSet.Validate(request.Tiers);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The tiers are not valid.");
        }

        var current = await catalog.CurrentAsync(db, ct);
        var proposed = new TierSet(current.Version + 1, levels);
        var now = clock.GetUtcNow().UtcDateTime;
        var overridden = (await db.Set<TierOverride>().AsNoTracking().Where(o => o.ExpiresAt > now).Select(o => o.ContributorId).ToListAsync(ct)).ToHashSet();
        var records = await ContributorTiers.Records(db).ToListAsync(ct);

        int up = 0, down = 0, same = 0, held = 0;
        var before = new Dictionary<string, int>(StringComparer.Ordinal);
        var after = new Dictionary<string, int>(StringComparer.Ordinal);
        var moves = new Dictionary<(string, string), int>();
        foreach (var r in records)
        {
            string to;
            if (overridden.Contains(r.UserId))
            {
                to = r.Tier;
                held++;
            }
            else
            {
                to = tiers.Place(proposed, r.Tier, r.Correct, r.Wrong).Tier;
                // Up or down by rank in the proposed set; a tier it no longer has counts at the rank it had.
                var from = proposed.RankOf(r.Tier) is var rank and >= 0 ? rank : current.RankOf(r.Tier);
                var direction = to == r.Tier ? 0 : proposed.RankOf(to).CompareTo(from);
                if (direction > 0)
                {
                    up++;
                }
                else if (direction < 0)
                {
                    down++;
                }
                else
                {
                    same++;
                }

                if (to != r.Tier)
                {
                    moves[(r.Tier, to)] = moves.GetValueOrDefault((r.Tier, to)) + 1;
                }
            }

            before[r.Tier] = before.GetValueOrDefault(r.Tier) + 1;
            after[to] = after.GetValueOrDefault(to) + 1;
        }

        var names = proposed.Tiers.Select(t => t.Name).Concat(before.Keys.Order(StringComparer.Ordinal)).Distinct(StringComparer.Ordinal);
        var counts = names.Select(n => new TierCount(n, before.GetValueOrDefault(n), after.GetValueOrDefault(n))).ToList();
        var moveCounts = moves.OrderByDescending(m => m.Value).ThenBy(m => m.Key.Item1, StringComparer.Ordinal).ThenBy(m => m.Key.Item2, StringComparer.Ordinal)
            .Select(m => new TierMoveCount(m.Key.Item1, m.Key.Item2, m.Value)).ToList();
        return TypedResults.Ok(new TierPreview(records.Count, up, down, same, held, counts, moveCounts));
    }

    /// <summary>Saves the tiers as the next version, if nobody saved another since <c>ExpectedVersion</c>; contributors move at the next evaluation.</summary>
    public async Task<Results<Ok<TierSetView>, ValidationProblem, Conflict<ProblemDetails>>> SaveAsync(ClaimsPrincipal user, SaveTiersRequest request, CancellationToken ct)
    {
        var (levels, errors) = TierSet.Validate(request.Tiers);
        var reason = request.Reason?.Trim() ?? "";
        if (reason.Length == 0 || reason.Length > MaxReasonLength)
        {
            errors["reason"] = [$"Say why the tiers change (1 to {MaxReasonLength} characters)."];
        }

        if (request.ExpectedVersion is null)
        {
            errors["expectedVersion"] = ["The version the edit started from is required."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The tiers are not valid.");
        }

        var current = await catalog.CurrentAsync(db, ct);
        if (request.ExpectedVersion != current.Version)
        {
            return Stale(request.ExpectedVersion!.Value, current.Version);
        }

        if (await StillInUseAsync(current, levels, ct) is { Count: > 0 } inUse)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["tiers"] = [.. inUse] }, title: "A tier still in use would be removed.");
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
            return Stale(request.ExpectedVersion!.Value, (await catalog.CurrentAsync(db, ct)).Version);
        }

        return TypedResults.Ok(new TierSetView(version.Version, version.SavedAt, version.SavedByName, version.Reason, levels));
    }

    private static Conflict<ProblemDetails> Stale(int expected, int current) => TypedResults.Conflict(new ProblemDetails
    {
        Status = StatusCodes.Status409Conflict,
        Title = "The tiers changed since you started editing.",
        Detail = $"You edited version {expected}; the current version is {current}. Reload the tiers and apply your change again.",
        Extensions = { ["currentVersion"] = current },
    });

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

    /// <summary>Puts one contributor in a tier until <c>ExpiresAt</c>, whatever their record says; replaces an override they already have.</summary>
    public async Task<Results<Ok<TierOverrideView>, ValidationProblem, NotFound, Conflict<ProblemDetails>>> SetOverrideAsync(ClaimsPrincipal user, string contributorId, TierOverrideRequest request, CancellationToken ct)
    {
        var profile = await db.ContributorProfiles.AsNoTracking().Where(p => p.UserId == contributorId).Select(p => new { p.Tier, p.Pseudonym }).SingleOrDefaultAsync(ct);
        if (profile is null)
        {
            return TypedResults.NotFound();
        }

        var set = await catalog.CurrentAsync(db, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var errors = new Dictionary<string, string[]>();
        var level = set.Find(request.Tier?.Trim());
        if (level is null)
        {
            errors["tier"] = [$"'{request.Tier}' is not a tier; use one of {string.Join(", ", set.Tiers.Select(t => t.Name))}."];
        }

        var reason = request.Reason?.Trim() ?? "";
        if (reason.Length == 0 || reason.Length > MaxReasonLength)
        {
            errors["reason"] = [$"Say why (1 to {MaxReasonLength} characters)."];
        }

        var expires = request.ExpiresAt?.ToUniversalTime();
        if (expires is null || expires <= now || expires > now + MaxOverride)
        {
            errors["expiresAt"] = [$"An expiry in the future, at most {MaxOverride.TotalDays:0} days away, is required."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The override is not valid.");
        }

        var actor = AuditActor.From(user);
        Live.TierNotice? move = null;
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            var existing = await db.Set<TierOverride>().SingleOrDefaultAsync(o => o.ContributorId == contributorId, ct);
            var replaced = existing?.Tier;
            if (existing is null)
            {
                db.Add(new TierOverride { ContributorId = contributorId, Tier = level!.Name, Reason = reason, ExpiresAt = expires!.Value, SetAt = now, SetById = actor.Id, SetByName = actor.Name });
            }
            else
            {
                (existing.Tier, existing.Reason, existing.ExpiresAt, existing.SetAt, existing.SetById, existing.SetByName) = (level!.Name, reason, expires!.Value, now, actor.Id, actor.Name);
            }

            var from = await db.ContributorProfiles.Where(p => p.UserId == contributorId).Select(p => p.Tier).SingleAsync(ct);
            if (from != level.Name)
            {
                await db.ContributorProfiles.Where(p => p.UserId == contributorId).ExecuteUpdateAsync(s => s.SetProperty(p => p.Tier, level.Name), ct);
                db.Add(new TierChange
                {
                    ContributorId = contributorId,
                    From = from,
                    To = level.Name,
                    At = now,
                    Kind = TierChangeKind.Override,
                    Reason = ContributorTiers.Truncate($"override until {expires:u}: {reason}"),
                    TierSetVersion = set.Version,
                    ActorId = actor.Id,
                });
                move = new Live.TierNotice(from, level.Name);
            }

            audit.Record(actor, "tier.override", "Contributor", contributorId, reason, new { from, to = level.Name, expiresAt = expires, replaced });
            try
            {
                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
            }
            catch (DbUpdateException)
            {
                // Another admin set an override for this contributor at the same moment.
                db.ChangeTracker.Clear();
                return TypedResults.Conflict(new ProblemDetails { Status = StatusCodes.Status409Conflict, Title = "The override changed meanwhile.", Detail = "Another override for this contributor was saved at the same time; reload and try again." });
            }
        }

        if (move is not null)
        {
            await live.TierChangedAsync(contributorId, move, ct);
        }

        return TypedResults.Ok(new TierOverrideView(contributorId, profile.Pseudonym, level.Name, reason, expires.Value, now, actor.Name));
    }

    /// <summary>Ends an override now: the contributor is placed by their record at once.</summary>
    public async Task<Results<NoContent, ValidationProblem, NotFound>> RemoveOverrideAsync(ClaimsPrincipal user, string contributorId, string? reason, CancellationToken ct)
    {
        reason = reason?.Trim() ?? "";
        if (reason.Length == 0 || reason.Length > MaxReasonLength)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["reason"] = [$"Say why (1 to {MaxReasonLength} characters)."] }, title: "A reason is required.");
        }

        var actor = AuditActor.From(user);
        Live.TierNotice? move;
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            var removed = await db.Set<TierOverride>().AsNoTracking().Where(o => o.ContributorId == contributorId).Select(o => new { o.Tier, o.ExpiresAt }).SingleOrDefaultAsync(ct);
            if (removed is null || await db.Set<TierOverride>().Where(o => o.ContributorId == contributorId).ExecuteDeleteAsync(ct) == 0)
            {
                return TypedResults.NotFound();
            }

            move = await tiers.ReevaluateAsync(contributorId, ct, TierChangeKind.Override, ContributorTiers.Truncate($"override removed: {reason}"), actor.Id);
            audit.Record(actor, "tier.override.remove", "Contributor", contributorId, reason, new { removed.Tier, removed.ExpiresAt, movedTo = move?.To });
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }

        if (move is not null)
        {
            await live.TierChangedAsync(contributorId, move, ct);
        }

        return TypedResults.NoContent();
    }

    /// <summary>Every override still on record, soonest expiry first (an expired one stays until the next evaluation removes it).</summary>
    public async Task<IReadOnlyList<TierOverrideView>> OverridesAsync(CancellationToken ct) =>
        await (from o in db.Set<TierOverride>().AsNoTracking()
               join p in db.ContributorProfiles.AsNoTracking() on o.ContributorId equals p.UserId
               orderby o.ExpiresAt
               select new TierOverrideView(o.ContributorId, p.Pseudonym, o.Tier, o.Reason, o.ExpiresAt, o.SetAt, o.SetByName)).ToListAsync(ct);

    /// <summary>A contributor's tier moves, newest first: from, to, when and why (evaluation, override or expiry).</summary>
    public async Task<IReadOnlyList<TierHistoryEntry>> HistoryAsync(string contributorId, CancellationToken ct) =>
        await db.Set<TierChange>().AsNoTracking().Where(c => c.ContributorId == contributorId)
            .OrderByDescending(c => c.At).ThenByDescending(c => c.Id)
            .Select(c => new TierHistoryEntry(c.At, c.From, c.To, c.Kind, c.Reason, c.TierSetVersion, c.ActorId))
            .ToListAsync(ct);

    /// <summary>A contributor by user id or pseudonym (what an admin has to hand), or null.</summary>
    public Task<string?> FindContributorAsync(string idOrPseudonym, CancellationToken ct)
    {
        var key = idOrPseudonym.Trim();
        return db.ContributorProfiles.AsNoTracking().Where(p => p.UserId == key || p.Pseudonym == key).Select(p => p.UserId).FirstOrDefaultAsync(ct);
    }
}
