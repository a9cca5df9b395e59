namespace Marketplace.Scoring.Aggregation;

/// <summary>An axis-aligned box one contributor drew on an item (pixels; X2 ≥ X1, Y2 ≥ Y1).</summary>
public sealed record BoxAnnotation(string Item, string Contributor, string Label, double X1, double Y1, double X2, double Y2);

/// <summary>A half-open character span [Start, End) one contributor marked on an item.</summary>
public sealed record SpanAnnotation(string Item, string Contributor, string Label, int Start, int End);

/// <summary>A consensus box: coordinate-wise median of the matched boxes.</summary>
public sealed record ConsensusBox(string Item, string Label, double X1, double Y1, double X2, double Y2, int Support, int Contributors);

/// <summary>A consensus span: median start and end of the matched spans.</summary>
public sealed record ConsensusSpan(string Item, string Label, int Start, int End, int Support, int Contributors);

/// <summary>
/// Consensus for boxes and spans by matching. Rule, per item and label: contributors are visited in
/// ordinal order and each of their annotations (largest first) joins the existing cluster whose seed has
/// the highest overlap with it, if that overlap is at least the threshold and the cluster has nothing from
/// that contributor yet; otherwise it seeds a new cluster. A cluster is kept when more than half of the
/// item's contributors support it (at least <c>minSupport</c>), and its consensus is the coordinate-wise median.
/// Overlap is IoU for boxes and Jaccard of character positions for spans.
/// </summary>
public static class SpatialConsensus
{
    /// <summary>Box consensus with IoU matching (default threshold 0.5, the PASCAL VOC convention).</summary>
    public static IReadOnlyList<ConsensusBox> Boxes(IEnumerable<BoxAnnotation> boxes, double iouThreshold = 0.5, int minSupport = 1)
    {
        ArgumentNullException.ThrowIfNull(boxes);
        var valid = boxes.Where(b => b is not null && double.IsFinite(b.X1) && double.IsFinite(b.Y1) && double.IsFinite(b.X2) && double.IsFinite(b.Y2))
            .Select(b => b with { X1 = Math.Min(b.X1, b.X2), X2 = Math.Max(b.X1, b.X2), Y1 = Math.Min(b.Y1, b.Y2), Y2 = Math.Max(b.Y1, b.Y2) })
            .ToList();
        var result = new List<ConsensusBox>();
        foreach (var item in valid.GroupBy(b => b.Item, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var contributors = item.Select(b => b.Contributor).Distinct(StringComparer.Ordinal).Count();
            foreach (var label in item.GroupBy(b => b.Label, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var ordered = label.OrderBy(b => b.Contributor, StringComparer.Ordinal).ThenByDescending(b => (b.X2 - b.X1) * (b.Y2 - b.Y1)).ToList();
                foreach (var cluster in Cluster(ordered, b => b.Contributor, Iou, iouThreshold))
                {
                    if (!Kept(cluster.Count, contributors, minSupport))
                    {
                        continue;
                    }

                    result.Add(new ConsensusBox(item.Key, label.Key, Median(cluster.Select(b => b.X1)), Median(cluster.Select(b => b.Y1)), Median(cluster.Select(b => b.X2)), Median(cluster.Select(b => b.Y2)), cluster.Count, contributors));
                }
            }
        }

        return result;
    }

    /// <summary>Span consensus with Jaccard matching over character positions (default threshold 0.5).</summary>
    public static IReadOnlyList<ConsensusSpan> Spans(IEnumerable<SpanAnnotation> spans, double overlapThreshold = 0.5, int minSupport = 1)
    {
        ArgumentNullException.ThrowIfNull(spans);
        var valid = spans.Where(s => s is not null).Select(s => s with { Start = Math.Min(s.Start, s.End), End = Math.Max(s.Start, s.End) }).ToList();
        var result = new List<ConsensusSpan>();
        foreach (var item in valid.GroupBy(s => s.Item, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var contributors = item.Select(s => s.Contributor).Distinct(StringComparer.Ordinal).Count();
            foreach (var label in item.GroupBy(s => s.Label, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var ordered = label.OrderBy(s => s.Contributor, StringComparer.Ordinal).ThenByDescending(s => s.End - s.Start).ToList();
                foreach (var cluster in Cluster(ordered, s => s.Contributor, SpanOverlap, overlapThreshold))
                {
                    if (!Kept(cluster.Count, contributors, minSupport))
                    {
                        continue;
                    }

                    result.Add(new ConsensusSpan(item.Key, label.Key, (int)Math.Round(Median(cluster.Select(s => (double)s.Start))), (int)Math.Round(Median(cluster.Select(s => (double)s.End))), cluster.Count, contributors));
                }
            }
        }

        return result;
    }

    /// <summary>Intersection over union; two empty boxes at the same place count as identical.</summary>
    public static double Iou(BoxAnnotation a, BoxAnnotation b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var w = Math.Max(0, Math.Min(a.X2, b.X2) - Math.Max(a.X1, b.X1));
        var h = Math.Max(0, Math.Min(a.Y2, b.Y2) - Math.Max(a.Y1, b.Y1));
        var intersection = w * h;
        var union = ((a.X2 - a.X1) * (a.Y2 - a.Y1)) + ((b.X2 - b.X1) * (b.Y2 - b.Y1)) - intersection;
        if (union <= 0)
        {
            return a.X1 == b.X1 && a.Y1 == b.Y1 && a.X2 == b.X2 && a.Y2 == b.Y2 ? 1 : 0;
        }

        return intersection / union;
    }

    /// <summary>Jaccard overlap of two half-open spans; two empty spans at the same place count as identical.</summary>
    public static double SpanOverlap(SpanAnnotation a, SpanAnnotation b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var intersection = Math.Max(0, Math.Min(a.End, b.End) - Math.Max(a.Start, b.Start));
        var union = (a.End - a.Start) + (b.End - b.Start) - intersection;
        if (union <= 0)
        {
            return a.Start == b.Start && a.End == b.End ? 1 : 0;
        }

        return (double)intersection / union;
    }

    private static bool Kept(int support, int contributors, int minSupport) =>
        support >= Math.Max(1, minSupport) && support * 2 > contributors;

    private static List<List<T>> Cluster<T>(List<T> ordered, Func<T, string> contributor, Func<T, T, double> overlap, double threshold)
    {
        var clusters = new List<List<T>>();
        foreach (var a in ordered)
        {
            List<T>? best = null;
            var bestOverlap = threshold;
            foreach (var c in clusters)
            {
                if (c.Any(x => contributor(x) == contributor(a)))
                {
                    continue;
                }

                var o = overlap(c[0], a);
                if (o >= bestOverlap && (best is null || o > bestOverlap))
                {
                    best = c;
                    bestOverlap = o;
                }
            }

            if (best is null)
            {
                clusters.Add([a]);
            }
            else
            {
                best.Add(a);
            }
        }

        return clusters;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
