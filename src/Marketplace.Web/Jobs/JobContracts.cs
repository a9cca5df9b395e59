using Marketplace.Web.Domain;

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

/// <summary>items × redundancy × pay + platform fee = the budget the job needs.</summary>
public sealed record PriceBreakdown(int Items, int Redundancy, long PayPerLabelMinor, long LabelsCostMinor, int PlatformFeeBasisPoints, long PlatformFeeMinor, long TotalMinor, string Currency);

/// <summary>
/// What adaptive redundancy is expected to use and achieve with today's pool (the scoring engine's simulation):
/// labels per item, their cost (before the platform fee) and the share of items whose consensus will be right.
/// </summary>
public sealed record JobQuoteView(double ExpectedLabelsPerItem, long ExpectedLabels, long ExpectedCostMinor, double ExpectedAccuracy, int PoolSize, string Note);

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
