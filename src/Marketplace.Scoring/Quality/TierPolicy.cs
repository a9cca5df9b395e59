using System.Globalization;

namespace Marketplace.Scoring.Quality;

/// <summary>A quality tier.</summary>
/// <param name="Name">Display name, unique.</param>
/// <param name="MinGoldCount">Gold answers needed.</param>
/// <param name="MinLowerBound">Minimum 95% credible lower bound on accuracy.</param>
/// <param name="PayMultiplier">Pay multiplier for this tier.</param>
/// <param name="Access">What the tier unlocks (task types, job levels), opaque to Scoring.</param>
public sealed record TierDefinition(string Name, int MinGoldCount, double MinLowerBound, decimal PayMultiplier, IReadOnlyList<string> Access);

/// <summary>The tier a contributor should have now.</summary>
/// <param name="Tier">The tier; null when no tier's requirements are met.</param>
/// <param name="Changed">True when it differs from the current tier.</param>
/// <param name="Reason">Plain-language reason, including what the next tier up needs.</param>
public sealed record TierDecision(TierDefinition? Tier, bool Changed, string Reason);

/// <summary>
/// Tier qualification with hysteresis: to enter a tier the lower bound must reach its threshold; to keep
/// the current tier it only has to stay above threshold − <see cref="Hysteresis"/>. One unlucky gold answer
/// near the threshold therefore does not demote, and the next lucky one does not promote straight back.
/// </summary>
public sealed class TierPolicy
{
    private readonly TierDefinition[] _tiers;

    /// <summary>Tiers are ranked by (MinLowerBound, MinGoldCount), lowest first.</summary>
    public TierPolicy(IEnumerable<TierDefinition> tiers, double hysteresis = 0.02)
    {
        ArgumentNullException.ThrowIfNull(tiers);
        _tiers = tiers.Where(t => t is not null)
            .OrderBy(t => t.MinLowerBound)
            .ThenBy(t => t.MinGoldCount)
            .ThenBy(t => t.Name, StringComparer.Ordinal)
            .ToArray();
        Hysteresis = double.IsFinite(hysteresis) ? Math.Max(0, hysteresis) : 0;
    }

    /// <summary>Margin below a tier's lower-bound threshold within which a contributor already in it keeps it.</summary>
    public double Hysteresis { get; }

    /// <summary>Tiers, lowest first.</summary>
    public IReadOnlyList<TierDefinition> Tiers => _tiers;

    /// <summary>Evaluates a contributor with <paramref name="posterior"/> who currently holds <paramref name="currentTier"/> (by name; null for none).</summary>
    public TierDecision Evaluate(BetaPosterior posterior, string? currentTier)
    {
        if (_tiers.Length == 0)
        {
            return new TierDecision(null, currentTier is not null, "no tiers are defined");
        }

        var lower = posterior.LowerBound95;
        var gold = posterior.Total;
        var currentRank = Array.FindIndex(_tiers, t => string.Equals(t.Name, currentTier, StringComparison.Ordinal));
        var best = -1;
        for (var r = 0; r < _tiers.Length; r++)
        {
            var t = _tiers[r];
            var margin = r <= currentRank ? Hysteresis : 0;
            if (gold >= t.MinGoldCount && lower >= t.MinLowerBound - margin)
            {
                best = r;
            }
        }

        var tier = best >= 0 ? _tiers[best] : null;
        var changed = best != currentRank;
        string reason;
        if (best + 1 < _tiers.Length)
        {
            var next = _tiers[best + 1];
            var needs = new List<string>();
            if (gold < next.MinGoldCount)
            {
                var more = next.MinGoldCount - gold;
                needs.Add(more == 1 ? "needs 1 more gold answer" : $"needs {more} more gold answers");
            }

            if (lower < next.MinLowerBound)
            {
                needs.Add(string.Create(CultureInfo.InvariantCulture, $"accuracy lower bound {lower:0.00} < {next.MinLowerBound:0.00}"));
            }

            var held = tier is null ? "no tier" : $"tier {tier.Name}";
            reason = $"{held}; for {next.Name}: {string.Join(", ", needs)}";
        }
        else
        {
            reason = string.Create(CultureInfo.InvariantCulture, $"top tier {tier!.Name}: {gold} gold answers, accuracy lower bound {lower:0.00}");
        }

        return new TierDecision(tier, changed, reason);
    }
}
