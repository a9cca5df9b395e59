namespace Marketplace.Scoring.Aggregation;

/// <summary>
/// Dawid-Skene EM (Dawid &amp; Skene 1979) on flat arrays. Confusions are kept in a
/// [worker][given][true] layout so one label touches K contiguous doubles, both when the E-step adds
/// log-probabilities and when the M-step adds the item posterior back into the counts. The E-step of
/// iteration t and the count accumulation for the M-step of iteration t+1 are fused in one pass over
/// the labels, so each iteration reads the label arrays once and allocates nothing.
/// </summary>
internal static partial class EmEngine
{
    public static EmResult Run(EmProblem p, EmSettings s)
    {
        int k = p.Classes, n = p.Items, wk = p.Workers * k * k;
        var posterior = new double[n * k];
        InitialiseFromMajorityVote(p, posterior);

        var chunks = Partition(p, Math.Max(1, s.DegreeOfParallelism));
        var counts = new double[chunks.Length][];
        var priorCounts = new double[chunks.Length][];
        var logLik = new double[chunks.Length];
        for (var c = 0; c < chunks.Length; c++)
        {
            counts[c] = new double[wk];
            priorCounts[c] = new double[k];
        }

        Accumulate(p, posterior, counts[0], priorCounts[0]);
        var logPi = new double[wk];
        var logPrior = new double[k];
        var previous = double.NegativeInfinity;
        var iterations = 0;
        var converged = false;
        var ll = 0.0;
        while (iterations < s.MaxIterations)
        {
            MStep(p, s, counts, priorCounts, logPi, logPrior);
            iterations++;
            ll = EStepInChunks(p, s, chunks, logPi, logPrior, posterior, counts, priorCounts, logLik);

            // Relative change of the observed-data log-likelihood, which EM never decreases.
            if (Math.Abs(ll - previous) <= s.Tolerance * Math.Max(1.0, Math.Abs(ll)))
            {
                converged = true;
                break;
            }

            previous = ll;
        }

        MStep(p, s, counts, priorCounts, logPi, logPrior);
        var confusion = new double[wk];
        var prior = new double[k];
        ToConfusion(p, logPi, confusion);
        for (var c = 0; c < k; c++)
        {
            prior[c] = Math.Exp(logPrior[c]);
        }

        return new EmResult(posterior, confusion, prior, iterations, converged, ll);
    }

    /// <summary>
    /// One E-step over every chunk, each into its own count buffers; returns the log-likelihood. The chunks'
    /// shares are added in chunk order rather than as threads finish, so the sum does not depend on timing.
    /// </summary>
    private static double EStepInChunks(EmProblem p, EmSettings s, (int Start, int End)[] chunks, double[] logPi, double[] logPrior, double[] posterior, double[][] counts, double[][] priorCounts, double[] logLik)
    {
        if (chunks.Length == 1)
        {
            Array.Clear(counts[0]);
            Array.Clear(priorCounts[0]);
            logLik[0] = EStep(p, s.Vectorise, logPi, logPrior, posterior, counts[0], priorCounts[0], 0, p.Items);
        }
        else
        {
            EStepInParallel(p, s, chunks, logPi, logPrior, posterior, counts, priorCounts, logLik);
        }

        var ll = 0.0;
        for (var c = 0; c < chunks.Length; c++)
        {
            ll += logLik[c];
        }

        return ll;
    }

    // Kept out of EStepInChunks: a lambda that captures parameters allocates its closure on entry to the method,
    // and the single-threaded path should allocate nothing per iteration.
    private static void EStepInParallel(EmProblem p, EmSettings s, (int Start, int End)[] chunks, double[] logPi, double[] logPrior, double[] posterior, double[][] counts, double[][] priorCounts, double[] logLik)
    {
        Parallel.For(0, chunks.Length, new ParallelOptions { MaxDegreeOfParallelism = s.DegreeOfParallelism }, c =>
        {
            Array.Clear(counts[c]);
            Array.Clear(priorCounts[c]);
            logLik[c] = EStep(p, s.Vectorise, logPi, logPrior, posterior, counts[c], priorCounts[c], chunks[c].Start, chunks[c].End);
        });
    }

    /// <summary>Soft majority vote: each item's posterior is its share of votes per class (uniform if it has none).</summary>
    private static void InitialiseFromMajorityVote(EmProblem p, double[] posterior)
    {
        var k = p.Classes;
        for (var i = 0; i < p.Items; i++)
        {
            var row = posterior.AsSpan(i * k, k);
            int start = p.ItemStart[i], end = p.ItemStart[i + 1];
            if (p.Clamped is not null && p.Clamped[i] >= 0)
            {
                row.Clear();
                row[p.Clamped[i]] = 1;
                continue;
            }

            if (end == start)
            {
                row.Fill(1.0 / k);
                continue;
            }

            row.Clear();
            for (var j = start; j < end; j++)
            {
                row[p.Answer[j]] += 1;
            }

            var inv = 1.0 / (end - start);
            for (var c = 0; c < k; c++)
            {
                row[c] *= inv;
            }
        }
    }

    private static void Accumulate(EmProblem p, double[] posterior, double[] counts, double[] priorCounts)
    {
        var k = p.Classes;
        for (var i = 0; i < p.Items; i++)
        {
            for (var j = p.ItemStart[i]; j < p.ItemStart[i + 1]; j++)
            {
                var row = p.Row[j];
                for (var c = 0; c < k; c++)
                {
                    counts[row + c] += posterior[(i * k) + c];
                }
            }

            for (var c = 0; c < k; c++)
            {
                priorCounts[c] += posterior[(i * k) + c];
            }
        }
    }

    /// <summary>Contiguous item ranges with roughly equal label counts, one per thread.</summary>
    private static (int Start, int End)[] Partition(EmProblem p, int parts)
    {
        parts = Math.Min(parts, Math.Max(1, p.Items));
        var result = new (int Start, int End)[parts];
        var labels = p.Worker.Length;
        var item = 0;
        for (var c = 0; c < parts; c++)
        {
            var start = item;
            var goal = (long)labels * (c + 1) / parts;
            if (c == parts - 1)
            {
                item = p.Items;
            }
            else
            {
                while (item < p.Items && p.ItemStart[item] < goal)
                {
                    item++;
                }
            }

            result[c] = (start, item);
        }

        return result;
    }

    /// <summary>Converts the [w][given][true] log layout into public [w][true][given] probabilities.</summary>
    private static void ToConfusion(EmProblem p, double[] logPi, double[] confusion)
    {
        int k = p.Classes, kk = k * k;
        for (var w = 0; w < p.Workers; w++)
        {
            for (var g = 0; g < k; g++)
            {
                for (var t = 0; t < k; t++)
                {
                    confusion[(w * kk) + (t * k) + g] = Math.Exp(logPi[(w * kk) + (g * k) + t]);
                }
            }
        }
    }
}
