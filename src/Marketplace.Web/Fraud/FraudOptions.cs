using System.ComponentModel.DataAnnotations;

namespace Marketplace.Web.Fraud;

/// <summary>Section <c>Fraud</c>: how often the scan runs, what it reads, and the signals' thresholds.</summary>
public sealed class FraudOptions
{
    public const string Section = "Fraud";

    /// <summary>How often the Quartz scan runs the signals over active contributors.</summary>
    [Range(10, 24 * 3600)]
    public int ScanSeconds { get; set; } = 300;

    /// <summary>Contributors who submitted within this many hours are scanned.</summary>
    [Range(1, 24 * 90)]
    public int LookbackHours { get; set; } = 24;

    /// <summary>How many of a contributor's latest answers the speed, streak and constant-answer signals read.</summary>
    [Range(5, 1000)]
    public int RecentAnswers { get; set; } = 50;

    /// <summary>An answer faster than this is "too fast".</summary>
    [Range(0.1, 600)]
    public double TimeFloorSeconds { get; set; } = 2;

    [Range(1, 1000)]
    public int TooFastWindow { get; set; } = 10;

    /// <summary>Too-fast answers among the last <see cref="TooFastWindow"/> that open a case.</summary>
    [Range(1, 1000)]
    public int TooFastThreshold { get; set; } = 5;

    [Range(1, 100)]
    public int GoldFailureStreak { get; set; } = 4;

    [Range(2, 1000)]
    public int ConstantMinAnswers { get; set; } = 10;

    [Range(0.5, 1.0)]
    public double ConstantMaxShare { get; set; } = 0.9;

    /// <summary>The spammer score is judged only on a job's estimate resting on at least this many labels.</summary>
    [Range(1, 100_000)]
    public int SpammerMinLabels { get; set; } = 20;

    [Range(2, 100_000)]
    public int CollusionMinSharedItems { get; set; } = 10;

    [Range(0.5, 100)]
    public double CollusionZThreshold { get; set; } = 4;

    /// <summary>At most this many accounts sharing an address, device or payout account are named as partners.</summary>
    [Range(1, 1000)]
    public int MaxPartners { get; set; } = 20;
}
