using System.Text.Json;
using Marketplace.Web.Data;
using Marketplace.Web.Domain;
using Marketplace.Web.Hosting;
using Marketplace.Web.Quality;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Marketplace.Web.Tasks;

/// <summary>
/// Qualification tests: for each task type, a set of gold items from live jobs of that type, answered under
/// one deadline. Passing (the configured pass mark) unlocks paid work of that type. The answers count
/// towards the contributor's gold record, and the items are never served to them again.
/// </summary>
public sealed class QualificationTests(MarketplaceDbContext db, WriteTransactions writes, TaskViews views, ContributorAccuracy accuracy, TimeProvider clock, IOptions<TasksOptions> options)
{
    private static readonly JobStatus[] LiveStatuses = [JobStatus.Funded, JobStatus.Active, JobStatus.Paused];

    private TasksOptions Options => options.Value;

    public async Task<Outcome<QualificationResult>> StartAsync(string userId, TaskType taskType, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var profile = await db.ContributorProfiles.AsNoTracking().SingleOrDefaultAsync(p => p.UserId == userId, ct);
        if (profile is null || profile.SuspendedAt is not null)
        {
            return Failure.Forbidden("Not eligible", profile is null ? "Complete your contributor profile first." : "Your account is suspended.");
        }

        var standing = await db.Qualifications.AsNoTracking().SingleOrDefaultAsync(q => q.ContributorId == userId && q.TaskType == taskType, ct);
        if (standing?.Status == QualificationStatus.Passed)
        {
            return Failure.Conflict("Already qualified", $"You already passed the {taskType} test.");
        }

        var latest = await LatestAttemptAsync(userId, taskType, ct);
        if (latest is { CompletedAt: null })
        {
            return await ResultAsync(latest, ct);
        }

        if (latest?.CompletedAt is { } completed && completed.AddHours(Options.RetakeAfterHours) > now)
        {
            return Failure.Conflict("Retake not yet", $"You may retake the {taskType} test after {completed.AddHours(Options.RetakeAfterHours):u}.");
        }

        var pool = await GoldPool(userId, taskType).Select(i => new { i.Id, i.JobId }).ToListAsync(ct);
        if (pool.Count < Options.MinQualificationQuestions)
        {
            return Failure.Conflict("No test available", $"No {taskType} qualification test is available yet: live jobs of this type need more gold items.");
        }

        var questions = pool.OrderBy(_ => Random.Shared.Next()).Take(Options.QualificationQuestions).Select(q => (q.Id, q.JobId)).ToList();
        return await ResultAsync(await SitAsync(userId, taskType, questions, firstAttempt: standing is null, now, ct), ct);
    }

    /// <summary>Starts an attempt: its questions leased until the deadline, and the standing marked in progress, in one write.</summary>
    private async Task<QualificationAttempt> SitAsync(string userId, TaskType taskType, List<(Guid ItemId, Guid JobId)> questions, bool firstAttempt, DateTime now, CancellationToken ct)
    {
        var attempt = new QualificationAttempt
        {
            Id = Guid.CreateVersion7(),
            ContributorId = userId,
            TaskType = taskType,
            Questions = questions.Count,
            StartedAt = now,
            Deadline = now.AddMinutes(Options.QualificationMinutes),
        };

        await using var transaction = await writes.BeginAsync(db, ct);
        db.QualificationAttempts.Add(attempt);
        db.Assignments.AddRange(questions.Select(q => new Assignment
        {
            Id = Guid.CreateVersion7(),
            JobId = q.JobId,
            ItemId = q.ItemId,
            ContributorId = userId,
            Kind = AssignmentKind.Qualification,
            Status = AssignmentStatus.Leased,
            QualificationAttemptId = attempt.Id,
            LeasedAt = now,
            LeaseExpiresAt = attempt.Deadline,
        }));
        if (firstAttempt)
        {
            db.Qualifications.Add(new Qualification { ContributorId = userId, TaskType = taskType, Status = QualificationStatus.InProgress, Attempts = 1, UpdatedAt = now });
        }
        else
        {
            await db.Qualifications.Where(q => q.ContributorId == userId && q.TaskType == taskType).ExecuteUpdateAsync(
                s => s.SetProperty(q => q.Status, QualificationStatus.InProgress).SetProperty(q => q.Attempts, q => q.Attempts + 1).SetProperty(q => q.UpdatedAt, now), ct);
        }

        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return attempt;
    }

    /// <summary>Gold items of live jobs of this type that the contributor has never been assigned.</summary>
    private IQueryable<Item> GoldPool(string userId, TaskType taskType) =>
        from item in db.Items
        join job in db.Jobs on item.JobId equals job.Id
        where item.IsGold && job.TaskType == taskType && LiveStatuses.Contains(job.Status)
              && !db.Assignments.Any(a => a.ItemId == item.Id && a.ContributorId == userId)
        select item;

    private Task<QualificationAttempt?> LatestAttemptAsync(string userId, TaskType taskType, CancellationToken ct) =>
        db.QualificationAttempts.AsNoTracking()
            .Where(a => a.ContributorId == userId && a.TaskType == taskType)
            .OrderByDescending(a => a.StartedAt)
            .FirstOrDefaultAsync(ct);

    /// <summary>
    /// Scores the attempt once no question is still open (answered, or expired at the deadline, which counts
    /// as wrong). Runs inside the caller's transaction, after the attempt's row has been locked.
    /// </summary>
    public async Task<QualificationResult?> CompleteIfAnsweredAsync(Guid attemptId, DateTime now, CancellationToken ct)
    {
        var attempt = await db.QualificationAttempts.SingleAsync(a => a.Id == attemptId, ct);
        if (attempt.CompletedAt is null && !await db.Assignments.AnyAsync(a => a.QualificationAttemptId == attemptId && a.Status == AssignmentStatus.Leased, ct))
        {
            var correct = await db.Assignments.CountAsync(a => a.QualificationAttemptId == attemptId && a.IsCorrect == true, ct);
            var passed = correct >= Math.Ceiling((Options.PassMark * attempt.Questions) - 1e-9);
            attempt.CompletedAt = now;
            attempt.Correct = correct;
            attempt.Passed = passed;
            await db.SaveChangesAsync(ct);
            await db.Qualifications.Where(q => q.ContributorId == attempt.ContributorId && q.TaskType == attempt.TaskType && q.Status != QualificationStatus.Passed)
                .ExecuteUpdateAsync(
                    s => s.SetProperty(q => q.Status, passed ? QualificationStatus.Passed : QualificationStatus.Failed)
                        .SetProperty(q => q.PassedAt, passed ? now : null)
                        .SetProperty(q => q.UpdatedAt, now),
                    ct);
        }

        db.Entry(attempt).State = EntityState.Detached;
        return await ResultAsync(attempt, ct);
    }

    /// <summary>The contributor's latest attempt at a task type's test, with per-question feedback once it is over.</summary>
    public async Task<QualificationResult?> LatestAsync(string userId, TaskType taskType, CancellationToken ct)
    {
        var attempt = await LatestAttemptAsync(userId, taskType, ct);
        return attempt is null ? null : await ResultAsync(attempt, ct);
    }

    private async Task<QualificationResult> ResultAsync(QualificationAttempt attempt, CancellationToken ct)
    {
        var questions = await (
            from a in db.Assignments.AsNoTracking()
            join i in db.Items.AsNoTracking() on a.ItemId equals i.Id
            join j in db.Jobs.AsNoTracking() on a.JobId equals j.Id
            where a.QualificationAttemptId == attempt.Id
            orderby a.Id
            select new { Assignment = a, i.Payload, i.GoldAnswer, Job = j }).ToListAsync(ct);

        var open = new List<TaskView>();
        var feedback = new List<QualificationQuestionResult>();
        foreach (var q in questions)
        {
            if (attempt.CompletedAt is null && q.Assignment.Status == AssignmentStatus.Leased)
            {
                open.Add(await views.RenderAsync(q.Assignment, q.Job, ct));
            }
            else if (attempt.CompletedAt is not null)
            {
                feedback.Add(new QualificationQuestionResult(
                    q.Assignment.Id, Json(q.Payload), q.Job.Classes,
                    q.Assignment.Answer is null ? null : Json(q.Assignment.Answer), Json(q.GoldAnswer!), q.Assignment.IsCorrect == true));
            }
        }

        var status = attempt.Passed switch { true => QualificationStatus.Passed, false => QualificationStatus.Failed, null => QualificationStatus.InProgress };
        return new QualificationResult(
            attempt.Id, attempt.TaskType, status, attempt.Questions, attempt.Correct, Options.PassMark, attempt.StartedAt, attempt.Deadline,
            attempt.CompletedAt, attempt is { Passed: false, CompletedAt: { } done } ? done.AddHours(Options.RetakeAfterHours) : null, open, feedback);
    }

    /// <summary>Every task type with this contributor's standing and gold accuracy, and whether a test can be taken.</summary>
    public async Task<IReadOnlyList<QualificationSummary>> SummariesAsync(string userId, CancellationToken ct)
    {
        var standings = await db.Qualifications.AsNoTracking().Where(q => q.ContributorId == userId).ToDictionaryAsync(q => q.TaskType, ct);
        var available = await (
            from item in db.Items
            join job in db.Jobs on item.JobId equals job.Id
            where item.IsGold && LiveStatuses.Contains(job.Status)
            group item by job.TaskType into g
            select new { TaskType = g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.TaskType, x => x.Count, ct);
        return Enum.GetValues<TaskType>().Select(type =>
        {
            var q = standings.GetValueOrDefault(type);
            return new QualificationSummary(type, q?.Status, q?.Attempts ?? 0, q?.PassedAt, accuracy.View(q?.GoldCorrect ?? 0, q?.GoldWrong ?? 0), available.GetValueOrDefault(type) >= Options.MinQualificationQuestions);
        }).ToList();
    }


    private static JsonElement Json(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
