using Marketplace.Scoring.Quality;
using Marketplace.Web.Domain;

namespace Marketplace.Web.Quality;

/// <summary>
/// One quality tier. <c>Order</c> ranks it (lowest first; the lowest is where everyone starts). A contributor enters it
/// with at least <c>MinGoldCount</c> gold answers and a 95% accuracy lower bound of at least <c>MinLowerBound</c>.
/// Their labels pay <c>PayMultiplier</c> × the job's pay and stay pending <c>HoldDays</c>; gold is served at
/// <c>GoldRateFactor</c> × the rate the job and their uncertainty call for.
/// </summary>
/// <remarks>
/// What a tier unlocks: every job whose minimum tier is this tier or a lower one, and, when <c>TaskTypes</c> is not
/// empty, only jobs of those task types (empty: every task type).
/// </remarks>
public sealed record TierLevel(
    string Name,
    int Order,
    int MinGoldCount,
    double MinLowerBound,
    decimal PayMultiplier,
    int HoldDays,
    double GoldRateFactor,
    IReadOnlyList<TaskType> TaskTypes);

/// <summary>A tier as an admin submits it: every field optional here so a missing one is named in the answer.</summary>
public sealed record TierInput(
    string? Name,
    int? Order,
    int? MinGoldCount,
    double? MinLowerBound,
    decimal? PayMultiplier,
    int? HoldDays,
    double? GoldRateFactor,
    IReadOnlyList<string>? TaskTypes);

/// <summary>One version of the tier definitions, ranked; what every consumer of tiers reads.</summary>
public sealed class TierSet
{
    public const int MaxTiers = 20;
    public const int MaxNameLength = TierNames.MaxLength;
    public const decimal MinPayMultiplier = 0.1m;
    public const decimal MaxPayMultiplier = 10m;
    public const int MaxHoldDays = 365;
    public const double MinGoldRateFactor = 0.1;
    public const double MaxGoldRateFactor = 10;

    public TierSet(int version, IEnumerable<TierLevel> tiers)
    {
        Version = version;
        Tiers = tiers.OrderBy(t => t.Order).ToList();
        if (Tiers.Count == 0)
        {
            throw new ArgumentException("A tier set has at least one tier.", nameof(tiers));
        }

        // Validated sets rank the same by order as by (lower bound, gold count), which is how the policy ranks them.
        Policy = new TierPolicy(Tiers.Select(t => new TierDefinition(t.Name, t.MinGoldCount, t.MinLowerBound, t.PayMultiplier, t.TaskTypes.Select(x => x.ToString()).ToList())));
    }

    public int Version { get; }

    /// <summary>Lowest first.</summary>
    public IReadOnlyList<TierLevel> Tiers { get; }

    public TierPolicy Policy { get; }

    /// <summary>Where everyone starts, and where anyone whose record earns no tier is placed.</summary>
    public TierLevel Entry => Tiers[0];

    public decimal MaxPayMultiplierInUse => Tiers.Max(t => t.PayMultiplier);

    /// <summary>Rank of a tier by name (0 = lowest), or -1 when this version has no such tier.</summary>
    public int RankOf(string? tier)
    {
        for (var i = 0; i < Tiers.Count; i++)
        {
            if (string.Equals(Tiers[i].Name, tier, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    public TierLevel? Find(string? tier) => RankOf(tier) is var rank and >= 0 ? Tiers[rank] : null;

    /// <summary>A contributor whose tier this version no longer has (renamed or removed, not yet re-evaluated) is paid 1×.</summary>
    public decimal MultiplierOf(string? tier) => Find(tier)?.PayMultiplier ?? 1m;

    public double GoldRateFactorOf(string? tier) => (Find(tier) ?? Entry).GoldRateFactor;

    /// <summary>The tier's hold, or null for a tier this version does not have (the payouts configuration decides then).</summary>
    public TimeSpan? HoldOf(string? tier) => Find(tier) is { } level ? TimeSpan.FromDays(level.HoldDays) : null;

    /// <summary>Why a contributor of <paramref name="tier"/> may not work on <paramref name="job"/>, or null when their tier unlocks it.</summary>
    public string? Refusal(string? tier, Job job)
    {
        var rank = RankOf(tier);
        if (job.MinimumTier is { } minimum && rank < RankOf(minimum))
        {
            return $"This job needs tier {minimum} or above; you are {tier}.";
        }

        var level = rank >= 0 ? Tiers[rank] : Entry;
        return level.TaskTypes.Count > 0 && !level.TaskTypes.Contains(job.TaskType)
            ? $"Tier {tier} does not unlock {job.TaskType} tasks; it unlocks {string.Join(", ", level.TaskTypes)}."
            : null;
    }

    /// <summary>
    /// Checks a proposed tier set. Tiers are ranked by <c>Order</c>; going up, neither threshold may fall (unordered) and
    /// at least one must rise (two tiers with the same thresholds overlap: nobody could be in the lower one). Errors are
    /// keyed <c>tiers[i].field</c>, i being the tier's position in <paramref name="input"/>.
    /// </summary>
    public static (IReadOnlyList<TierLevel> Tiers, Dictionary<string, string[]> Errors) Validate(IReadOnlyList<TierInput?>? input) =>
        new TierSetValidator().Validate(input);
}
