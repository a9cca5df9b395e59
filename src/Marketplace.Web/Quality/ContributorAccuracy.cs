using Marketplace.Scoring.Quality;
using Marketplace.Web.Domain;
using Microsoft.Extensions.Options;

namespace Marketplace.Web.Quality;

/// <summary>
/// What a gold record says of a contributor: the Beta posterior of their accuracy under the configured prior
/// (<c>Work:PriorAlpha</c>, <c>Work:PriorBeta</c>). Every feature that weighs a contributor by their gold reads it here.
/// </summary>
public sealed class ContributorAccuracy(IOptions<QualityOptions> options)
{
    public BetaPrior Prior => options.Value.Prior;

    public BetaPosterior Posterior(int correct, int wrong) => BetaPosterior.From(correct, wrong, Prior);

    /// <summary>The posterior mean: the weight a contributor's vote gets.</summary>
    public double Mean(int correct, int wrong) => Posterior(correct, wrong).Mean;

    public AccuracyView View(int correct, int wrong)
    {
        var posterior = Posterior(correct, wrong);
        return new AccuracyView(posterior.Mean, posterior.LowerBound95, posterior.UpperBound95, correct + wrong, correct);
    }
}
