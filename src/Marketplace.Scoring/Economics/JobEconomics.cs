using Marketplace.Scoring.Aggregation;
using Marketplace.Scoring.Redundancy;

namespace Marketplace.Scoring.Economics;

/// <summary>What a buyer asks for.</summary>
/// <param name="Items">Items to label.</param>
/// <param name="Classes">Number of answer classes (≥ 2).</param>
/// <param name="TargetConfidence">Job's target posterior confidence per item.</param>
/// <param name="MaxLabels">Redundancy cap per item.</param>
/// <param name="PricePerLabelMinor">Pay per label in minor currency units.</param>
/// <param name="PoolAccuracies">Current accuracies (e.g. gold posterior means) of the eligible pool.</param>
public sealed record QuoteRequest(int Items, int Classes, double TargetConfidence, int MaxLabels, long PricePerLabelMinor, IReadOnlyList<double> PoolAccuracies);

/// <summary>A quote.</summary>
/// <param name="ExpectedLabelsPerItem">Mean labels an item takes under adaptive redundancy.</param>
/// <param name="ExpectedLabels">Total expected labels.</param>
/// <param name="ExpectedCostMinor">Expected labels × price, rounded up to a whole minor unit.</param>
/// <param name="ExpectedAccuracy">Expected share of items whose consensus is correct.</param>
/// <param name="Note">Caveats in words (e.g. empty pool).</param>
public sealed record JobQuote(double ExpectedLabelsPerItem, long ExpectedLabels, long ExpectedCostMinor, double ExpectedAccuracy, string Note);

/// <summary>Quotes and cost per correct label.</summary>
public static class JobEconomics
{
    /// <summary>
    /// Simulates <paramref name="simulations"/> items (seeded by the caller): each label comes from a contributor
    /// drawn uniformly from the pool, answers right with their accuracy and otherwise uniformly wrong, and
    /// <see cref="RedundancyPolicy.Decide"/> stops the item exactly as it would in production.
    /// </summary>
    public static JobQuote Quote(QuoteRequest request, int seed, int simulations = 2000)
    {
        ArgumentNullException.ThrowIfNull(request);
        var items = Math.Max(0, request.Items);
        var k = Math.Max(2, request.Classes);
        var cap = Math.Max(1, request.MaxLabels);
        var price = Math.Max(0, request.PricePerLabelMinor);
        var pool = (request.PoolAccuracies ?? []).Where(double.IsFinite).Select(a => Math.Clamp(a, 0.01, 0.99)).ToArray();
        var note = "simulated from the pool's accuracies";
        if (pool.Length == 0)
        {
            pool = [1.0 / k + 0.01];
            note = "no pool accuracies: assumed near-random contributors, so expect the cap";
        }

        var classes = Enumerable.Range(0, k).Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var options = new RedundancyOptions(request.TargetConfidence, 1, cap);
        var random = new Random(seed);
        simulations = Math.Max(1, simulations);
        long labels = 0;
        var correct = 0;
        var votes = new List<ItemVote>(cap);
        for (var s = 0; s < simulations; s++)
        {
            var truth = random.Next(k);
            votes.Clear();
            RedundancyDecision decision;
            do
            {
                var a = pool[random.Next(pool.Length)];
                var answer = random.NextDouble() < a ? truth : (truth + 1 + random.Next(k - 1)) % k;
                votes.Add(new ItemVote(string.Empty, classes[answer], a));
                decision = RedundancyPolicy.Decide(classes, votes, options);
            }
            while (!decision.Finished);

            labels += votes.Count;
            correct += decision.Answer == classes[truth] ? 1 : 0;
        }

        var perItem = (double)labels / simulations;
        var expectedLabels = (long)Math.Ceiling(perItem * items);
        return new JobQuote(perItem, expectedLabels, checked(expectedLabels * price), (double)correct / simulations, note);
    }

    /// <summary>
    /// Cost per correct label of a finished job: spend / expected correct items, where an item's chance of
    /// being correct is its consensus confidence. Returns null when nothing is expected correct.
    /// </summary>
    public static double? CostPerCorrectLabel(long spentMinor, IEnumerable<ItemConsensus> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var expectedCorrect = items.Sum(i => double.IsFinite(i.Confidence) ? Math.Clamp(i.Confidence, 0, 1) : 0);
        return expectedCorrect > 0 ? spentMinor / expectedCorrect : null;
    }

    /// <summary>Cost per correct label when correctness was measured (e.g. on gold): spend / correct. Null when none are correct.</summary>
    public static double? CostPerCorrectLabel(long spentMinor, int correctItems) =>
        correctItems > 0 ? (double)spentMinor / correctItems : null;
}
