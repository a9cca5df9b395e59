using Marketplace.Scoring.Consensus;
using Marketplace.Web.Data;
using Marketplace.Web.Domain;
using Marketplace.Web.Quality;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Jobs;

/// <summary>
/// Decides one item from all its labels, at once (after a submit, or after labels were rejected): its consensus answer,
/// its confidence, and whether it is finalized. The rule is the scoring engine's (<see cref="ItemDecisions"/>); the
/// votes are weighed by each contributor's gold accuracy, or by the confusion matrix the job's re-aggregation learned.
/// </summary>
public sealed class ItemConsensus(MarketplaceDbContext db, GoldRecords gold)
{
    /// <summary>A contributor with no gold record yet votes with this accuracy.</summary>
    public const double UnknownAccuracy = 0.7;

    /// <summary>Recomputes and stores the item's consensus, inside the caller's transaction; returns whether it is finished.</summary>
    public async Task<bool> DecideAsync(Job job, Guid itemId, DateTime now, CancellationToken ct)
    {
        var labels = await db.Assignments.AsNoTracking()
            .Where(a => a.ItemId == itemId && a.Status == AssignmentStatus.Submitted && a.Kind == AssignmentKind.Label)
            .OrderBy(a => a.EndedAt)
            .Select(a => new { a.ContributorId, a.Answer })
            .ToListAsync(ct);
        var contributors = labels.Select(l => l.ContributorId).Distinct().ToList();
        var accuracies = await gold.MeansAsync(job.TaskType, contributors, ct);
        // With a Dawid-Skene method, contributors the job's re-aggregation has already measured vote with their confusions.
        var confusions = job.TaskType.IsCategorical() && job.AggregationMethod is not (AggregationMethod.MajorityVote or AggregationMethod.WeightedVote)
            ? await JobAggregation.ConfusionsAsync(db, job.Id, contributors, job.Classes, ct)
            : [];
        var decision = ItemDecisions.Decide(job.ConsensusRule(), labels.Select(l => new SubmittedLabel(
            l.ContributorId, l.Answer!, accuracies.GetValueOrDefault(l.ContributorId, UnknownAccuracy), confusions.GetValueOrDefault(l.ContributorId))).ToList());
        var finalizedAt = decision.Finished ? now : (DateTime?)null;
        await db.Items.Where(i => i.Id == itemId).ExecuteUpdateAsync(
            s => s.SetProperty(i => i.ConsensusAnswer, decision.Answer)
                .SetProperty(i => i.Confidence, decision.Confidence)
                .SetProperty(i => i.FinalizedAt, i => i.FinalizedAt ?? finalizedAt),
            ct);
        return decision.Finished;
    }
}
