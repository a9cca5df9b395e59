using BetaDistribution = MathNet.Numerics.Distributions.Beta;

namespace Marketplace.Scoring.Quality;

/// <summary>Beta prior over a contributor's accuracy, as pseudo-counts of correct and wrong gold answers.</summary>
/// <param name="Alpha">Pseudo-count of correct answers (&gt; 0).</param>
/// <param name="Beta">Pseudo-count of wrong answers (&gt; 0).</param>
public readonly record struct BetaPrior(double Alpha, double Beta)
{
    /// <summary>Beta(1, 1): every accuracy equally likely.</summary>
    public static BetaPrior Uniform { get; } = new(1, 1);
}

/// <summary>
/// Beta posterior over accuracy after <see cref="Correct"/> right and <see cref="Wrong"/> wrong gold answers:
/// Beta(prior.Alpha + correct, prior.Beta + wrong).
/// </summary>
public readonly record struct BetaPosterior
{
    private readonly double _alpha;
    private readonly double _beta;

    private BetaPosterior(double alpha, double beta, int correct, int wrong)
    {
        _alpha = alpha;
        _beta = beta;
        Correct = correct;
        Wrong = wrong;
    }

    /// <summary>Posterior alpha (1 for a default-constructed value, so it is still the uniform prior).</summary>
    public double Alpha => _alpha > 0 ? _alpha : 1;

    /// <summary>Posterior beta (1 for a default-constructed value).</summary>
    public double Beta => _beta > 0 ? _beta : 1;

    /// <summary>Correct gold answers counted.</summary>
    public int Correct { get; }

    /// <summary>Wrong gold answers counted.</summary>
    public int Wrong { get; }

    /// <summary>Gold answers counted.</summary>
    public int Total => Correct + Wrong;

    /// <summary>Posterior mean, alpha / (alpha + beta).</summary>
    public double Mean => Alpha / (Alpha + Beta);

    /// <summary>Lower end of the equal-tailed 95% credible interval (the 2.5% quantile).</summary>
    public double LowerBound95 => Quantile(0.025);

    /// <summary>Upper end of the equal-tailed 95% credible interval (the 97.5% quantile).</summary>
    public double UpperBound95 => Quantile(0.975);

    /// <summary>Width of the 95% credible interval; what the gold rate reacts to.</summary>
    public double Width95 => UpperBound95 - LowerBound95;

    /// <summary>
    /// Posterior from counts. Negative counts are treated as 0; a non-positive or non-finite prior
    /// parameter falls back to 1, so the result is always a proper distribution.
    /// </summary>
    public static BetaPosterior From(int correct, int wrong, BetaPrior prior)
    {
        correct = Math.Max(0, correct);
        wrong = Math.Max(0, wrong);
        var a = prior.Alpha > 0 && double.IsFinite(prior.Alpha) ? prior.Alpha : 1;
        var b = prior.Beta > 0 && double.IsFinite(prior.Beta) ? prior.Beta : 1;
        return new BetaPosterior(a + correct, b + wrong, correct, wrong);
    }

    /// <summary>The <paramref name="p"/> quantile, via MathNet's inverse regularised incomplete beta.</summary>
    public double Quantile(double p) => BetaDistribution.InvCDF(Alpha, Beta, Math.Clamp(p, 0, 1));
}
