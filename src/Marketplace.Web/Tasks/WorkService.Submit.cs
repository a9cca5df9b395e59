using System.Security.Claims;
using System.Text.Json;
using Marketplace.Scoring.Quality;
using Marketplace.Web.Domain;
using Marketplace.Web.Identity;
using Marketplace.Web.Jobs;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Tasks;

public sealed partial class WorkService
{
    /// <summary>
    /// Submits an answer. The status moves Leased → Submitted only if the lease is still live, in one
    /// conditional update, so a late, doubled or concurrent submit can never count twice.
    /// </summary>
    public async Task<Results<Ok<SubmitResult>, NotFound, ProblemHttpResult>> SubmitAsync(ClaimsPrincipal user, Guid assignmentId, SubmitRequest request, CancellationToken ct)
    {
        var userId = AccountApi.UserId(user);
        var assignment = await db.Assignments.AsNoTracking().SingleOrDefaultAsync(a => a.Id == assignmentId && a.ContributorId == userId, ct);
        if (assignment is null)
        {
            return TypedResults.NotFound();
        }

        var job = await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == assignment.JobId, ct);
        if (request.Answer is not { } answer || answer.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return Problem(StatusCodes.Status400BadRequest, "Answer required", "An answer is required.", "answer");
        }

        if (TaskTypeSchemas.ValidateAnswer(job.TaskType, job.Labels, answer) is { } invalid)
        {
            return Problem(StatusCodes.Status400BadRequest, "Invalid answer", $"{invalid.Field} {invalid.Message}", invalid.Field);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        if (NotSubmittable(assignment, now) is { } refused)
        {
            return refused;
        }

        var item = await db.Items.AsNoTracking().SingleAsync(i => i.Id == assignment.ItemId, ct);
        var answerJson = answer.GetRawText();
        bool? correct = assignment.IsGold ? Answers.MatchesGold(job.TaskType, answerJson, item.GoldAnswer!, item.GoldTolerance) : null;
        var duration = (int)Math.Clamp((now - assignment.LeasedAt).TotalMilliseconds, 0, int.MaxValue);

        await using (var transaction = await claims.BeginAsync(db, ct))
        {
            if (assignment.QualificationAttemptId is { } attemptId)
            {
                // Lock the attempt first, so the last two answers of a test cannot both miss that it is complete.
                await db.QualificationAttempts.Where(q => q.Id == attemptId).ExecuteUpdateAsync(s => s.SetProperty(q => q.Questions, q => q.Questions), ct);
            }
            else if (!assignment.IsGold)
            {
                // Lock the item first, so concurrent submits on it decide its consensus one after another.
                await db.Items.Where(i => i.Id == item.Id).ExecuteUpdateAsync(s => s.SetProperty(i => i.LabelsSubmitted, i => i.LabelsSubmitted + 1), ct);
            }

            var moved = await db.Assignments
                .Where(a => a.Id == assignment.Id && a.Status == AssignmentStatus.Leased && a.LeaseExpiresAt >= now)
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
                return NotSubmittable(current, now) ?? Problem(StatusCodes.Status409Conflict, "Lease expired", "The lease on this task has expired.");
            }

            // Paid at the tier the contributor held when they answered, whatever this answer does to it.
            var tier = await db.ContributorProfiles.Where(p => p.UserId == userId).Select(p => p.Tier).SingleOrDefaultAsync(ct);
            QualificationResult? qualification = null;
            Live.TierNotice? tierMove = null;
            var itemFinished = false;
            if (correct is { } isCorrect)
            {
                tierMove = await RecordGoldAsync(userId, job.TaskType, isCorrect, now, ct);
                if (assignment.QualificationAttemptId is { } attempt)
                {
                    qualification = await qualifications.CompleteIfAnsweredAsync(attempt, now, ct);
                }
            }
            else
            {
                itemFinished = await DecideItemAsync(job, item.Id, now, ct);
            }

            // The acceptance and its earnings commit together. Last, because accruing locks the job's escrow row,
            // which every submit on the job needs: held only until the commit just below. Escrow running short here
            // means two claims raced to its last cents: the answer still counts, the job pauses, and the earning
            // accrues after a top-up.
            var paid = assignment.QualificationAttemptId is not null || await earnings.StageAsync(assignment, job, tier, ct);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            db.ChangeTracker.Clear();
            if (!paid)
            {
                await PauseForBudgetAsync(job, ct);
            }

            await AnnounceSubmitAsync(userId, job, assignment, correct, tierMove, itemFinished, ct);
            return TypedResults.Ok(new SubmitResult(assignment.Id, duration, qualification));
        }
    }

    private static ProblemHttpResult? NotSubmittable(Assignment assignment, DateTime now) => assignment.Status switch
    {
        AssignmentStatus.Submitted => Problem(StatusCodes.Status409Conflict, "Already submitted", "This task was already submitted; the first answer stands."),
        AssignmentStatus.Expired => Problem(StatusCodes.Status409Conflict, "Lease expired", $"The lease on this task expired at {assignment.LeaseExpiresAt:u}; the task went back to the pool."),
        AssignmentStatus.Released => Problem(StatusCodes.Status409Conflict, "Task released", "You released this task."),
        AssignmentStatus.Rejected => Problem(StatusCodes.Status409Conflict, "Task rejected", "This task was rejected."),
        AssignmentStatus.Leased when assignment.LeaseExpiresAt < now => Problem(StatusCodes.Status409Conflict, "Lease expired", $"The lease on this task expired at {assignment.LeaseExpiresAt:u}; the task went back to the pool."),
        _ => null,
    };

    /// <summary>
    /// What a submit changed, once it has committed: the job's progress, a gold result, a tier, and the job's
    /// completion. Completion is checked here, after the commit, because two submits finishing the last two
    /// items at once cannot see each other's item inside their transactions; after both commit, the later one does.
    /// </summary>
    private async Task AnnounceSubmitAsync(string userId, Job job, Assignment assignment, bool? correct, Live.TierNotice? tierMove, bool itemFinished, CancellationToken ct)
    {
        if (assignment.QualificationAttemptId is null)
        {
            live.JobProgressed(job.Id);
        }

        if (correct is { } isCorrect)
        {
            var record = await db.Qualifications.AsNoTracking().Where(q => q.ContributorId == userId && q.TaskType == job.TaskType)
                .Select(q => new { q.GoldCorrect, q.GoldWrong }).SingleOrDefaultAsync(ct);
            await live.GoldScoredAsync(userId, new Live.GoldNotice(job.TaskType, isCorrect, qualifications.Accuracy(record?.GoldCorrect ?? 0, record?.GoldWrong ?? 0)), ct);
        }

        if (tierMove is not null)
        {
            await live.TierChangedAsync(userId, tierMove, ct);
        }

        if (itemFinished && await completion.CompleteIfFinishedAsync(job.Id, ct))
        {
            await completion.AnnounceAsync(job.Id, ct);
        }
    }

    /// <summary>Adds one gold result to the contributor's record and re-evaluates their tier (with hysteresis).</summary>
    private async Task<Live.TierNotice?> RecordGoldAsync(string userId, TaskType taskType, bool correct, DateTime now, CancellationToken ct)
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

    /// <summary>Recomputes the item's consensus from all its labels and finalizes it when the job's rule says it is done; returns whether it is.</summary>
    internal async Task<bool> DecideItemAsync(Job job, Guid itemId, DateTime now, CancellationToken ct)
    {
        var labels = await db.Assignments.AsNoTracking()
            .Where(a => a.ItemId == itemId && a.Status == AssignmentStatus.Submitted && a.Kind == AssignmentKind.Label)
            .OrderBy(a => a.EndedAt)
            .Select(a => new { a.ContributorId, a.Answer })
            .ToListAsync(ct);
        var contributors = labels.Select(l => l.ContributorId).Distinct().ToList();
        var records = await db.Qualifications.AsNoTracking()
            .Where(q => q.TaskType == job.TaskType && contributors.Contains(q.ContributorId))
            .ToDictionaryAsync(q => q.ContributorId, q => BetaPosterior.From(q.GoldCorrect, q.GoldWrong, Options.Prior).Mean, ct);
        // With a Dawid-Skene method, contributors the job's re-aggregation has already measured vote with their confusions.
        var confusions = JobAggregation.IsCategorical(job.TaskType) && job.AggregationMethod is not (AggregationMethod.MajorityVote or AggregationMethod.WeightedVote)
            ? await JobAggregation.ConfusionsAsync(db, job.Id, contributors, JobAggregation.Classes(job), ct)
            : [];
        var decision = Answers.Decide(job, labels.Select(l => new SubmittedLabel(
            l.ContributorId, l.Answer!, records.GetValueOrDefault(l.ContributorId, 0.7), confusions.GetValueOrDefault(l.ContributorId))).ToList());
        var finalizedAt = decision.Finished ? now : (DateTime?)null;
        await db.Items.Where(i => i.Id == itemId).ExecuteUpdateAsync(
            s => s.SetProperty(i => i.ConsensusAnswer, decision.Answer)
                .SetProperty(i => i.Confidence, decision.Confidence)
                .SetProperty(i => i.FinalizedAt, i => i.FinalizedAt ?? finalizedAt),
            ct);
        return decision.Finished;
    }

    /// <summary>Gives a leased task back (skip). The slot returns to the pool; this contributor will not be offered the item again.</summary>
    public async Task<Results<NoContent, NotFound, ProblemHttpResult>> ReleaseAsync(ClaimsPrincipal user, Guid assignmentId, CancellationToken ct)
    {
        var userId = AccountApi.UserId(user);
        var assignment = await db.Assignments.AsNoTracking().SingleOrDefaultAsync(a => a.Id == assignmentId && a.ContributorId == userId, ct);
        if (assignment is null)
        {
            return TypedResults.NotFound();
        }

        if (assignment.QualificationAttemptId is not null)
        {
            return Problem(StatusCodes.Status409Conflict, "Cannot skip", "Questions of a qualification test cannot be skipped.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        if (NotSubmittable(assignment, now) is { } refused)
        {
            return refused;
        }

        return await EndLeaseAsync(assignment, AssignmentStatus.Released, now, ct)
            ? TypedResults.NoContent()
            : Problem(StatusCodes.Status409Conflict, "Task not held", "This task is no longer leased to you.");
    }

    /// <summary>
    /// Returns expired leases to the pool. Safe to run twice and on several nodes at once: each lease ends by
    /// a conditional update, and only the run that ended it gives the slot back.
    /// </summary>
    public async Task<int> ExpireLeasesAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var expired = 0;
        while (true)
        {
            var due = await db.Assignments.AsNoTracking()
                .Where(a => a.Status == AssignmentStatus.Leased && a.LeaseExpiresAt < now)
                .OrderBy(a => a.LeaseExpiresAt)
                .Take(500)
                .ToListAsync(ct);
            foreach (var assignment in due)
            {
                if (await EndLeaseAsync(assignment, AssignmentStatus.Expired, now, ct))
                {
                    expired++;
                }
            }

            if (due.Count < 500)
            {
                return expired;
            }
        }
    }

    /// <summary>
    /// Warns contributors whose lease ends within <paramref name="warning"/>. Each sweep covers the next
    /// <paramref name="sweep"/> of expiries, so one node's sweep warns about a lease once (several nodes sweeping at
    /// different moments may each warn once: a repeated warning is harmless). Returns the assignments warned about.
    /// </summary>
    public async Task<IReadOnlyList<Guid>> WarnExpiringLeasesAsync(TimeSpan warning, TimeSpan sweep, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var (from, to) = (now + warning - sweep, now + warning);
        var ending = await db.Assignments.AsNoTracking()
            .Where(a => a.Status == AssignmentStatus.Leased && a.QualificationAttemptId == null && a.LeaseExpiresAt > from && a.LeaseExpiresAt <= to)
            .Select(a => new { a.Id, a.JobId, a.ContributorId, a.LeaseExpiresAt })
            .ToListAsync(ct);
        foreach (var a in ending)
        {
            await live.LeaseExpiringAsync(a.ContributorId, new Live.LeaseNotice(a.Id, a.JobId, a.LeaseExpiresAt, (int)Math.Ceiling((a.LeaseExpiresAt - now).TotalSeconds)), ct);
        }

        return ending.Select(a => a.Id).ToList();
    }

    private async Task<bool> EndLeaseAsync(Assignment assignment, AssignmentStatus status, DateTime now, CancellationToken ct)
    {
        await using var transaction = await claims.BeginAsync(db, ct);
        if (assignment.Kind == AssignmentKind.Label)
        {
            // Item before assignment, the order a submit takes them in, so a submit and a sweep racing on one
            // lease wait for each other instead of deadlocking.
            await db.Items.Where(i => i.Id == assignment.ItemId).ExecuteUpdateAsync(s => s.SetProperty(i => i.LabelsHeld, i => i.LabelsHeld), ct);
        }

        var ended = await db.Assignments
            .Where(a => a.Id == assignment.Id && a.Status == AssignmentStatus.Leased)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.Status, status).SetProperty(a => a.EndedAt, now), ct);
        if (ended == 0)
        {
            return false;
        }

        if (assignment.Kind == AssignmentKind.Label)
        {
            await db.Items.Where(i => i.Id == assignment.ItemId).ExecuteUpdateAsync(s => s.SetProperty(i => i.LabelsHeld, i => i.LabelsHeld - 1), ct);
        }
        else if (assignment.QualificationAttemptId is { } attempt)
        {
            await qualifications.CompleteIfAnsweredAsync(attempt, now, ct);
        }

        await transaction.CommitAsync(ct);
        return true;
    }

}
