using System.ComponentModel.DataAnnotations;
using Marketplace.Scoring.Quality;

namespace Marketplace.Web.Quality;

/// <summary>
/// The quality settings of section <c>Work</c>: the prior behind every gold accuracy, the tiers (version 1 of the tier
/// set), and how often running jobs are re-aggregated and tiers re-evaluated. The same section's lease, limit and
/// qualification-test settings are the Tasks feature's (<c>TasksOptions</c>).
/// </summary>
public sealed class QualityOptions : IValidatableObject
{
    public const string Section = "Work";

    /// <summary>How often running categorical jobs are re-aggregated over all their labels and every tier re-evaluated.</summary>
    [Range(10, 24 * 3600)]
    public int ReaggregateSeconds { get; set; } = 120;

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
