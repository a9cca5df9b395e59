using Marketplace.Web.Domain;

namespace Marketplace.Web.Jobs;

/// <summary>The field rules of a new job, each failing field named with what it accepts.</summary>
internal static class JobRequestRules
{
    public static Dictionary<string, string[]> Check(CreateJobRequest r, DateTime now)
    {
        var errors = new Dictionary<string, string[]>();
        CheckDescription(r, (field, message) => errors[field] = [message]);
        CheckTerms(r, now, (field, message) => errors[field] = [message]);
        return errors;
    }

    /// <summary>What the job is: title, instructions, task type, labels and how they are combined.</summary>
    private static void CheckDescription(CreateJobRequest r, Action<string, string> add)
    {
        if (string.IsNullOrWhiteSpace(r.Title) || r.Title.Trim().Length > 200)
        {
            add("title", "1 to 200 characters.");
        }

        if (r.Instructions is { Length: > 20_000 })
        {
            add("instructions", "At most 20,000 characters.");
        }

        if (r.TaskType is null)
        {
            add("taskType", $"One of: {string.Join(", ", Enum.GetNames<TaskType>())}.");
        }
        else if (TaskTypeSchemas.ValidateLabels(r.TaskType.Value, r.Labels ?? []) is { } labelError)
        {
            add("labels", labelError);
        }

        if (r.AggregationMethod is { } method && r.TaskType is { } taskType && method != AggregationMethod.Auto && !taskType.IsCategorical())
        {
            add("aggregationMethod", $"{taskType} answers are combined by matching, not voting: leave it Auto.");
        }
    }

    /// <summary>What the job offers and asks: pay, currency, redundancy, confidence, gold rate, deadline, budget, tier.</summary>
    private static void CheckTerms(CreateJobRequest r, DateTime now, Action<string, string> add)
    {
        if (r.PayPerLabelMinor is null or <= 0)
        {
            add("payPerLabelMinor", "Pay per accepted label, in minor units (cents), must be positive.");
        }

        if (r.Currency is null || r.Currency.Length != 3 || !r.Currency.All(char.IsAsciiLetter))
        {
            add("currency", "A three-letter ISO 4217 code, e.g. USD.");
        }

        if (r.Redundancy is < 1 or > CreateJob.MaxRedundancy)
        {
            add("redundancy", $"Between 1 and {CreateJob.MaxRedundancy} labels per item.");
        }

        if (r.TargetConfidence is <= 0.5 or >= 1)
        {
            add("targetConfidence", "Between 0.5 and 1, exclusive.");
        }

        if (r.GoldRate is < 0 or > 0.5)
        {
            add("goldRate", "Between 0 and 0.5 of served tasks.");
        }

        if (r.Deadline is { } deadline && deadline.ToUniversalTime() <= now)
        {
            add("deadline", "Must be in the future.");
        }

        if (r.BudgetMinor is < 0)
        {
            add("budgetMinor", "Must not be negative.");
        }

        if (r.MinimumTier is { Length: > 40 })
        {
            add("minimumTier", "At most 40 characters.");
        }
    }
}
