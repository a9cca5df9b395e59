using System.ComponentModel.DataAnnotations;

namespace Marketplace.Web.Tasks;

/// <summary>
/// The work loop's settings of section <c>Work</c>: leases, claim limits and qualification tests. The same section's
/// prior, tiers and re-aggregation period are the Quality feature's (<c>QualityOptions</c>).
/// </summary>
public sealed class TasksOptions
{
    public const string Section = "Work";

    /// <summary>How long a claimed task is held for its contributor.</summary>
    [Range(10, 24 * 3600)]
    public int LeaseSeconds { get; set; } = 300;

    /// <summary>How often the Quartz sweep returns expired leases to the pool.</summary>
    [Range(1, 600)]
    public int SweepSeconds { get; set; } = 5;

    /// <summary>Claims one contributor may make in any minute.</summary>
    [Range(1, 100_000)]
    public int ClaimsPerMinute { get; set; } = 60;

    /// <summary>Claims one contributor may make in any 24 hours.</summary>
    [Range(1, 10_000_000)]
    public int ClaimsPerDay { get; set; } = 5_000;

    /// <summary>Questions in a qualification test (fewer when fewer gold items exist, but at least <see cref="MinQualificationQuestions"/>).</summary>
    [Range(1, 100)]
    public int QualificationQuestions { get; set; } = 10;

    [Range(1, 100)]
    public int MinQualificationQuestions { get; set; } = 3;

    /// <summary>Share of a qualification test to answer correctly to pass.</summary>
    [Range(0.0, 1.0)]
    public double PassMark { get; set; } = 0.8;

    [Range(1, 24 * 60)]
    public int QualificationMinutes { get; set; } = 30;

    /// <summary>Hours after a failed test before the next attempt.</summary>
    [Range(0, 24 * 365)]
    public int RetakeAfterHours { get; set; } = 24;
}
