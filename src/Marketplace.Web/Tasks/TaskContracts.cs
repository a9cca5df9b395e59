using System.Text.Json;
using Marketplace.Web.Domain;

namespace Marketplace.Web.Tasks;

/// <summary>
/// A task as the contributor sees it. Gold and ordinary items look exactly alike: the same fields, the
/// assignment's id rather than the item's, and the same payload shape.
/// </summary>
public sealed record TaskView(
    Guid AssignmentId,
    Guid JobId,
    string JobTitle,
    TaskType TaskType,
    IReadOnlyList<string> Labels,
    string InstructionsHtml,
    JsonElement Payload,
    DateTime LeasedAt,
    DateTime LeaseExpiresAt,
    long PayMinor,
    string Currency,
    Guid? QualificationAttemptId);

public sealed record SubmitRequest(JsonElement? Answer);

public sealed record SubmitResult(Guid AssignmentId, int DurationMs, QualificationResult? Qualification);

public sealed record QualificationQuestionResult(Guid AssignmentId, JsonElement Payload, IReadOnlyList<string> Labels, JsonElement? Answer, JsonElement ExpectedAnswer, bool Correct);

public sealed record QualificationResult(
    Guid AttemptId,
    TaskType TaskType,
    QualificationStatus Status,
    int Questions,
    int? Correct,
    double PassMark,
    DateTime StartedAt,
    DateTime Deadline,
    DateTime? CompletedAt,
    DateTime? RetakeAfter,
    IReadOnlyList<TaskView> Open,
    IReadOnlyList<QualificationQuestionResult> Feedback);

public sealed record QualificationSummary(TaskType TaskType, QualificationStatus? Status, int Attempts, DateTime? PassedAt, AccuracyView Accuracy, bool Available);

public sealed record FeedEntry(
    Guid JobId,
    string Title,
    TaskType TaskType,
    long PayMinor,
    string Currency,
    int EstimatedSeconds,
    int ItemsLeft,
    DateTime? Deadline,
    bool CanWork,
    string? Reason);

public sealed record TierProgress(string Tier, string? NextTier, string Reason);

public sealed record Dashboard(
    string Pseudonym,
    AccuracyView Accuracy,
    TierProgress Tier,
    IReadOnlyList<QualificationSummary> Qualifications,
    int TasksDone,
    int TasksToday,
    IReadOnlyList<Marketplace.Payouts.ContributorBalance> Earnings,
    DateTime? SuspendedAt);
