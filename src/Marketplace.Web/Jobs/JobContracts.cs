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
    JobProgress Progress,
    DateTime CreatedAt);
