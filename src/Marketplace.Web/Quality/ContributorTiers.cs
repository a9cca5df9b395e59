using Marketplace.Web.Data;
using Marketplace.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Quality;

/// <summary>
/// Places contributors in the tier their gold record earns under the current tier set (the scoring engine's policy,
/// with hysteresis so a contributor on a boundary does not flap). Runs after each gold answer, and periodically for
/// everyone, so a saved tier set takes effect without waiting for anyone's next gold answer. A contributor under an
/// unexpired override is left alone; the first evaluation after it expires removes it. Every move is written to
/// <see cref="TierChange"/> in the same transaction as the move itself.
/// </summary>
public sealed partial class ContributorTiers(
    MarketplaceDbContext db,
    TierCatalog catalog,
    Live.ILiveNotifier live,
    TimeProvider clock,
    ContributorAccuracy accuracy,
    ILogger<ContributorTiers> logger)
{
    /// <summary>
    /// Re-evaluates one contributor inside the caller's unit of work: the move is made at once, its history row is
    /// staged for the caller's save. Returns the move when there was one; the caller announces it once committed.
    /// An admin's action that prompts it (removing an override) passes its kind, cause and actor for the history.
    /// </summary>
    public async Task<Live.TierNotice?> ReevaluateAsync(string userId, CancellationToken ct, TierChangeKind kind = TierChangeKind.Evaluation, string? cause = null, string? actorId = null)
    {
        var totals = await db.Qualifications.AsNoTracking().Where(q => q.ContributorId == userId)
            .GroupBy(_ => 1).Select(g => new { Correct = g.Sum(q => q.GoldCorrect), Wrong = g.Sum(q => q.GoldWrong) }).SingleOrDefaultAsync(ct);
        var current = await db.ContributorProfiles.AsNoTracking().Where(p => p.UserId == userId).Select(p => p.Tier).SingleOrDefaultAsync(ct);
        if (current is null)
        {
            return null;
        }

        var held = await db.Set<TierOverride>().AsNoTracking().Where(o => o.ContributorId == userId).Select(o => (DateTime?)o.ExpiresAt).SingleOrDefaultAsync(ct);
        var set = await catalog.CurrentAsync(db, ct);
        return await MoveAsync(set, userId, current, totals?.Correct ?? 0, totals?.Wrong ?? 0, held, clock.GetUtcNow().UtcDateTime, new Cause(kind, cause, actorId), ct);
    }

    /// <summary>Re-evaluates every contributor, each move in its own transaction; returns how many moved. Safe to run twice or on several nodes.</summary>
    public async Task<int> ReevaluateAllAsync(CancellationToken ct)
    {
        var set = await catalog.CurrentAsync(db, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var overrides = await db.Set<TierOverride>().AsNoTracking().ToDictionaryAsync(o => o.ContributorId, o => o.ExpiresAt, ct);
        var records = await Records(db).ToListAsync(ct);
        var moved = 0;
        foreach (var r in records)
        {
            var held = overrides.TryGetValue(r.UserId, out var expires) ? expires : (DateTime?)null;
            if (held > now || (held is null && Place(set, r.Tier, r.Correct, r.Wrong).Tier == r.Tier))
            {
                continue; // nothing to do: no write, no transaction
            }

            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var move = await MoveAsync(set, r.UserId, r.Tier, r.Correct, r.Wrong, held, now, new Cause(TierChangeKind.Evaluation, null, null), ct);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            db.ChangeTracker.Clear();
            if (move is not null)
            {
                await live.TierChangedAsync(r.UserId, move, ct);
                moved++;
            }
        }

        return moved;
    }

    /// <summary>Every contributor's current tier and gold record (summed over task types).</summary>
    public static IQueryable<ContributorRecord> Records(MarketplaceDbContext db) =>
        from p in db.ContributorProfiles.AsNoTracking()
        join q in db.Qualifications.AsNoTracking() on p.UserId equals q.ContributorId into qs
        select new ContributorRecord(p.UserId, p.Tier, qs.Sum(q => q.GoldCorrect), qs.Sum(q => q.GoldWrong));

    /// <summary>Where a record places a contributor now in <paramref name="current"/> under <paramref name="set"/>.</summary>
    public (string Tier, string Reason) Place(TierSet set, string current, int correct, int wrong)
    {
        var decision = set.Policy.Evaluate(accuracy.Posterior(correct, wrong), set.Find(current)?.Name ?? current);
        return (decision.Tier?.Name ?? set.Entry.Name, decision.Reason);
    }

    private async Task<Live.TierNotice?> MoveAsync(TierSet set, string userId, string current, int correct, int wrong, DateTime? held, DateTime now, Cause cause, CancellationToken ct)
    {
        var kind = cause.Kind;
        if (held is { } expires)
        {
            if (expires > now)
            {
                return null;
            }

            // The first evaluation past the expiry removes it (once, whichever node) and places them by their record.
            if (await db.Set<TierOverride>().Where(o => o.ContributorId == userId && o.ExpiresAt <= now).ExecuteDeleteAsync(ct) > 0)
            {
                kind = TierChangeKind.Expiry;
                LogOverrideExpired(logger, userId, current);
            }
        }

        var (tier, reason) = Place(set, current, correct, wrong);
        if (tier == current)
        {
            return null;
        }

        // Conditional on the tier we read and on no live override, so two evaluations racing (or an admin's override
        // landing meanwhile) move a contributor once, or not at all.
        var updated = await db.ContributorProfiles
            .Where(p => p.UserId == userId && p.Tier == current && !db.Set<TierOverride>().Any(o => o.ContributorId == userId && o.ExpiresAt > now))
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.Tier, tier), ct);
        if (updated == 0)
        {
            return null;
        }

        var why = kind == TierChangeKind.Expiry ? $"override expired; {reason}" : reason;
        db.Add(new TierChange
        {
            ContributorId = userId,
            From = current,
            To = tier,
            At = now,
            Kind = kind,
            Reason = Truncate(cause.Note is null ? why : $"{cause.Note}; {why}"),
            TierSetVersion = set.Version,
            ActorId = cause.ActorId,
        });
        LogTierChange(logger, userId, current, tier, why);
        return new Live.TierNotice(current, tier);
    }

    private sealed record Cause(TierChangeKind Kind, string? Note, string? ActorId);

    internal static string Truncate(string text) => text.Length > 2000 ? text[..2000] : text;

    [LoggerMessage(Level = LogLevel.Information, Message = "Contributor {UserId} moves from tier {From} to {To}: {Reason}")]
    private static partial void LogTierChange(ILogger logger, string userId, string from, string to, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Tier override of contributor {UserId} ({Tier}) expired")]
    private static partial void LogOverrideExpired(ILogger logger, string userId, string tier);
}

public sealed record ContributorRecord(string UserId, string Tier, int Correct, int Wrong);
