using Marketplace.Web.Data;
using Marketplace.Web.Domain;
using Marketplace.Web.Live;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Quality;

/// <summary>A contributor's gold record per task type: every scored gold answer (served in paid work or in a test) adds to it.</summary>
public sealed class GoldRecords(MarketplaceDbContext db, ContributorTiers tiers, ContributorAccuracy accuracy)
{
    /// <summary>
    /// Adds one gold result to the record and re-evaluates the contributor's tier (with hysteresis), inside the
    /// caller's transaction. Returns the tier move, if there was one, for the caller to announce once committed.
    /// </summary>
    public async Task<TierNotice?> RecordAsync(string userId, TaskType taskType, bool correct, DateTime now, CancellationToken ct)
    {
        var right = correct ? 1 : 0;
        var wrong = correct ? 0 : 1;
        await db.Qualifications.Where(q => q.ContributorId == userId && q.TaskType == taskType).ExecuteUpdateAsync(
            s => s.SetProperty(q => q.GoldCorrect, q => q.GoldCorrect + right)
                .SetProperty(q => q.GoldWrong, q => q.GoldWrong + wrong)
                .SetProperty(q => q.UpdatedAt, now),
            ct);

        return await tiers.ReevaluateAsync(userId, ct);
    }

    /// <summary>The contributor's accuracy on one task type, as their record stands now.</summary>
    public async Task<AccuracyView> AccuracyAsync(string userId, TaskType taskType, CancellationToken ct)
    {
        var record = await db.Qualifications.AsNoTracking().Where(q => q.ContributorId == userId && q.TaskType == taskType)
            .Select(q => new { q.GoldCorrect, q.GoldWrong }).SingleOrDefaultAsync(ct);
        return accuracy.View(record?.GoldCorrect ?? 0, record?.GoldWrong ?? 0);
    }

    /// <summary>The posterior mean accuracy of each of these contributors on a task type; contributors with no record are left out.</summary>
    public Task<Dictionary<string, double>> MeansAsync(TaskType taskType, IReadOnlyCollection<string> contributors, CancellationToken ct) =>
        db.Qualifications.AsNoTracking()
            .Where(q => q.TaskType == taskType && contributors.Contains(q.ContributorId))
            .Select(q => new { q.ContributorId, q.GoldCorrect, q.GoldWrong })
            .ToDictionaryAsync(q => q.ContributorId, q => accuracy.Mean(q.GoldCorrect, q.GoldWrong), ct);
}
