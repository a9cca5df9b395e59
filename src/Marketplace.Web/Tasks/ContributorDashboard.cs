using Marketplace.Payouts;
using Marketplace.Web.Data;
using Marketplace.Web.Domain;
using Marketplace.Web.Quality;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Tasks;

/// <summary>A contributor's dashboard: accuracy with its interval, tier and what the next one needs, qualifications, work done, earnings.</summary>
public sealed class ContributorDashboard(
    MarketplaceDbContext db,
    QualificationTests qualifications,
    PayoutQueries payouts,
    TierCatalog tierSets,
    ContributorAccuracy accuracy,
    TimeProvider clock)
{
    public async Task<Dashboard?> ReadAsync(string userId, CancellationToken ct)
    {
        var profile = await db.ContributorProfiles.AsNoTracking().SingleOrDefaultAsync(p => p.UserId == userId, ct);
        if (profile is null)
        {
            return null;
        }

        var summaries = await qualifications.SummariesAsync(userId, ct);
        var correct = summaries.Sum(s => s.Accuracy.GoldCorrect);
        var total = summaries.Sum(s => s.Accuracy.GoldAnswers);
        var posterior = accuracy.Posterior(correct, total - correct);
        var tierSet = await tierSets.CurrentAsync(db, ct);
        var decision = tierSet.Policy.Evaluate(posterior, profile.Tier);
        var rank = tierSet.RankOf(profile.Tier);
        var tiers = tierSet.Tiers;
        var next = rank + 1 < tiers.Count ? tiers[rank + 1] : null;
        var nextNeeds = next is null
            ? "You are in the top tier."
            : string.Join("; ", new[]
            {
                total < next.MinGoldCount ? $"needs {next.MinGoldCount - total} more gold answers" : null,
                posterior.LowerBound95 < next.MinLowerBound ? $"accuracy lower bound {posterior.LowerBound95:0.00} < {next.MinLowerBound:0.00}" : null,
            }.Where(s => s is not null)) is { Length: > 0 } needs ? $"{next.Name} {needs}." : decision.Reason;

        var dayAgo = clock.GetUtcNow().UtcDateTime.AddDays(-1);
        var paid = db.Assignments.AsNoTracking().Where(a => a.ContributorId == userId && a.Status == AssignmentStatus.Submitted && a.Kind != AssignmentKind.Qualification);
        var done = await paid.CountAsync(ct);
        var today = await paid.CountAsync(a => a.EndedAt > dayAgo, ct);
        var balances = await payouts.BalancesAsync(userId, ct);

        return new Dashboard(
            profile.Pseudonym,
            accuracy.View(correct, total - correct),
            new TierProgress(profile.Tier, next?.Name, nextNeeds),
            summaries, done, today, balances, profile.SuspendedAt);
    }
}
