using Marketplace.Web.Domain;
using Marketplace.Web.Payments;

namespace Marketplace.Web.Jobs;

public sealed record CreateJobRequest(
    string? Title,
    string? Instructions,
    TaskType? TaskType,
    IReadOnlyList<string>? Labels,
    long? PayPerLabelMinor,
    string? Currency,
    int? Redundancy,
    double? TargetConfidence,
    double? GoldRate,
    string? MinimumTier,
    IReadOnlyList<string>? RequiredSkills,
    IReadOnlyList<string>? Languages,
    DateTime? Deadline,
    long? BudgetMinor,
    AggregationMethod? AggregationMethod = null);

/// <summary>Only what a launched job may still change; a field left out stays as it is.</summary>
public sealed record UpdateJobRequest(string? Title, string? Instructions, long? PayPerLabelMinor, int? Redundancy, double? TargetConfidence, DateTime? Deadline, long? BudgetMinor);

public sealed record JobDetails(
    Guid Id,
    string Title,
    string Instructions,
    TaskType TaskType,
    IReadOnlyList<string> Labels,
    long PayPerLabelMinor,
    string Currency,
    int Redundancy,
    double? TargetConfidence,
    double GoldRate,
    AggregationMethod AggregationMethod,
    DateTime? AggregatedAt,
    string? AggregationSummary,
    string? MinimumTier,
    IReadOnlyList<string> RequiredSkills,
    IReadOnlyList<string> Languages,
    DateTime? Deadline,
    long BudgetMinor,
    JobStatus Status,
    int Items,
    int GoldItems,
    PriceBreakdown Price,
    JobQuoteView? Quote,
    JobProgress Progress,
    DateTime CreatedAt);

public sealed record JobSummary(Guid Id, string Title, TaskType TaskType, JobStatus Status, long PayPerLabelMinor, string Currency, int Redundancy, long BudgetMinor, int Items, int GoldItems, int FinalizedItems, DateTime CreatedAt);

/// <summary>What the job's aggregation estimates of one contributor on it, by pseudonym only.</summary>
public sealed record ContributorOnJob(string Pseudonym, int Labels, double Accuracy, string Method, DateTime UpdatedAt);

public sealed record ImportSummary(int Imported, bool Gold, int TotalItems, int TotalGoldItems);
