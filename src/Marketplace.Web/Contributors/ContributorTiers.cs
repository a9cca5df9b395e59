using Marketplace.Scoring.Quality;
using Marketplace.Web.Data;
using Marketplace.Web.Work;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Marketplace.Web.Contributors;

/// <summary>
/// Places contributors in the tier their gold record earns (the scoring engine's policy, with hysteresis so a
/// contributor on a boundary does not flap). Runs after each gold answer, and periodically for everyone, so a
/// change to the tier definitions takes effect without waiting for anyone's next gold answer.
/// </summary>
public sealed partial class ContributorTiers(MarketplaceDbContext db, Live.ILiveNotifier live, IOptions<WorkOptions> options, ILogger<ContributorTiers> logger)
{
    /// <summary>Re-evaluates one contributor; returns the move when there was one. The caller announces it once committed.</summary>
    public async Task<Live.TierNotice?> ReevaluateAsync(string userId, CancellationToken ct)
    {
        var totals = await db.Qualifications.AsNoTracking().Where(q => q.ContributorId == userId)
            .GroupBy(_ => 1).Select(g => new { Correct = g.Sum(q => q.GoldCorrect), Wrong = g.Sum(q => q.GoldWrong) }).SingleOrDefaultAsync(ct);
        var current = await db.ContributorProfiles.AsNoTracking().Where(p => p.UserId == userId).Select(p => p.Tier).SingleOrDefaultAsync(ct);
        return current is null ? null : await MoveAsync(userId, current, totals?.Correct ?? 0, totals?.Wrong ?? 0, ct);
    }

    /// <summary>Re-evaluates every contributor; returns how many moved. Safe to run twice or on several nodes.</summary>
    public async Task<int> ReevaluateAllAsync(CancellationToken ct)
    {
        var records = await (
            from p in db.ContributorProfiles.AsNoTracking()
            join q in db.Qualifications.AsNoTracking() on p.UserId equals q.ContributorId into qs
            select new { p.UserId, p.Tier, Correct = qs.Sum(q => q.GoldCorrect), Wrong = qs.Sum(q => q.GoldWrong) }).ToListAsync(ct);
        var moved = 0;
        foreach (var r in records)
        {
            if (await MoveAsync(r.UserId, r.Tier, r.Correct, r.Wrong, ct) is { } move)
            {
                await live.TierChangedAsync(r.UserId, move, ct);
                moved++;
            }
        }

        return moved;
    }

    private async Task<Live.TierNotice?> MoveAsync(string userId, string current, int correct, int wrong, CancellationToken ct)
    {
        var settings = options.Value;
        var decision = settings.TierPolicy().Evaluate(BetaPosterior.From(correct, wrong, settings.Prior), current);
        var tier = decision.Tier?.Name ?? settings.EffectiveTiers[0].Name;
        if (tier == current)
        {
            return null;
        }

        // Conditional on the tier we read, so two evaluations racing move a contributor once.
        var updated = await db.ContributorProfiles.Where(p => p.UserId == userId && p.Tier == current).ExecuteUpdateAsync(s => s.SetProperty(p => p.Tier, tier), ct);
        if (updated == 0)
        {
            return null;
        }

        LogTierChange(logger, userId, current, tier, decision.Reason);
        return new Live.TierNotice(current, tier);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Contributor {UserId} moves from tier {From} to {To}: {Reason}")]
    private static partial void LogTierChange(ILogger logger, string userId, string from, string to, string reason);
}
