using System.Globalization;
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
    public const int MaxNameLength = 40;
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
    public static (IReadOnlyList<TierLevel> Tiers, Dictionary<string, string[]> Errors) Validate(IReadOnlyList<TierInput?>? input)
    {
        var errors = new Dictionary<string, string[]>();
        void Add(string field, string message) =>
            errors[field] = errors.TryGetValue(field, out var existing) ? [.. existing, message] : [message];

        if (input is null || input.Count == 0)
        {
            Add("tiers", "At least one tier is required.");
            return ([], errors);
        }

        if (input.Count > MaxTiers)
        {
            Add("tiers", $"At most {MaxTiers} tiers.");
            return ([], errors);
        }

        var levels = new List<(int Index, TierLevel Level)>();
        var names = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var orders = new Dictionary<int, int>();
        for (var i = 0; i < input.Count; i++)
        {
            var field = $"tiers[{i}]";
            if (input[i] is not { } t)
            {
                Add(field, "A tier is required here.");
                continue;
            }

            var before = errors.Count;
            var name = t.Name?.Trim() ?? "";
            if (name.Length == 0)
            {
                Add($"{field}.name", "A name is required.");
            }
            else if (name.Length > MaxNameLength)
            {
                Add($"{field}.name", $"At most {MaxNameLength} characters.");
            }
            else if (names.TryGetValue(name, out var first))
            {
                Add($"{field}.name", $"Tier {i + 1} has the same name as tier {first + 1} ('{name}'); names are unique.");
            }
            else
            {
                names[name] = i;
            }

            if (t.Order is not { } order)
            {
                Add($"{field}.order", "An order is required.");
            }
            else if (orders.TryGetValue(order, out var first))
            {
                Add($"{field}.order", $"Tier '{name}' has the same order ({order}) as tier {first + 1}; orders are unique.");
            }
            else
            {
                orders[order] = i;
            }

            if (t.MinGoldCount is not { } gold || gold is < 0 or > 1_000_000)
            {
                Add($"{field}.minGoldCount", "Minimum gold answers is required, between 0 and 1000000.");
            }

            if (t.MinLowerBound is not { } bound || !double.IsFinite(bound) || bound is < 0 or >= 1)
            {
                Add($"{field}.minLowerBound", "Minimum accuracy lower bound is required, at least 0 and below 1.");
            }

            if (t.PayMultiplier is not { } pay || pay < MinPayMultiplier || pay > MaxPayMultiplier)
            {
                Add($"{field}.payMultiplier", string.Create(CultureInfo.InvariantCulture, $"Pay multiplier is required, between {MinPayMultiplier} and {MaxPayMultiplier}."));
            }

            if (t.HoldDays is not { } hold || hold is < 0 or > MaxHoldDays)
            {
                Add($"{field}.holdDays", $"Hold days is required, between 0 and {MaxHoldDays}.");
            }

            if (t.GoldRateFactor is not { } factor || !double.IsFinite(factor) || factor < MinGoldRateFactor || factor > MaxGoldRateFactor)
            {
                Add($"{field}.goldRateFactor", string.Create(CultureInfo.InvariantCulture, $"Gold-rate factor is required, between {MinGoldRateFactor} and {MaxGoldRateFactor}."));
            }

            var types = new List<TaskType>();
            foreach (var type in t.TaskTypes ?? [])
            {
                if (!Enum.TryParse<TaskType>(type?.Trim(), ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || int.TryParse(type, out _))
                {
                    Add($"{field}.taskTypes", $"'{type}' is not a task type; use one of {string.Join(", ", Enum.GetNames<TaskType>())}.");
                }
                else if (!types.Contains(parsed))
                {
                    types.Add(parsed);
                }
            }

            if (errors.Count == before)
            {
                levels.Add((i, new TierLevel(name, t.Order!.Value, t.MinGoldCount!.Value, t.MinLowerBound!.Value, t.PayMultiplier!.Value, t.HoldDays!.Value, t.GoldRateFactor!.Value, types)));
            }
        }

        if (errors.Count > 0)
        {
            return ([], errors);
        }

        var ranked = levels.OrderBy(l => l.Level.Order).ToList();
        var entry = ranked[0];
        if (entry.Level.MinGoldCount != 0 || entry.Level.MinLowerBound != 0)
        {
            Add($"tiers[{entry.Index}]", $"Tier '{entry.Level.Name}' is the lowest, where everyone starts: its minimum gold answers and lower bound must be 0.");
        }

        for (var r = 1; r < ranked.Count; r++)
        {
            var (index, tier) = ranked[r];
            var below = ranked[r - 1].Level;
            if (tier.MinGoldCount < below.MinGoldCount)
            {
                Add($"tiers[{index}].minGoldCount", $"Tier '{tier.Name}' (order {tier.Order}) needs {tier.MinGoldCount} gold answers, fewer than '{below.Name}' below it (order {below.Order}) needs ({below.MinGoldCount}): thresholds may not fall going up.");
            }

            if (tier.MinLowerBound < below.MinLowerBound)
            {
                Add($"tiers[{index}].minLowerBound", string.Create(CultureInfo.InvariantCulture, $"Tier '{tier.Name}' (order {tier.Order}) needs a lower bound of {tier.MinLowerBound}, less than '{below.Name}' below it (order {below.Order}) needs ({below.MinLowerBound}): thresholds may not fall going up."));
            }

            if (tier.MinGoldCount == below.MinGoldCount && tier.MinLowerBound.Equals(below.MinLowerBound))
            {
                Add($"tiers[{index}]", $"Tier '{tier.Name}' has the same thresholds as '{below.Name}' below it, so they overlap: raise its minimum gold answers or lower bound.");
            }
        }

        return errors.Count > 0 ? ([], errors) : (ranked.Select(l => l.Level).ToList(), errors);
    }
}
