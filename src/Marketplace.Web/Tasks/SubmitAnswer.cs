using System.Text.Json;
using Marketplace.Scoring.Consensus;
using Marketplace.Web.Data;
using Marketplace.Web.Domain;
using Marketplace.Web.Hosting;
using Marketplace.Web.Jobs;
using Marketplace.Web.Live;
using Marketplace.Web.Payments;
using Marketplace.Web.Quality;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Tasks;

/// <summary>
/// A contributor answers a task they hold. The answer is checked against the task type's schema; the assignment moves
/// Leased → Submitted only if the lease is still live, in one conditional update, so a late, doubled or concurrent
/// submit can never count twice. A gold answer is scored against the known one; any other decides its item again,
/// once committed. The acceptance and its earnings commit together.
/// </summary>
public sealed class SubmitAnswer(
    MarketplaceDbContext db,
    WriteTransactions writes,
    QualificationTests qualifications,
    GoldRecords gold,
    ItemConsensus consensus,
    LabelEarnings earnings,
    JobLifecycle lifecycle,
    ILiveNotifier live,
    TimeProvider clock)
{
    public async Task<Outcome<SubmitResult>> ExecuteAsync(string userId, Guid assignmentId, SubmitRequest request, CancellationToken ct)
    {
        var assignment = await db.Assignments.AsNoTracking().SingleOrDefaultAsync(a => a.Id == assignmentId && a.ContributorId == userId, ct);
        if (assignment is null)
        {
            return Failure.NotFound;
        }

        var job = await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == assignment.JobId, ct);
        if (request.Answer is not { } answer || answer.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return Failure.Invalid("answer", "An answer is required.", "Answer required");
        }

        if (TaskTypeSchemas.ValidateAnswer(job.TaskType, job.Labels, answer) is { } invalid)
        {
            return Failure.Invalid(invalid.Field, $"{invalid.Field} {invalid.Message}", "Invalid answer");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        if (Leases.NotHeld(assignment, now) is { } refused)
        {
            return refused;
        }

        if (job.IsClosed && assignment.Kind == AssignmentKind.Label)
        {
            return Leases.JobClosed;
        }

        var item = await db.Items.AsNoTracking().SingleAsync(i => i.Id == assignment.ItemId, ct);
        var answerJson = answer.GetRawText();
        bool? correct = assignment.IsGold ? GoldMatch.Matches(job.TaskType.Answers(), answerJson, item.GoldAnswer!, item.GoldTolerance) : null;
        var duration = (int)Math.Clamp((now - assignment.LeasedAt).TotalMilliseconds, 0, int.MaxValue);
        var effects = await AcceptAsync(userId, job, assignment, answerJson, correct, duration, now, ct);
        if (effects.Failure is { } late)
        {
            return late;
        }

        // The item's consensus is decided after the commit, outside the write transaction: however long the answers take
        // to match, no lock is held meanwhile (ItemConsensus.DecideSettledAsync).
        var finished = correct is null && assignment.QualificationAttemptId is null && await consensus.DecideSettledAsync(job, assignment.ItemId, now, ct);
        await AnnounceAsync(userId, job, assignment, correct, effects.Value! with { ItemFinished = finished }, ct);
        return new SubmitResult(assignment.Id, duration, effects.Value!.Qualification);
    }

    /// <summary>What an accepted answer changed, to announce once committed.</summary>
    private sealed record Effects(QualificationResult? Qualification, TierNotice? TierMove, bool ItemFinished, bool Paid);

    /// <summary>One write transaction: lock in a fixed order, accept the answer, score gold, stage the earnings, commit.</summary>
    private async Task<Outcome<Effects>> AcceptAsync(string userId, Job job, Assignment assignment, string answerJson, bool? correct, int duration, DateTime now, CancellationToken ct)
    {
        await using var transaction = await writes.BeginAsync(db, ct);
        if (assignment.QualificationAttemptId is { } attemptId)
        {
            // Lock the attempt first, so the last two answers of a test cannot both miss that it is complete.
            await db.QualificationAttempts.Where(q => q.Id == attemptId).ExecuteUpdateAsync(s => s.SetProperty(q => q.Questions, q => q.Questions), ct);
        }
        else if (!assignment.IsGold)
        {
            // Lock the item first (the order every writer on it takes) and count the answer: the count is the version
            // the consensus decided after the commit is stored against.
            await db.Items.Where(i => i.Id == assignment.ItemId).ExecuteUpdateAsync(s => s.SetProperty(i => i.LabelsSubmitted, i => i.LabelsSubmitted + 1), ct);
        }

        // The job must still be open as the answer is taken: a close commits with the end of its leases, and this
        // update waits for it on the assignment's row, so an answer is either in before the refund or refused.
        var moved = await db.Assignments
            .Where(a => a.Id == assignment.Id && a.Status == AssignmentStatus.Leased && a.LeaseExpiresAt >= now)
            .Where(a => a.Kind != AssignmentKind.Label || db.Jobs.Any(j => j.Id == a.JobId && j.Status != JobStatus.Cancelled && j.Status != JobStatus.Completed))
            .ExecuteUpdateAsync(
                s => s.SetProperty(a => a.Status, AssignmentStatus.Submitted)
                    .SetProperty(a => a.Answer, answerJson)
                    .SetProperty(a => a.EndedAt, now)
                    .SetProperty(a => a.DurationMs, duration)
                    .SetProperty(a => a.IsCorrect, correct),
                ct);
        if (moved == 0)
        {
            // Someone else (a double submit, the sweep, a release) moved it first: say what happened.
            await transaction.DisposeAsync();
            db.ChangeTracker.Clear();
            var current = await db.Assignments.AsNoTracking().SingleAsync(a => a.Id == assignment.Id, ct);
            return Leases.NotHeld(current, now)
                ?? (await db.Jobs.AnyAsync(j => j.Id == current.JobId && (j.Status == JobStatus.Cancelled || j.Status == JobStatus.Completed), ct)
                    ? Leases.JobClosed
                    : Failure.Conflict("Lease expired", "The lease on this task has expired."));
        }

        // Paid at the tier the contributor held when they answered, whatever this answer does to it.
        var tier = await db.ContributorProfiles.Where(p => p.UserId == userId).Select(p => p.Tier).SingleOrDefaultAsync(ct);
        QualificationResult? qualification = null;
        TierNotice? tierMove = null;
        if (correct is { } isCorrect)
        {
            tierMove = await gold.RecordAsync(userId, job.TaskType, isCorrect, now, ct);
            if (assignment.QualificationAttemptId is { } attempt)
            {
                qualification = await qualifications.CompleteIfAnsweredAsync(attempt, now, ct);
            }
        }

        // The acceptance and its earnings commit together. Last, because accruing locks the job's escrow row,
        // which every submit on the job needs: held only until the commit just below. Escrow running short here
        // means two claims raced to its last cents: the answer still counts, the job pauses, and the earning
        // accrues after a top-up.
        var paid = assignment.QualificationAttemptId is not null || await earnings.StageAsync(assignment, job, tier, ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return new Effects(qualification, tierMove, ItemFinished: false, paid);
    }

    /// <summary>
    /// What a submit changed, once it has committed: the job's budget, progress, a gold result, a tier, and the job's
    /// completion. Completion is checked here, after the commit, because two submits finishing the last two items at
    /// once cannot see each other's item inside their transactions; after both commit, the later one does.
    /// </summary>
    private async Task AnnounceAsync(string userId, Job job, Assignment assignment, bool? correct, Effects effects, CancellationToken ct)
    {
        if (!effects.Paid)
        {
            await lifecycle.PauseForBudgetAsync(job.Id, ct);
        }

        if (assignment.QualificationAttemptId is null)
        {
            live.JobProgressed(job.Id);
        }

        if (correct is { } isCorrect)
        {
            await live.GoldScoredAsync(userId, new GoldNotice(job.TaskType, isCorrect, await gold.AccuracyAsync(userId, job.TaskType, ct)), ct);
        }

        if (effects.TierMove is { } move)
        {
            await live.TierChangedAsync(userId, move, ct);
        }

        if (effects.ItemFinished && await lifecycle.CompleteIfFinishedAsync(job.Id, ct))
        {
            await lifecycle.AnnounceAsync(job.Id, ct);
        }
    }
}
