using System.Text.Json;

namespace Marketplace.Web.Domain;

/// <summary>
/// What each task type's item payload and answer must look like. Imports, gold items and submitted answers
/// are all checked here, so one rule holds everywhere. Errors name the field.
/// </summary>
public static class TaskTypeSchemas
{
    public const int MaxPayloadBytes = 64_000;
    public const int MaxFreeTextAnswer = 2_000;
    public const int MaxLabels = 200;
    public const int MaxLabelLength = 100;

    /// <summary>
    /// Boxes or spans in one answer. Consensus matches every region against the item's other regions, so this bound
    /// (with the redundancy's) is what keeps deciding an item fast: 50 labels of 100 regions is 5,000 regions.
    /// </summary>
    public const int MaxRegions = 100;

    /// <summary>The largest box coordinate or size, in pixels: larger than any image a person labels.</summary>
    public const double MaxPixels = 100_000;

    public static readonly IReadOnlyList<string> PairwiseLabels = ["A", "B"];

    /// <summary>The payload fields a task type reads; at least one of <c>AnyOf</c> must be present.</summary>
    public static (string[] Required, string[] AnyOf) PayloadFields(TaskType type) => type switch
    {
        TaskType.SingleChoice or TaskType.MultiLabel or TaskType.FreeText => ([], ["text", "imageUrl"]),
        TaskType.BoundingBox => (["imageUrl"], []),
        TaskType.TextSpan => (["text"], []),
        TaskType.Pairwise => (["a", "b"], []),
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    public static string? ValidateLabels(TaskType type, IReadOnlyList<string> labels)
    {
        if (type == TaskType.FreeText)
        {
            return labels.Count == 0 ? null : "Free-text jobs have no label set.";
        }

        if (type == TaskType.Pairwise)
        {
            return labels.SequenceEqual(PairwiseLabels) || labels.Count == 0 ? null : "Pairwise jobs use the labels A and B.";
        }

        if (labels.Count < (type == TaskType.MultiLabel || type is TaskType.BoundingBox or TaskType.TextSpan ? 1 : 2))
        {
            return type == TaskType.SingleChoice ? "A single-choice job needs at least two labels." : "At least one label is needed.";
        }

        if (labels.Count > MaxLabels)
        {
            return $"At most {MaxLabels} labels.";
        }

        if (labels.Any(l => string.IsNullOrWhiteSpace(l) || l.Length > MaxLabelLength || l != l.Trim() || !TextRules.IsCleanLine(l)))
        {
            return $"Labels must be non-empty, at most {MaxLabelLength} characters, without surrounding spaces, and one line with no control characters or text-direction overrides.";
        }

        return labels.Distinct(StringComparer.Ordinal).Count() == labels.Count ? null : "Labels must be distinct.";
    }

    /// <summary>Checks one item's payload; returns (field, message) or null when it is valid.</summary>
    public static (string Field, string Message)? ValidatePayload(TaskType type, JsonElement payload)
    {
        if (payload.ValueKind != JsonValueKind.Object)
        {
            return ("payload", "must be a JSON object.");
        }

        var (required, anyOf) = PayloadFields(type);
        foreach (var field in required)
        {
            if (!payload.TryGetProperty(field, out var value) || value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
            {
                return (field, "is required.");
            }
        }

        if (anyOf.Length > 0 && !anyOf.Any(f => payload.TryGetProperty(f, out var v) && v.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(v.GetString())))
        {
            return (string.Join("|", anyOf), $"one of {string.Join(", ", anyOf)} is required.");
        }

        foreach (var property in payload.EnumerateObject())
        {
            if (property.Name.EndsWith("Url", StringComparison.Ordinal)
                && (property.Value.ValueKind != JsonValueKind.String
                    || !Uri.TryCreate(property.Value.GetString(), UriKind.Absolute, out var uri)
                    || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)))
            {
                return (property.Name, "must be an absolute http(s) URL.");
            }
        }

        return null;
    }

    /// <summary>Checks an answer against the task type and the job's labels; returns (field, message) or null.</summary>
    public static (string Field, string Message)? ValidateAnswer(TaskType type, IReadOnlyList<string> labels, JsonElement answer)
    {
        switch (type)
        {
            case TaskType.SingleChoice:
            case TaskType.Pairwise:
                var allowed = type == TaskType.Pairwise ? PairwiseLabels : labels;
                return answer.ValueKind == JsonValueKind.String && allowed.Contains(answer.GetString()!)
                    ? null
                    : ("answer", $"must be one of: {string.Join(", ", allowed)}.");

            case TaskType.MultiLabel:
                if (answer.ValueKind != JsonValueKind.Array)
                {
                    return ("answer", "must be an array of labels.");
                }

                if (answer.GetArrayLength() > labels.Count)
                {
                    return ("answer", $"has more entries than the job's {labels.Count} labels.");
                }

                var chosen = answer.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() : null).ToList();
                if (chosen.Any(c => c is null || !labels.Contains(c)))
                {
                    return ("answer", $"every entry must be one of: {string.Join(", ", labels)}.");
                }

                return chosen.Distinct().Count() == chosen.Count ? null : ("answer", "labels must not repeat.");

            case TaskType.BoundingBox:
                return ValidateRegions(answer, labels, ["x", "y", "w", "h"], (r, i) =>
                    r.GetProperty("w").GetDouble() is > 0 and <= MaxPixels && r.GetProperty("h").GetDouble() is > 0 and <= MaxPixels
                    && r.GetProperty("x").GetDouble() is >= 0 and <= MaxPixels && r.GetProperty("y").GetDouble() is >= 0 and <= MaxPixels
                        ? null
                        : ($"answer[{i}]", $"needs 0 <= x, y <= {MaxPixels:0} and 0 < w, h <= {MaxPixels:0}."));

            case TaskType.TextSpan:
                return ValidateRegions(answer, labels, ["start", "end"], (r, i) =>
                    r.GetProperty("start").TryGetInt32(out var start) && r.GetProperty("end").TryGetInt32(out var end) && start >= 0 && end > start && end <= MaxPayloadBytes
                        ? null
                        : ($"answer[{i}]", $"needs whole numbers 0 <= start < end <= {MaxPayloadBytes}."));

            case TaskType.FreeText:
                return answer.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(answer.GetString()) && answer.GetString()!.Length <= MaxFreeTextAnswer
                    ? null
                    : ("answer", $"must be non-empty text of at most {MaxFreeTextAnswer} characters.");

            default:
                throw new ArgumentOutOfRangeException(nameof(type));
        }
    }

    private static (string, string)? ValidateRegions(JsonElement answer, IReadOnlyList<string> labels, string[] numbers, Func<JsonElement, int, (string, string)?> check)
    {
        if (answer.ValueKind != JsonValueKind.Array)
        {
            return ("answer", "must be an array of regions.");
        }

        if (answer.GetArrayLength() > MaxRegions)
        {
            return ("answer", $"has {answer.GetArrayLength():N0} regions; an answer holds at most {MaxRegions}.");
        }

        var index = 0;
        foreach (var region in answer.EnumerateArray())
        {
            if (region.ValueKind != JsonValueKind.Object
                || !region.TryGetProperty("label", out var label) || label.ValueKind != JsonValueKind.String || !labels.Contains(label.GetString()!))
            {
                return ($"answer[{index}].label", $"must be one of: {string.Join(", ", labels)}.");
            }

            foreach (var field in numbers)
            {
                if (!region.TryGetProperty(field, out var value) || value.ValueKind != JsonValueKind.Number)
                {
                    return ($"answer[{index}].{field}", "must be a number.");
                }
            }

            if (check(region, index) is { } error)
            {
                return error;
            }

            index++;
        }

        return null;
    }
}
