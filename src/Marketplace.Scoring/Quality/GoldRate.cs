namespace Marketplace.Scoring.Quality;

/// <summary>Bounds for <see cref="GoldRate"/>.</summary>
/// <param name="MinRate">Rate once the posterior is tight (at or below <paramref name="TightWidth"/>).</param>
/// <param name="MaxRate">Rate while the posterior is as wide as <paramref name="WideWidth"/> or wider.</param>
/// <param name="TightWidth">95% interval width regarded as "known well enough".</param>
/// <param name="WideWidth">95% interval width regarded as "unknown"; Beta(1,1) has width 0.95.</param>
public sealed record GoldRateOptions(double MinRate = 0.02, double MaxRate = 0.30, double TightWidth = 0.10, double WideWidth = 0.95);

/// <summary>How often to serve a gold item to a contributor.</summary>
public static class GoldRate
{
    /// <summary>
    /// rate = MinRate + (MaxRate - MinRate) · clamp((w - TightWidth) / (WideWidth - TightWidth), 0, 1),
    /// where w is the width of the contributor's 95% credible interval. A new contributor (wide posterior)
    /// gets MaxRate, a well-measured one MinRate, linearly in between. Bad options are repaired:
    /// rates are clamped to [0, 1] and swapped if reversed; a degenerate width range gives MaxRate until tight.
    /// </summary>
    public static double For(BetaPosterior posterior, GoldRateOptions? options = null)
    {
        options ??= new GoldRateOptions();
        var lo = Math.Clamp(options.MinRate, 0, 1);
        var hi = Math.Clamp(options.MaxRate, 0, 1);
        if (lo > hi)
        {
            (lo, hi) = (hi, lo);
        }

        var width = posterior.Width95;
        var span = options.WideWidth - options.TightWidth;
        var t = span > 0 ? (width - options.TightWidth) / span : width > options.TightWidth ? 1 : 0;
        t = double.IsFinite(t) ? Math.Clamp(t, 0, 1) : 1;
        return lo + ((hi - lo) * t);
    }

    /// <summary>
    /// The rate for one contributor on one job: the job's rate once their record is tight, up to 0.3 (or the job's rate,
    /// if higher) while it is wide, times their tier's factor, within [0, 1]. A job rate of zero or less means the job
    /// has opted out of injected gold: its gold items serve qualification tests only, and the rate is 0.
    /// </summary>
    public static double ForContributor(double jobRate, BetaPosterior record, double tierFactor = 1)
    {
        if (jobRate <= 0)
        {
            return 0;
        }

        return Math.Clamp(For(record, new GoldRateOptions(MinRate: jobRate, MaxRate: Math.Max(jobRate, 0.3))) * tierFactor, 0, 1);
    }
}
