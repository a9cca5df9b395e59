using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Marketplace.Scoring.Aggregation;

internal static partial class EmEngine
{
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

            ll += Normalise(lp, post);
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

    /// <summary>
    /// Writes exp(lp) scaled to sum to 1 into <paramref name="post"/> and returns the log of the scale, the item's
    /// log-likelihood. The maximum is subtracted first so that exp cannot underflow to an all-zero row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Normalise(ReadOnlySpan<double> lp, Span<double> post)
    {
        var k = lp.Length;
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

        var inv = 1.0 / sum;
        for (var c = 0; c < k; c++)
        {
            post[c] *= inv;
        }

        return max + Math.Log(sum);
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
}
