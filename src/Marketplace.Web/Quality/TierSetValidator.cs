using System.Globalization;
using Marketplace.Web.Domain;

namespace Marketplace.Web.Quality;

/// <summary>One check of a proposed tier set (<see cref="TierSet.Validate"/>): each tier's fields, then their ranking.</summary>
internal sealed class TierSetValidator
{
    private readonly Dictionary<string, string[]> _errors = [];
    private readonly Dictionary<string, int> _names = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<int, int> _orders = [];

    public (IReadOnlyList<TierLevel> Tiers, Dictionary<string, string[]> Errors) Validate(IReadOnlyList<TierInput?>? input)
    {
        if (input is null || input.Count == 0)
        {
            Add("tiers", "At least one tier is required.");
            return ([], _errors);
        }

        if (input.Count > TierSet.MaxTiers)
        {
            Add("tiers", $"At most {TierSet.MaxTiers} tiers.");
            return ([], _errors);
        }

        var levels = new List<(int Index, TierLevel Level)>();
        for (var i = 0; i < input.Count; i++)
        {
            if (Check(input[i], i) is { } level)
            {
                levels.Add((i, level));
            }
        }

        if (_errors.Count > 0)
        {
            return ([], _errors);
        }

        var ranked = levels.OrderBy(l => l.Level.Order).ToList();
        CheckRanking(ranked);
        return _errors.Count > 0 ? ([], _errors) : (ranked.Select(l => l.Level).ToList(), _errors);
    }

    private void Add(string field, string message) =>
        _errors[field] = _errors.TryGetValue(field, out var existing) ? [.. existing, message] : [message];

    /// <summary>One tier's fields; the tier when they are all right, else null with the errors added.</summary>
    private TierLevel? Check(TierInput? tier, int i)
    {
        var field = $"tiers[{i}]";
        if (tier is null)
        {
            Add(field, "A tier is required here.");
            return null;
        }

        var before = _errors.Count;
        var name = tier.Name?.Trim() ?? "";
        CheckName(field, name, i);
        CheckOrder(field, tier.Order, name, i);
        CheckNumbers(field, tier);
        var types = TaskTypes(field, tier.TaskTypes);
        return _errors.Count == before
            ? new TierLevel(name, tier.Order!.Value, tier.MinGoldCount!.Value, tier.MinLowerBound!.Value, tier.PayMultiplier!.Value, tier.HoldDays!.Value, tier.GoldRateFactor!.Value, types)
            : null;
    }

    private void CheckName(string field, string name, int i)
    {
        if (name.Length == 0)
        {
            Add($"{field}.name", "A name is required.");
        }
        else if (name.Length > TierSet.MaxNameLength)
        {
            Add($"{field}.name", $"At most {TierSet.MaxNameLength} characters.");
        }
        else if (_names.TryGetValue(name, out var first))
        {
            Add($"{field}.name", $"Tier {i + 1} has the same name as tier {first + 1} ('{name}'); names are unique.");
        }
        else
        {
            _names[name] = i;
        }
    }

    private void CheckOrder(string field, int? order, string name, int i)
    {
        if (order is not { } value)
        {
            Add($"{field}.order", "An order is required.");
        }
        else if (_orders.TryGetValue(value, out var first))
        {
            Add($"{field}.order", $"Tier '{name}' has the same order ({value}) as tier {first + 1}; orders are unique.");
        }
        else
        {
            _orders[value] = i;
        }
    }

    private void CheckNumbers(string field, TierInput t)
    {
        if (t.MinGoldCount is not { } gold || gold is < 0 or > 1_000_000)
        {
            Add($"{field}.minGoldCount", "Minimum gold answers is required, between 0 and 1000000.");
        }

        if (t.MinLowerBound is not { } bound || !double.IsFinite(bound) || bound is < 0 or >= 1)
        {
            Add($"{field}.minLowerBound", "Minimum accuracy lower bound is required, at least 0 and below 1.");
        }

        if (t.PayMultiplier is not { } pay || pay < TierSet.MinPayMultiplier || pay > TierSet.MaxPayMultiplier)
        {
            Add($"{field}.payMultiplier", string.Create(CultureInfo.InvariantCulture, $"Pay multiplier is required, between {TierSet.MinPayMultiplier} and {TierSet.MaxPayMultiplier}."));
        }

        if (t.HoldDays is not { } hold || hold is < 0 or > TierSet.MaxHoldDays)
        {
            Add($"{field}.holdDays", $"Hold days is required, between 0 and {TierSet.MaxHoldDays}.");
        }

        if (t.GoldRateFactor is not { } factor || !double.IsFinite(factor) || factor < TierSet.MinGoldRateFactor || factor > TierSet.MaxGoldRateFactor)
        {
            Add($"{field}.goldRateFactor", string.Create(CultureInfo.InvariantCulture, $"Gold-rate factor is required, between {TierSet.MinGoldRateFactor} and {TierSet.MaxGoldRateFactor}."));
        }
    }

    private List<TaskType> TaskTypes(string field, IReadOnlyList<string>? names)
    {
        var types = new List<TaskType>();
        foreach (var type in names ?? [])
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

        return types;
    }

    /// <summary>The lowest tier is where everyone starts; going up, no threshold falls and at least one rises.</summary>
    private void CheckRanking(List<(int Index, TierLevel Level)> ranked)
    {
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
    }
}
