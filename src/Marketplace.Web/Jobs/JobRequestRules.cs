using Marketplace.Payouts;
using Marketplace.Web.Domain;

namespace Marketplace.Web.Jobs;

/// <summary>
/// The field rules of a job, each failing field named with what it accepts: every field of a new job, and the same
/// rule for each field an edit changes. Every value is bounded, so nothing absurd is stored and no later sum overflows.
/// </summary>
internal static class JobRequestRules
{
    public const int MaxTitleLength = 200;
    public const int MaxInstructionsLength = 20_000;
    public const int MaxTags = 20;
    public const int MaxTagLength = 40;
    public const long MaxBudgetMinor = 1_000_000_000_000;

    /// <summary>How far ahead a deadline may be: a job is work for days or months, not for the year 9999.</summary>
    public static readonly TimeSpan MaxDeadlineAhead = TimeSpan.FromDays(731);

    public static Dictionary<string, string[]> Check(CreateJobRequest r, DateTime now)
    {
        var errors = new Dictionary<string, string[]>();
        void Add(string field, string? message)
        {
            if (message is not null)
            {
                errors[field] = [message];
            }
        }

        Add("title", r.Title is null ? "1 to 200 characters." : Title(r.Title));
        Add("instructions", r.Instructions is null ? null : Instructions(r.Instructions));
        CheckKind(r, Add);
        Add("payPerLabelMinor", r.PayPerLabelMinor is { } pay ? Pay(pay) : "Pay per accepted label, in minor units (cents), must be positive.");
        Add("currency", Currencies.IsKnown(r.Currency) ? null : "An active ISO 4217 currency code, e.g. USD.");
        Add("redundancy", r.Redundancy is { } redundancy ? Redundancy(redundancy) : null);
        Add("targetConfidence", r.TargetConfidence is { } target ? TargetConfidence(target) : null);
        Add("goldRate", r.GoldRate is < 0 or > 0.5 or double.NaN ? "Between 0 and 0.5 of served tasks." : null);
        Add("deadline", r.Deadline is { } deadline ? Deadline(deadline, now) : null);
        Add("budgetMinor", r.BudgetMinor is { } budget ? Budget(budget) : null);
        Add("minimumTier", r.MinimumTier is { Length: > 40 } || (r.MinimumTier is { } tier && !TextRules.IsCleanLine(tier)) ? "At most 40 characters, one line." : null);
        Add("requiredSkills", Tags(r.RequiredSkills));
        Add("languages", Tags(r.Languages));
        return errors;
    }

    public static string? Title(string title) =>
        string.IsNullOrWhiteSpace(title) || title.Trim().Length > MaxTitleLength ? $"1 to {MaxTitleLength} characters."
        : TextRules.IsCleanLine(title) ? null : $"The title {TextRules.LineProblem}.";

    public static string? Instructions(string instructions) =>
        instructions.Length > MaxInstructionsLength ? $"At most {MaxInstructionsLength:N0} characters."
        : TextRules.IsCleanText(instructions) ? null : $"Instructions {TextRules.LineProblem} (line breaks and tabs are fine).";

    public static string? Pay(long pay) => pay is <= 0 or > Currencies.MaxAmountMinor
        ? $"Pay per accepted label, in minor units (cents), from 1 to {Currencies.MaxAmountMinor:N0}."
        : null;

    public static string? Redundancy(int redundancy) => redundancy is < 1 or > CreateJob.MaxRedundancy ? $"Between 1 and {CreateJob.MaxRedundancy} labels per item." : null;

    public static string? TargetConfidence(double target) => target is > 0.5 and < 1 ? null : "Between 0.5 and 1, exclusive.";

    public static string? Deadline(DateTime deadline, DateTime now)
    {
        var utc = deadline.ToUniversalTime();
        return utc <= now ? "Must be in the future."
            : utc > now + MaxDeadlineAhead ? $"At most {MaxDeadlineAhead.TotalDays:0} days ahead."
            : null;
    }

    public static string? Budget(long budget) => budget is < 0 or > MaxBudgetMinor ? $"From 0 to {MaxBudgetMinor:N0} minor units." : null;

    /// <summary>What the job is: task type, labels and how they are combined (names only: numbers are not task types).</summary>
    private static void CheckKind(CreateJobRequest r, Action<string, string?> add)
    {
        if (r.TaskType is not { } type || !Enum.IsDefined(type))
        {
            add("taskType", $"One of: {string.Join(", ", Enum.GetNames<TaskType>())}.");
        }
        else
        {
            add("labels", TaskTypeSchemas.ValidateLabels(type, r.Labels ?? []));
        }

        if (r.AggregationMethod is { } method && !Enum.IsDefined(method))
        {
            add("aggregationMethod", $"One of: {string.Join(", ", Enum.GetNames<AggregationMethod>())}.");
        }
        else if (r.AggregationMethod is { } chosen && r.TaskType is { } taskType && chosen != AggregationMethod.Auto && !taskType.IsCategorical())
        {
            add("aggregationMethod", $"{taskType} answers are combined by matching, not voting: leave it Auto.");
        }
    }

    private static string? Tags(IReadOnlyList<string>? tags) =>
        tags is null ? null
        : tags.Count > MaxTags ? $"At most {MaxTags}."
        : tags.Any(t => t is null || t.Trim().Length > MaxTagLength || !TextRules.IsCleanLine(t)) ? $"Each at most {MaxTagLength} characters, one line."
        : null;
}
