using Marketplace.Scoring.Economics;
using Marketplace.Web.Data;
using Marketplace.Web.Domain;
using Marketplace.Web.Quality;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Jobs;

/// <summary>
/// What adaptive redundancy is expected to use and achieve with today's pool (the scoring engine's simulation):
/// labels per item, their cost (before the platform fee) and the share of items whose consensus will be right.
/// </summary>
public sealed record JobQuoteView(double ExpectedLabelsPerItem, long ExpectedLabels, long ExpectedCostMinor, double ExpectedAccuracy, int PoolSize, string Note);

/// <summary>The scoring engine's quote for a categorical job, from the gold accuracies of contributors qualified for its task type.</summary>
public sealed class JobQuote(MarketplaceDbContext db, ContributorAccuracy accuracy)
{
    /// <summary>At most this many contributors, the most recently active, stand for the pool.</summary>
    public const int PoolSample = 2_000;

    /// <summary>The quote, or null for a job whose answers are matched rather than voted on.</summary>
    public async Task<JobQuoteView?> ForAsync(Job job, int items, CancellationToken ct)
    {
        if (!job.TaskType.IsCategorical())
        {
            return null;
        }

        var pool = await db.Qualifications.AsNoTracking()
            .Where(q => q.TaskType == job.TaskType && q.Status == QualificationStatus.Passed)
            .OrderByDescending(q => q.UpdatedAt).Take(PoolSample)
            .Select(q => new { q.GoldCorrect, q.GoldWrong }).ToListAsync(ct);
        var accuracies = pool.Select(q => accuracy.Mean(q.GoldCorrect, q.GoldWrong)).ToList();
        // Without a target confidence every item takes its full redundancy: a target above 1 is never reached.
        var request = new QuoteRequest(items, job.Classes.Count, job.TargetConfidence ?? 2.0, job.Redundancy, job.PayPerLabelMinor, accuracies);
        var quote = JobEconomics.Quote(request, seed: job.Id.GetHashCode());
        return new JobQuoteView(quote.ExpectedLabelsPerItem, quote.ExpectedLabels, quote.ExpectedCostMinor, quote.ExpectedAccuracy, accuracies.Count, quote.Note);
    }
}
