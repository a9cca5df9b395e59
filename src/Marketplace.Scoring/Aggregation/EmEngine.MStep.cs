using System.Runtime.CompilerServices;

namespace Marketplace.Scoring.Aggregation;

internal static partial class EmEngine
{
    /// <summary>
    /// M-step: P(given g | true t) = (n[w,g,t] + a) / (sum over g of n[w,g,t] + K a), the Dirichlet(a)
    /// smoothed maximum of Dawid &amp; Skene's likelihood; a keeps a never-seen answer from becoming log 0.
    /// </summary>
    private static void MStep(EmProblem p, EmSettings s, double[][] counts, double[][] priorCounts, double[] logPi, double[] logPrior)
    {
        int k = p.Classes, kk = k * k;
        var total = AddIntoFirst(counts);
        var prior = AddIntoFirst(priorCounts);
        var a = s.Smoothing;
        double priorSum = 0;
        for (var x = 0; x < k; x++)
        {
            priorSum += prior[x] + a;
        }

        for (var x = 0; x < k; x++)
        {
            logPrior[x] = Math.Log((prior[x] + a) / priorSum);
        }

        // The per-worker steps are marked for inlining: as calls they start in unoptimised tier-0 code and,
        // made thousands of times per M-step, cost ds-timing about 3% before tiered compilation catches up.
        Span<double> columnSum = stackalloc double[k];
        for (var w = 0; w < p.Workers; w++)
        {
            var block = total.AsSpan(w * kk, kk);
            var target = logPi.AsSpan(w * kk, kk);
            if (s.OneCoin)
            {
                OneCoinLogConfusion(block, target, k, a);
            }
            else
            {
                FullLogConfusion(block, target, columnSum, k, a);
            }
        }
    }

    /// <summary>
    /// Adds every chunk's counts into the first chunk's buffer and returns it. Chunks are added in index order,
    /// whatever order their threads finished in, so a run with the same thread count is reproducible.
    /// </summary>
    private static double[] AddIntoFirst(double[][] chunks)
    {
        var total = chunks[0];
        for (var c = 1; c < chunks.Length; c++)
        {
            var other = chunks[c];
            for (var x = 0; x < total.Length; x++)
            {
                total[x] += other[x];
            }
        }

        return total;
    }

    /// <summary>One worker's K×K log-confusion, [given][true], from its expected counts.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FullLogConfusion(ReadOnlySpan<double> block, Span<double> target, Span<double> columnSum, int k, double a)
    {
        columnSum.Clear();
        for (var g = 0; g < k; g++)
        {
            for (var t = 0; t < k; t++)
            {
                columnSum[t] += block[(g * k) + t];
            }
        }

        for (var t = 0; t < k; t++)
        {
            columnSum[t] = 1.0 / (columnSum[t] + (k * a));
        }

        for (var g = 0; g < k; g++)
        {
            for (var t = 0; t < k; t++)
            {
                target[(g * k) + t] = Math.Log((block[(g * k) + t] + a) * columnSum[t]);
            }
        }
    }

    /// <summary>
    /// The one-coin variant (ZenCrowd, Demartini et al. 2012) ties all of a worker's off-diagonal cells:
    /// accuracy = (sum of n[w,t,t] + a) / (total + 2a), errors spread evenly over the other K-1 answers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void OneCoinLogConfusion(ReadOnlySpan<double> block, Span<double> target, int k, double a)
    {
        double diagonal = 0, all = 0;
        for (var g = 0; g < k; g++)
        {
            for (var t = 0; t < k; t++)
            {
                all += block[(g * k) + t];
                if (g == t)
                {
                    diagonal += block[(g * k) + t];
                }
            }
        }

        var accuracy = (diagonal + a) / (all + (2 * a));
        var logRight = Math.Log(accuracy);
        var logWrong = k > 1 ? Math.Log((1 - accuracy) / (k - 1)) : 0;
        for (var g = 0; g < k; g++)
        {
            for (var t = 0; t < k; t++)
            {
                target[(g * k) + t] = g == t ? logRight : logWrong;
            }
        }
    }
}
