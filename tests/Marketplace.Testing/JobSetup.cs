using Marketplace.Web.Domain;

namespace Marketplace.Testing;

/// <summary>
/// A job to arrange: its settings as a buyer would post them, its items and gold items, and the status to bring it to
/// (through the lifecycle, as the buyer would). Payloads default to what the task type reads; gold answers are JSON.
/// </summary>
public sealed record JobSetup
{
    public int Items { get; init; }

    public int Gold { get; init; }

    public TaskType Type { get; init; } = TaskType.SingleChoice;

    /// <summary>Null: cat and dog (A and B for pairwise, none for free text).</summary>
    public IReadOnlyList<string>? Labels { get; init; }

    public int Redundancy { get; init; } = 3;

    public double GoldRate { get; init; }

    public double? TargetConfidence { get; init; }

    public string? MinimumTier { get; init; }

    public JobStatus Status { get; init; } = JobStatus.Active;

    /// <summary>The known answer of gold item i (JSON); null: <c>"cat"</c>.</summary>
    public Func<int, string>? GoldAnswer { get; init; }

    /// <summary>An existing organization to post in; null: a new one.</summary>
    public Guid? OrganizationId { get; init; }

    public DateTime? Deadline { get; init; }

    /// <summary>The payload of item i (gold items follow the others); null: what the task type reads.</summary>
    public Func<int, object>? Payload { get; init; }

    public long PayPerLabelMinor { get; init; } = 10;

    /// <summary>Funded into escrow through the dry-run gateway, so claims are covered.</summary>
    public long BudgetMinor { get; init; } = 1_000_000;

    public string? Title { get; init; }

    public string Instructions { get; init; } = "Pick the **right** one.";

    public AggregationMethod AggregationMethod { get; init; } = AggregationMethod.Auto;

    public IReadOnlyList<string> Classes => Labels ?? Type switch
    {
        TaskType.Pairwise => ["A", "B"],
        TaskType.FreeText => [],
        _ => ["cat", "dog"],
    };
}
