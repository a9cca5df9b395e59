using System.Security.Claims;
using Marketplace.Web.Audit;
using Marketplace.Web.Data;
using Marketplace.Web.Domain;
using Marketplace.Web.Hosting;
using Marketplace.Web.Live;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Quality;

/// <summary>
/// An admin puts one contributor in a tier for a while, whatever their record says, or ends that early; and reads a
/// contributor's tier history. Every change is audited in the transaction that makes it.
/// </summary>
public sealed class TierOverrides(MarketplaceDbContext db, TierCatalog catalog, ContributorTiers tiers, AuditLog audit, ILiveNotifier live, TimeProvider clock)
{
    public const int MaxReasonLength = TierVersions.MaxReasonLength;
    public static readonly TimeSpan MaxOverride = TimeSpan.FromDays(365);

    /// <summary>Puts one contributor in a tier until <c>ExpiresAt</c>; replaces an override they already have.</summary>
    public async Task<Outcome<TierOverrideView>> SetAsync(ClaimsPrincipal user, string contributorId, TierOverrideRequest request, CancellationToken ct)
    {
        var profile = await db.ContributorProfiles.AsNoTracking().Where(p => p.UserId == contributorId).Select(p => new { p.Tier, p.Pseudonym }).SingleOrDefaultAsync(ct);
        if (profile is null)
        {
            return Failure.NotFound;
        }

        var set = await catalog.CurrentAsync(db, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var level = set.Find(request.Tier?.Trim());
        var reason = request.Reason?.Trim() ?? "";
        var expires = request.ExpiresAt?.ToUniversalTime();
        if (Check(set, level, request.Tier, reason, expires, now) is { } invalid)
        {
            return invalid;
        }

        var actor = AuditActor.From(user);
        TierNotice? move;
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            move = await PutAsync(contributorId, level!.Name, reason, expires!.Value, set.Version, actor, now, ct);
            try
            {
                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
            }
            catch (DbUpdateException)
            {
                // Another admin set an override for this contributor at the same moment.
                db.ChangeTracker.Clear();
                return Failure.Conflict("The override changed meanwhile.", "Another override for this contributor was saved at the same time; reload and try again.");
            }
        }

        if (move is not null)
        {
            await live.TierChangedAsync(contributorId, move, ct);
        }

        return new TierOverrideView(contributorId, profile.Pseudonym, level.Name, reason, expires.Value, now, actor.Name);
    }

    private static Failure? Check(TierSet set, TierLevel? level, string? tier, string reason, DateTime? expires, DateTime now)
    {
        var errors = new Dictionary<string, string[]>();
        if (level is null)
        {
            errors["tier"] = [$"'{tier}' is not a tier; use one of {string.Join(", ", set.Tiers.Select(t => t.Name))}."];
        }

        if (reason.Length == 0 || reason.Length > MaxReasonLength)
        {
            errors["reason"] = [$"Say why (1 to {MaxReasonLength} characters)."];
        }

        if (expires is null || expires <= now || expires > now + MaxOverride)
        {
            errors["expiresAt"] = [$"An expiry in the future, at most {MaxOverride.TotalDays:0} days away, is required."];
        }

        return errors.Count > 0 ? Failure.Validation(errors, "The override is not valid.") : null;
    }

    /// <summary>Writes the override, moves the contributor into its tier with a history line, and audits it: all staged for one save.</summary>
    private async Task<TierNotice?> PutAsync(string contributorId, string tier, string reason, DateTime expires, int version, AuditActor actor, DateTime now, CancellationToken ct)
    {
        var existing = await db.Set<TierOverride>().SingleOrDefaultAsync(o => o.ContributorId == contributorId, ct);
        var replaced = existing?.Tier;
        if (existing is null)
        {
            db.Add(new TierOverride { ContributorId = contributorId, Tier = tier, Reason = reason, ExpiresAt = expires, SetAt = now, SetById = actor.Id, SetByName = actor.Name });
        }
        else
        {
            (existing.Tier, existing.Reason, existing.ExpiresAt, existing.SetAt, existing.SetById, existing.SetByName) = (tier, reason, expires, now, actor.Id, actor.Name);
        }

        TierNotice? move = null;
        var from = await db.ContributorProfiles.Where(p => p.UserId == contributorId).Select(p => p.Tier).SingleAsync(ct);
        if (from != tier)
        {
            await db.ContributorProfiles.Where(p => p.UserId == contributorId).ExecuteUpdateAsync(s => s.SetProperty(p => p.Tier, tier), ct);
            db.Add(new TierChange
            {
                ContributorId = contributorId,
                From = from,
                To = tier,
                At = now,
                Kind = TierChangeKind.Override,
                Reason = ContributorTiers.Truncate($"override until {expires:u}: {reason}"),
                TierSetVersion = version,
                ActorId = actor.Id,
            });
            move = new TierNotice(from, tier);
        }

        audit.Record(actor, "tier.override", "Contributor", contributorId, reason, new { from, to = tier, expiresAt = expires, replaced });
        return move;
    }

    /// <summary>Ends an override now: the contributor is placed by their record at once.</summary>
    public async Task<Failure?> RemoveAsync(ClaimsPrincipal user, string contributorId, string? reason, CancellationToken ct)
    {
        reason = reason?.Trim() ?? "";
        if (reason.Length == 0 || reason.Length > MaxReasonLength)
        {
            return Failure.Validation(new Dictionary<string, string[]> { ["reason"] = [$"Say why (1 to {MaxReasonLength} characters)."] }, "A reason is required.");
        }

        var actor = AuditActor.From(user);
        TierNotice? move;
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            var removed = await db.Set<TierOverride>().AsNoTracking().Where(o => o.ContributorId == contributorId).Select(o => new { o.Tier, o.ExpiresAt }).SingleOrDefaultAsync(ct);
            if (removed is null || await db.Set<TierOverride>().Where(o => o.ContributorId == contributorId).ExecuteDeleteAsync(ct) == 0)
            {
                return Failure.NotFound;
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

        return null;
    }

    /// <summary>Every override still on record, soonest expiry first (an expired one stays until the next evaluation removes it).</summary>
    public async Task<IReadOnlyList<TierOverrideView>> ListAsync(CancellationToken ct) =>
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
