using System.Text.Json;
using Marketplace.Scoring;
using Marketplace.Scoring.Aggregation;
using Marketplace.Scoring.Consensus;
using Marketplace.Web.Data;
using Marketplace.Web.Domain;
using Marketplace.Web.Live;
using Marketplace.Web.Quality;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Jobs;

/// <summary>
/// Re-aggregates a categorical job over all its labels at once with the job's method (by default gold-anchored
/// Dawid-Skene: every contributor's confusion matrix is learned from all their labels, with the answers they gave
/// on gold items pinned to the known truth). Submits decide one item at a time; this pass sees the whole job, so
/// it corrects consensus that a confident but systematically wrong contributor swayed, finalizes items whose
/// confidence has now reached the target, and stores what it learned about each contributor.
/// </summary>
public sealed partial class JobAggregation(MarketplaceDbContext db, JobLifecycle lifecycle, ILiveNotifier live, GoldRecords goldRecords, TimeProvider clock, ILogger<JobAggregation> logger)
{
    /// <summary>Re-aggregates every running categorical job; safe to run twice or on several nodes (writes are conditional and idempotent).</summary>
    public async Task<int> ReaggregateRunningAsync(CancellationToken ct)
    {
        var types = new[] { TaskType.SingleChoice, TaskType.Pairwise };
        var jobs = await db.Jobs.AsNoTracking()
            .Where(j => (j.Status == JobStatus.Active || j.Status == JobStatus.Paused) && types.Contains(j.TaskType))
            .Select(j => j.Id).ToListAsync(ct);
        foreach (var id in jobs)
        {
            await ReaggregateAsync(id, ct);
        }

        return jobs.Count;
    }

    public async Task<AggregationOutcome?> ReaggregateAsync(Guid jobId, CancellationToken ct)
    {
        var job = await db.Jobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == jobId, ct);
        if (job is null || !job.TaskType.IsCategorical())
        {
            return null;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var rows = await (
            from a in db.Assignments.AsNoTracking()
            join i in db.Items.AsNoTracking() on a.ItemId equals i.Id
            where a.JobId == jobId && a.Status == AssignmentStatus.Submitted && a.Answer != null
            select new { a.ItemId, a.ContributorId, a.Answer, i.IsGold, i.GoldAnswer }).ToListAsync(ct);
        if (rows.Count == 0)
        {
            return new AggregationOutcome(0, 0, 0, "no labels yet");
        }

        var classes = job.Classes;
        var labels = LabelSet.Create(rows.Select(r => new AnswerTriple(r.ItemId.ToString(), r.ContributorId, AnswerJson.Text(r.Answer!))), classes);
        var gold = rows.Where(r => r.IsGold && r.GoldAnswer is not null).Select(r => new GoldAnswer(r.ItemId.ToString(), AnswerJson.Text(r.GoldAnswer!))).Distinct().ToList();
        var result = await RunAsync(job, labels, gold, ct);

        var goldItems = rows.Where(r => r.IsGold).Select(r => r.ItemId).ToHashSet();
        var (changed, finalized) = await ApplyAsync(job, result, now, ct);
        await SaveEstimatesAsync(job, result, now, ct);
        var summary = $"{result.Method}: {result.Items.Count - goldItems.Count:N0} items, {labels.Count:N0} labels, {result.Contributors.Count:N0} contributors"
            + (result.Iterations > 0 ? $", {result.Iterations} EM iterations{(result.Converged ? "" : " (not converged)")}" : "");
        await db.Jobs.Where(j => j.Id == jobId).ExecuteUpdateAsync(s => s.SetProperty(j => j.AggregatedAt, now).SetProperty(j => j.AggregationSummary, summary), ct);
        if (finalized > 0 && await lifecycle.CompleteIfFinishedAsync(jobId, ct))
        {
            await lifecycle.AnnounceAsync(jobId, ct);
        }

        if (changed > 0)
        {
            live.JobProgressed(jobId);
        }

        LogReaggregated(logger, jobId, summary, changed, finalized);
        return new AggregationOutcome(changed, finalized, result.Contributors.Count, summary);
    }

    /// <summary>Writes the new consensus of each item it changed, finalizing those that reached the job's rule; returns how many changed and finalized.</summary>
    private async Task<(int Changed, int Finalized)> ApplyAsync(Job job, AggregationResult result, DateTime now, CancellationToken ct)
    {
        var items = await db.Items.AsNoTracking()
            .Where(i => i.JobId == job.Id && !i.IsGold)
            .Select(i => new { i.Id, i.ConsensusAnswer, i.Confidence, i.FinalizedAt, i.LabelsSubmitted })
            .ToDictionaryAsync(i => i.Id.ToString(), ct);
        int changed = 0, finalized = 0;
        foreach (var consensus in result.Items)
        {
            if (!items.TryGetValue(consensus.Item, out var item) || (consensus.LabelCount < ItemDecisions.MinLabelsToFinalize && job.AggregationMethod == AggregationMethod.Auto))
            {
                continue; // gold, or a single label the submit already decided
            }

            var answer = JsonSerializer.Serialize(consensus.Answer);
            var finish = item.FinalizedAt is null
                && (consensus.LabelCount >= job.Redundancy || (job.TargetConfidence is { } target && consensus.LabelCount >= ItemDecisions.MinLabelsToFinalize && consensus.Confidence >= target));
            if (answer == item.ConsensusAnswer && item.Confidence is { } c && Math.Abs(c - consensus.Confidence) < 1e-9 && !finish)
            {
                continue;
            }

            // Only if no label arrived since the snapshot: a submit in between has decided on more evidence.
            var labelsSeen = consensus.LabelCount;
            DateTime? finalizedAt = finish ? now : null;
            var updated = await db.Items
                .Where(i => i.Id == item.Id && i.LabelsSubmitted == labelsSeen)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.ConsensusAnswer, answer).SetProperty(i => i.Confidence, consensus.Confidence).SetProperty(i => i.FinalizedAt, i => i.FinalizedAt ?? finalizedAt), ct);
            changed += updated;
            finalized += finish ? updated : 0;
        }

        return (changed, finalized);
    }

    private async Task<AggregationResult> RunAsync(Job job, LabelSet labels, IReadOnlyList<GoldAnswer> gold, CancellationToken ct)
    {
        switch (job.AggregationMethod)
        {
            case AggregationMethod.MajorityVote:
                return MajorityVote.Aggregate(labels);
            case AggregationMethod.WeightedVote:
                return MajorityVote.AggregateWeighted(labels, await goldRecords.MeansAsync(job.TaskType, labels.Contributors.ToList(), ct));
            case AggregationMethod.DawidSkene:
                return DawidSkene.Aggregate(labels);
            case AggregationMethod.OneCoinDawidSkene:
                return DawidSkene.AggregateOneCoin(labels);
            default:
                return DawidSkene.AggregateGoldAnchored(labels, gold);
        }
    }

    private async Task SaveEstimatesAsync(Job job, AggregationResult result, DateTime now, CancellationToken ct)
    {
        var existing = await db.JobContributorEstimates.Where(e => e.JobId == job.Id).ToDictionaryAsync(e => e.ContributorId, ct);
        foreach (var estimate in result.Contributors)
        {
            if (!existing.TryGetValue(estimate.Contributor, out var row))
            {
                row = new JobContributorEstimate { Id = Guid.CreateVersion7(), JobId = job.Id, ContributorId = estimate.Contributor, Method = result.Method };
                db.JobContributorEstimates.Add(row);
            }

            row.Method = result.Method;
            row.Accuracy = double.IsFinite(estimate.Accuracy) ? estimate.Accuracy : 0;
            row.Confusion = estimate.Confusion is null ? null : JsonSerializer.Serialize(new StoredConfusion(result.Classes, estimate.Confusion));
            row.Labels = estimate.LabelCount;
            row.UpdatedAt = now;
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another node inserted the same contributor's row first; its estimate is as good as ours.
            db.ChangeTracker.Clear();
        }

        db.ChangeTracker.Clear();
    }

    /// <summary>
    /// The confusion matrices this job has learned for these contributors, rearranged into <paramref name="classes"/>
    /// order, for deciding an item at submit time with the same model the re-aggregation uses.
    /// </summary>
    public static async Task<Dictionary<string, IReadOnlyList<double>>> ConfusionsAsync(MarketplaceDbContext db, Guid jobId, IReadOnlyList<string> contributors, IReadOnlyList<string> classes, CancellationToken ct)
    {
        var stored = await db.JobContributorEstimates.AsNoTracking()
            .Where(e => e.JobId == jobId && contributors.Contains(e.ContributorId) && e.Confusion != null)
            .Select(e => new { e.ContributorId, e.Confusion })
            .ToListAsync(ct);
        var confusions = new Dictionary<string, IReadOnlyList<double>>(StringComparer.Ordinal);
        foreach (var e in stored)
        {
            // A matrix that no longer fits the job's classes (the label set changed since) is skipped: gold accuracy decides then.
            if (JsonSerializer.Deserialize<StoredConfusion>(e.Confusion!) is { } matrix && ConfusionMatrices.Reorder(matrix.Classes, matrix.Matrix, classes) is { } reordered)
            {
                confusions[e.ContributorId] = reordered;
            }
        }

        return confusions;
    }

    public sealed record StoredConfusion(IReadOnlyList<string> Classes, IReadOnlyList<double> Matrix);

    [LoggerMessage(Level = LogLevel.Information, Message = "Re-aggregated job {JobId} ({Summary}): {Changed} items changed, {Finalized} finalized")]
    private static partial void LogReaggregated(ILogger logger, Guid jobId, string summary, int changed, int finalized);
}

public sealed record AggregationOutcome(int ItemsChanged, int ItemsFinalized, int Contributors, string Summary);
