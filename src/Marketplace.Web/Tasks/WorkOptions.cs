using System.ComponentModel.DataAnnotations;
using Marketplace.Scoring.Quality;
using Marketplace.Web.Quality;

namespace Marketplace.Web.Tasks;

/// <summary>Section <c>Work</c>: leases, limits and qualification tests.</summary>
public sealed class WorkOptions : IValidatableObject
{
    public const string Section = "Work";

    /// <summary>How long a claimed task is held for its contributor.</summary>
    [Range(10, 24 * 3600)]
    public int LeaseSeconds { get; set; } = 300;

    /// <summary>How often the Quartz sweep returns expired leases to the pool.</summary>
    [Range(1, 600)]
    public int SweepSeconds { get; set; } = 5;

    /// <summary>How often running categorical jobs are re-aggregated over all their labels and every tier re-evaluated.</summary>
    [Range(10, 24 * 3600)]
    public int ReaggregateSeconds { get; set; } = 120;

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

    /// <summary>Prior for gold accuracy: Beta(alpha, beta).</summary>
    [Range(0.01, 1000)]
    public double PriorAlpha { get; set; } = 1;

    [Range(0.01, 1000)]
    public double PriorBeta { get; set; } = 1;

    /// <summary>
    /// The quality tiers, lowest first, as version 1 of the tier set (see <see cref="TierCatalog"/>); admins
    /// edit them from there on. The first is where everyone starts.
    /// </summary>
    public List<TierOptions> Tiers { get; set; } = [];

    public BetaPrior Prior => new(PriorAlpha, PriorBeta);

    /// <summary>The configured tiers, or the defaults below.</summary>
    public IReadOnlyList<TierOptions> EffectiveTiers => Tiers.Count > 0 ? Tiers : DefaultTiers;

    public static readonly IReadOnlyList<TierOptions> DefaultTiers =
    [
        new() { Name = "New", MinGoldCount = 0, MinLowerBound = 0, PayMultiplier = 1.0m },
        new() { Name = "Bronze", MinGoldCount = 10, MinLowerBound = 0.55, PayMultiplier = 1.0m },
        new() { Name = "Silver", MinGoldCount = 30, MinLowerBound = 0.75, PayMultiplier = 1.1m },
        new() { Name = "Gold", MinGoldCount = 60, MinLowerBound = 0.85, PayMultiplier = 1.25m },
    ];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // The configured tiers are version 1 of the tier set, so they obey the rules an admin's edit does.
        var (_, errors) = TierSet.Validate(EffectiveTiers.Select((t, i) => new TierInput(t.Name, i + 1, t.MinGoldCount, t.MinLowerBound, t.PayMultiplier, 0, 1, [])).ToList());
        return errors.Select(e => new ValidationResult($"{Section}:Tiers: {string.Join(" ", e.Value)}", [e.Key.Replace("tiers", nameof(Tiers), StringComparison.Ordinal)]));
    }
}

public sealed class TierOptions
{
    public string Name { get; set; } = "";

    public int MinGoldCount { get; set; }

    public double MinLowerBound { get; set; }

    public decimal PayMultiplier { get; set; } = 1;
}
