using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Marketplace.Payouts;
using Marketplace.Web.Domain;
using Marketplace.Web.Payments;

namespace Marketplace.Web.Jobs;

// The annotations describe the rules in the OpenAPI document; JobRequestRules is what enforces them.
public sealed record CreateJobRequest(
    [property: Required, StringLength(JobRequestRules.MaxTitleLength, MinimumLength = 1)] string? Title,
    [property: StringLength(JobRequestRules.MaxInstructionsLength)] string? Instructions,
    [property: Required] TaskType? TaskType,
    [property: MaxLength(TaskTypeSchemas.MaxLabels)] IReadOnlyList<string>? Labels,
    [property: Required, Range(1, Currencies.MaxAmountMinor)] long? PayPerLabelMinor,
    [property: Required, StringLength(3, MinimumLength = 3), Description("An active ISO 4217 code, e.g. USD.")] string? Currency,
    [property: Range(1, CreateJob.MaxRedundancy)] int? Redundancy,
    [property: Range(0.5, 1.0, MinimumIsExclusive = true, MaximumIsExclusive = true)] double? TargetConfidence,
    [property: Range(0.0, 0.5)] double? GoldRate,
    [property: StringLength(40)] string? MinimumTier,
    [property: MaxLength(JobRequestRules.MaxTags)] IReadOnlyList<string>? RequiredSkills,
    [property: MaxLength(JobRequestRules.MaxTags)] IReadOnlyList<string>? Languages,
    [property: Description("In the future, at most 731 days ahead.")] DateTime? Deadline,
    [property: Range(0, JobRequestRules.MaxBudgetMinor)] long? BudgetMinor,
    AggregationMethod? AggregationMethod = null);

/// <summary>Only what a launched job may still change; a field left out stays as it is.</summary>
public sealed record UpdateJobRequest(
    [property: StringLength(JobRequestRules.MaxTitleLength, MinimumLength = 1)] string? Title,
    [property: StringLength(JobRequestRules.MaxInstructionsLength)] string? Instructions,
    [property: Range(1, Currencies.MaxAmountMinor)] long? PayPerLabelMinor,
    [property: Range(1, CreateJob.MaxRedundancy)] int? Redundancy,
    [property: Range(0.5, 1.0, MinimumIsExclusive = true, MaximumIsExclusive = true)] double? TargetConfidence,
    [property: Description("In the future, at most 731 days ahead.")] DateTime? Deadline,
    [property: Range(0, JobRequestRules.MaxBudgetMinor)] long? BudgetMinor);

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
