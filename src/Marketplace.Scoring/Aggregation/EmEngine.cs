using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Marketplace.Scoring.Aggregation;

/// <summary>Dense problem for the EM engine: labels sorted by item (CSR offsets), worker and answer ids.</summary>
internal sealed class EmProblem
{
    public EmProblem(int items, int workers, int classes, int[] itemStart, int[] worker, int[] answer, int[]? clamped = null)
    {
        Items = items;
        Workers = workers;
        Classes = classes;
        ItemStart = itemStart;
        Worker = worker;
        Answer = answer;
        Clamped = clamped;
        Row = new int[worker.Length];
        for (var j = 0; j < worker.Length; j++)
        {
            Row[j] = ((worker[j] * classes) + answer[j]) * classes;
        }
    }

    public int Items { get; }

    public int Workers { get; }

    public int Classes { get; }

    public int[] ItemStart { get; }

    public int[] Worker { get; }

    public int[] Answer { get; }

    /// <summary>Per item: the known class, or -1. Clamped items keep a one-hot posterior (gold-anchored EM).</summary>
    public int[]? Clamped { get; }

    /// <summary>Per label: offset of the K log-probabilities P(given answer | true class = 0..K-1) of its worker.</summary>
    public int[] Row { get; }
}

internal sealed record EmSettings(int MaxIterations, double Tolerance, double Smoothing, bool OneCoin, int DegreeOfParallelism, bool Vectorise = true);

internal sealed record EmResult(double[] Posterior, double[] Confusion, double[] ClassPrior, int Iterations, bool Converged, double LogLikelihood);

/// <summary>
/// Dawid-Skene EM (Dawid &amp; Skene 1979) on flat arrays. Confusions are kept in a
/// [worker][given][true] layout so one label touches K contiguous doubles, both when the E-step adds
/// log-probabilities and when the M-step adds the item posterior back into the counts. The E-step of
/// iteration t and the count accumulation for the M-step of iteration t+1 are fused in one pass over
/// the labels, so each iteration reads the label arrays once and allocates nothing.
/// </summary>
internal static class EmEngine
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
            if (chunks.Length == 1)
            {
                Array.Clear(counts[0]);
                Array.Clear(priorCounts[0]);
                logLik[0] = EStep(p, s.Vectorise, logPi, logPrior, posterior, counts[0], priorCounts[0], 0, n);
            }
            else
            {
                Parallel.For(0, chunks.Length, new ParallelOptions { MaxDegreeOfParallelism = s.DegreeOfParallelism }, c =>
                {
                    Array.Clear(counts[c]);
                    Array.Clear(priorCounts[c]);
                    logLik[c] = EStep(p, s.Vectorise, logPi, logPrior, posterior, counts[c], priorCounts[c], chunks[c].Start, chunks[c].End);
                });
            }

            ll = 0;
            for (var c = 0; c < chunks.Length; c++)
            {
                ll += logLik[c];
            }

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

    /// <summary>
    /// M-step: P(given g | true t) = (n[w,g,t] + a) / (sum over g of n[w,g,t] + K a), the Dirichlet(a)
    /// smoothed maximum of Dawid &amp; Skene's likelihood; a keeps a never-seen answer from becoming log 0.
    /// The one-coin variant (ZenCrowd, Demartini et al. 2012) ties all of a worker's off-diagonal cells:
    /// accuracy = (sum of n[w,t,t] + a) / (total + 2a), errors spread evenly over the other K-1 answers.
    /// </summary>
    private static void MStep(EmProblem p, EmSettings s, double[][] counts, double[][] priorCounts, double[] logPi, double[] logPrior)
    {
        int k = p.Classes, kk = k * k;
        var total = counts[0];
        for (var c = 1; c < counts.Length; c++)
        {
            var other = counts[c];
            for (var x = 0; x < total.Length; x++)
            {
                total[x] += other[x];
            }
        }

        var prior = priorCounts[0];
        for (var c = 1; c < priorCounts.Length; c++)
        {
            for (var x = 0; x < k; x++)
            {
                prior[x] += priorCounts[c][x];
            }
        }

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

        Span<double> columnSum = stackalloc double[k];
        for (var w = 0; w < p.Workers; w++)
        {
            var block = total.AsSpan(w * kk, kk);
            var target = logPi.AsSpan(w * kk, kk);
            if (s.OneCoin)
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

                continue;
            }

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
    }

    /// <summary>E-step for items [start, end): posterior ∝ prior × Π P(given | true), in log space; also accumulates the next M-step's counts.</summary>
    private static double EStep(EmProblem p, bool vectorise, double[] logPi, double[] logPrior, double[] posterior, double[] counts, double[] priorCounts, int start, int end)
    {
        if (vectorise && p.Classes == 4 && Vector256.IsHardwareAccelerated)
        {
            return EStep4(p, logPi, logPrior, posterior, counts, priorCounts, start, end);
        }

        var k = p.Classes;
        var rows = p.Row;
        var itemStart = p.ItemStart;
        var clamped = p.Clamped;
        Span<double> lp = stackalloc double[k];
        double ll = 0;
        for (var i = start; i < end; i++)
        {
            int from = itemStart[i], to = itemStart[i + 1];
            var post = posterior.AsSpan(i * k, k);
            logPrior.AsSpan().CopyTo(lp);
            for (var j = from; j < to; j++)
            {
                var pi = logPi.AsSpan(rows[j], k);
                for (var c = 0; c < k; c++)
                {
                    lp[c] += pi[c];
                }
            }

            var max = lp[0];
            for (var c = 1; c < k; c++)
            {
                max = Math.Max(max, lp[c]);
            }

            double sum = 0;
            for (var c = 0; c < k; c++)
            {
                var e = Math.Exp(lp[c] - max);
                post[c] = e;
                sum += e;
            }

            ll += max + Math.Log(sum);
            var inv = 1.0 / sum;
            for (var c = 0; c < k; c++)
            {
                post[c] *= inv;
            }

            if (clamped is not null && clamped[i] >= 0)
            {
                post.Clear();
                post[clamped[i]] = 1;
            }

            for (var j = from; j < to; j++)
            {
                var cnt = counts.AsSpan(rows[j], k);
                for (var c = 0; c < k; c++)
                {
                    cnt[c] += post[c];
                }
            }

            for (var c = 0; c < k; c++)
            {
                priorCounts[c] += post[c];
            }
        }

        return ll;
    }

    /// <summary>The same E-step with the K = 4 rows held in one 256-bit vector.</summary>
    private static double EStep4(EmProblem p, double[] logPi, double[] logPrior, double[] posterior, double[] counts, double[] priorCounts, int start, int end)
    {
        ref var rows = ref MemoryMarshal.GetArrayDataReference(p.Row);
        ref var itemStart = ref MemoryMarshal.GetArrayDataReference(p.ItemStart);
        ref var pi = ref MemoryMarshal.GetArrayDataReference(logPi);
        ref var cnt = ref MemoryMarshal.GetArrayDataReference(counts);
        ref var postRef = ref MemoryMarshal.GetArrayDataReference(posterior);
        var clamped = p.Clamped;
        var prior = Vector256.Create(logPrior[0], logPrior[1], logPrior[2], logPrior[3]);
        var priorAcc = Vector256<double>.Zero;
        double ll = 0;
        for (var i = start; i < end; i++)
        {
            int from = Unsafe.Add(ref itemStart, i), to = Unsafe.Add(ref itemStart, i + 1);
            var lp = prior;
            for (var j = from; j < to; j++)
            {
                lp += Vector256.LoadUnsafe(ref pi, (nuint)Unsafe.Add(ref rows, j));
            }

            var max = Math.Max(Math.Max(lp[0], lp[1]), Math.Max(lp[2], lp[3]));
            var e = Vector256.Exp(lp - Vector256.Create(max));
            var sum = Vector256.Sum(e);
            ll += max + Math.Log(sum);
            var post = e * (1.0 / sum);
            if (clamped is not null && clamped[i] >= 0)
            {
                post = Vector256.Create(clamped[i] == 0 ? 1.0 : 0, clamped[i] == 1 ? 1.0 : 0, clamped[i] == 2 ? 1.0 : 0, clamped[i] == 3 ? 1.0 : 0);
            }

            post.StoreUnsafe(ref postRef, (nuint)(i * 4));
            for (var j = from; j < to; j++)
            {
                var offset = (nuint)Unsafe.Add(ref rows, j);
                (Vector256.LoadUnsafe(ref cnt, offset) + post).StoreUnsafe(ref cnt, offset);
            }

            priorAcc += post;
        }

        for (var c = 0; c < 4; c++)
        {
            priorCounts[c] += priorAcc[c];
        }

        return ll;
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
