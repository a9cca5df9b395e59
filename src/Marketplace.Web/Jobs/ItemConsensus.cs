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
public sealed class ItemConsensus(MarketplaceDbContext db, WriteTransactions writes, GoldRecords gold)
{
    /// <summary>A contributor with no gold record yet votes with this accuracy.</summary>
    public const double UnknownAccuracy = 0.7;

    /// <summary>Recomputes and stores the item's consensus, inside the caller's transaction; returns whether it is finished.</summary>
    public async Task<bool> DecideAsync(Job job, Guid itemId, DateTime now, CancellationToken ct)
    {
        var decision = await ComputeAsync(job, itemId, ct);
        await StoreAsync(db.Items.Where(i => i.Id == itemId), decision, now, ct);
        return decision.Finished;
    }

    /// <summary>
    /// After a submit has committed: decides the item with no transaction open while its answers are matched, then
    /// stores the decision only if no other answer was accepted on the item meanwhile (its submit count is unchanged).
    /// If one was, that submit decides after its own commit, seeing every answer, so the last word is always the
    /// complete one. Returns whether this decision finished the item.
    /// </summary>
    public async Task<bool> DecideSettledAsync(Job job, Guid itemId, DateTime now, CancellationToken ct)
    {
        // The count first, then the answers: the answers read are at least those counted.
        var counted = await db.Items.AsNoTracking().Where(i => i.Id == itemId).Select(i => i.LabelsSubmitted).SingleAsync(ct);
        var decision = await ComputeAsync(job, itemId, ct);
        await using var transaction = await writes.BeginAsync(db, ct);
        var stored = await StoreAsync(db.Items.Where(i => i.Id == itemId && i.LabelsSubmitted == counted), decision, now, ct);
        await transaction.CommitAsync(ct);
        return stored && decision.Finished;
    }

    private static async Task<bool> StoreAsync(IQueryable<Item> item, ItemDecision decision, DateTime now, CancellationToken ct)
    {
        var finalizedAt = decision.Finished ? now : (DateTime?)null;
        return await item.ExecuteUpdateAsync(
            s => s.SetProperty(i => i.ConsensusAnswer, decision.Answer)
                .SetProperty(i => i.Confidence, decision.Confidence)
                .SetProperty(i => i.FinalizedAt, i => i.FinalizedAt ?? finalizedAt),
            ct) > 0;
    }

    private async Task<ItemDecision> ComputeAsync(Job job, Guid itemId, CancellationToken ct)
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
        return ItemDecisions.Decide(job.ConsensusRule(), labels.Select(l => new SubmittedLabel(
            l.ContributorId, l.Answer!, accuracies.GetValueOrDefault(l.ContributorId, UnknownAccuracy), confusions.GetValueOrDefault(l.ContributorId))).ToList());
    }
}
