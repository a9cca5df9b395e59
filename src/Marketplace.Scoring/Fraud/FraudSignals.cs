using System.Globalization;

namespace Marketplace.Scoring.Fraud;

/// <summary>One answer in a contributor's recent history, oldest first.</summary>
/// <param name="Item">Item id.</param>
/// <param name="Answer">Answer given.</param>
/// <param name="Seconds">Time spent on the task (passed in; Scoring reads no clock).</param>
/// <param name="GoldCorrect">For gold items, whether the answer was right; null for ordinary items.</param>
public sealed record RecentAnswer(string Item, string Answer, double Seconds, bool? GoldCorrect = null);

/// <summary>A fraud signal: a score in [0, 1], whether it crosses its threshold, and the evidence in words.</summary>
public sealed record FraudSignal(string Kind, double Score, bool Flagged, string Evidence);

/// <summary>A suspicious pair of contributors.</summary>
public sealed record CollusionSignal(string ContributorA, string ContributorB, int SharedItems, int Agreements, double ExpectedAgreements, int SharedWrongGold, bool SharedDevice, double Score, bool Flagged, string Evidence);

/// <summary>What is known about a contributor for collusion checks.</summary>
/// <param name="Contributor">Contributor id.</param>
/// <param name="Accuracy">Estimated accuracy (gold posterior mean or Dawid-Skene).</param>
/// <param name="Fingerprints">IP addresses / device ids seen; sharing one raises suspicion.</param>
public sealed record ContributorProfile(string Contributor, double Accuracy, IReadOnlyList<string> Fingerprints);

/// <summary>Settings for <see cref="FraudSignals.Collusion"/>.</summary>
/// <param name="MinSharedItems">Pairs with fewer shared items are not judged.</param>
/// <param name="ZThreshold">Flag when agreement exceeds expectation by this many standard deviations.</param>
/// <param name="SharedDeviceBonus">Added to z when the pair shares an IP or device.</param>
/// <param name="WrongGoldWeight">Added to z per shared wrong gold answer (same wrong answer on a gold item).</param>
public sealed record CollusionOptions(int MinSharedItems = 10, double ZThreshold = 4, double SharedDeviceBonus = 1.5, double WrongGoldWeight = 1.0);

/// <summary>Fraud signals over plain records. Each returns a score with its evidence; deciding what to do is the caller's.</summary>
public static class FraudSignals
{
    /// <summary>Too fast: at least <paramref name="threshold"/> of the last <paramref name="window"/> answers took less than <paramref name="timeFloorSeconds"/>.</summary>
    public static FraudSignal TooFast(IReadOnlyList<RecentAnswer> recent, double timeFloorSeconds, int window = 10, int threshold = 3)
    {
        ArgumentNullException.ThrowIfNull(recent);
        window = Math.Max(1, window);
        var last = recent.Skip(Math.Max(0, recent.Count - window)).ToList();
        var fast = last.Count(a => a.Seconds < timeFloorSeconds);
        var score = last.Count == 0 ? 0 : (double)fast / last.Count;
        return new FraudSignal(
            "TooFast",
            score,
            fast >= Math.Max(1, threshold),
            string.Create(CultureInfo.InvariantCulture, $"{fast} of the last {last.Count} answers under the {timeFloorSeconds:0.#} s floor"));
    }

    /// <summary>Gold-failure streak: the longest run of consecutive wrong gold answers (ordinary items do not break it).</summary>
    public static FraudSignal GoldFailureStreak(IReadOnlyList<RecentAnswer> recent, int streakThreshold = 4)
    {
        ArgumentNullException.ThrowIfNull(recent);
        int run = 0, longest = 0, gold = 0;
        foreach (var a in recent)
        {
            if (a.GoldCorrect is null)
            {
                continue;
            }

            gold++;
            run = a.GoldCorrect.Value ? 0 : run + 1;
            longest = Math.Max(longest, run);
        }

        streakThreshold = Math.Max(1, streakThreshold);
        return new FraudSignal(
            "GoldFailureStreak",
            Math.Min(1, (double)longest / streakThreshold),
            longest >= streakThreshold,
            $"{longest} wrong gold answers in a row (of {gold} gold answers)");
    }

    /// <summary>Constant or near-constant answers: the share of the most common answer, flagged at or above <paramref name="maxShare"/> once there are <paramref name="minAnswers"/> answers.</summary>
    public static FraudSignal ConstantAnswers(IReadOnlyList<RecentAnswer> recent, int minAnswers = 10, double maxShare = 0.9)
    {
        ArgumentNullException.ThrowIfNull(recent);
        if (recent.Count == 0)
        {
            return new FraudSignal("ConstantAnswers", 0, false, "no answers yet");
        }

        var top = recent.GroupBy(a => a.Answer, StringComparer.Ordinal)
            .Select(g => (Answer: g.Key, Count: g.Count()))
            .OrderByDescending(g => g.Count)
            .ThenBy(g => g.Answer, StringComparer.Ordinal)
            .First();
        var share = (double)top.Count / recent.Count;
        return new FraudSignal(
            "ConstantAnswers",
            share,
            recent.Count >= minAnswers && share >= maxShare,
            string.Create(CultureInfo.InvariantCulture, $"answered \"{top.Answer}\" {top.Count} of {recent.Count} times ({share:P0})"));
    }

    /// <summary>
    /// Spammer score of Raykar &amp; Yu 2012 ("Eliminating spammers and ranking annotators for crowdsourced
    /// labeling tasks", JMLR 13): S = 1/(K(K−1)) · Σ_{c&lt;c'} Σ_k (A[c,k] − A[c',k])², where A is the row-normalised
    /// confusion (row = true class). A spammer answers independently of the truth, so all rows are equal and S = 0;
    /// a perfect contributor has S = 1. The signal's score is 1 − S (high = spammy); flagged when S &lt; <paramref name="threshold"/>.
    /// </summary>
    public static FraudSignal SpammerScore(IReadOnlyList<double> confusion, int classes, double threshold = 0.1)
    {
        ArgumentNullException.ThrowIfNull(confusion);
        if (classes < 2 || confusion.Count != classes * classes)
        {
            return new FraudSignal("SpammerScore", 0, false, "no confusion matrix to judge");
        }

        var rows = new double[classes * classes];
        for (var t = 0; t < classes; t++)
        {
            double sum = 0;
            for (var g = 0; g < classes; g++)
            {
                var v = confusion[(t * classes) + g];
                sum += double.IsFinite(v) && v > 0 ? v : 0;
            }

            for (var g = 0; g < classes; g++)
            {
                var v = confusion[(t * classes) + g];
                rows[(t * classes) + g] = sum > 0 ? (double.IsFinite(v) && v > 0 ? v : 0) / sum : 1.0 / classes;
            }
        }

        double s = 0;
        for (var c = 0; c < classes; c++)
        {
            for (var d = c + 1; d < classes; d++)
            {
                for (var g = 0; g < classes; g++)
                {
                    var diff = rows[(c * classes) + g] - rows[(d * classes) + g];
                    s += diff * diff;
                }
            }
        }

        s /= classes * (classes - 1);
        return new FraudSignal(
            "SpammerScore",
            1 - s,
            s < threshold,
            string.Create(CultureInfo.InvariantCulture, $"Raykar-Yu spammer score {s:0.000} (0 = answers ignore the truth, 1 = perfect); threshold {threshold:0.000}"));
    }

    /// <summary>
    /// Raykar &amp; Yu's spammer score for a one-coin contributor (accuracy a on the diagonal, the rest spread
    /// evenly): S = (a − (1 − a)/(K − 1))². It pools a whole confusion matrix into one number, so it is far less
    /// noisy than <see cref="SpammerScore(IReadOnlyList{double}, int, double)"/> on a contributor's first few dozen
    /// labels. Score = 1 − S; flagged when S &lt; <paramref name="threshold"/> (the default 0.05 means, for K = 4,
    /// accuracy below about 0.42; for K = 2, below about 0.61).
    /// </summary>
    public static FraudSignal SpammerScore(double accuracy, int classes, double threshold = 0.05)
    {
        if (classes < 2 || !double.IsFinite(accuracy))
        {
            return new FraudSignal("SpammerScore", 0, false, "no accuracy estimate to judge");
        }

        var a = Math.Clamp(accuracy, 0, 1);
        var gap = a - ((1 - a) / (classes - 1));
        var s = gap * gap;
        return new FraudSignal(
            "SpammerScore",
            1 - s,
            s < threshold,
            string.Create(CultureInfo.InvariantCulture, $"Raykar-Yu spammer score {s:0.000} from accuracy {a:0.000} over {classes} classes (0 = random); threshold {threshold:0.000}"));
    }

    /// <summary>
    /// Collusion: for every pair sharing at least MinSharedItems items, compares their agreement with what
    /// independent contributors of their accuracies would reach, a·b + (1−a)(1−b)/(K−1) per item, as a binomial
    /// z-score. Each shared wrong gold answer (both gave the same wrong answer on a gold item) adds WrongGoldWeight,
    /// and a shared IP/device adds SharedDeviceBonus. Score = z / (2·ZThreshold), capped at 1; flagged at z ≥ ZThreshold.
    /// Only flagged pairs are returned, most suspicious first.
    /// </summary>
    public static IReadOnlyList<CollusionSignal> Collusion(
        LabelSet labels,
        IEnumerable<ContributorProfile> profiles,
        IEnumerable<GoldAnswer>? gold = null,
        CollusionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(profiles);
        options ??= new CollusionOptions();
        var k = Math.Max(2, labels.Classes.Count);
        var (accuracy, fingerprints) = ReadProfiles(labels, profiles, k);
        var stats = PairStatistics(labels, accuracy, GoldClasses(labels, gold), k);
        return FlaggedPairs(labels, stats, fingerprints, options)
            .OrderByDescending(r => r.Score).ThenBy(r => r.ContributorA, StringComparer.Ordinal).ThenBy(r => r.ContributorB, StringComparer.Ordinal).ToList();
    }

    /// <summary>Per contributor index: accuracy clamped to [0, 1] (chance, 1/K, when unknown) and fingerprints (null when there is no profile).</summary>
    private static (double[] Accuracy, HashSet<string>?[] Fingerprints) ReadProfiles(LabelSet labels, IEnumerable<ContributorProfile> profiles, int k)
    {
        var w = labels.Contributors.Count;
        var accuracy = new double[w];
        Array.Fill(accuracy, 1.0 / k);
        var fingerprints = new HashSet<string>?[w];
        foreach (var p in profiles)
        {
            var idx = labels.IndexOfContributor(p.Contributor);
            if (idx >= 0)
            {
                accuracy[idx] = double.IsFinite(p.Accuracy) ? Math.Clamp(p.Accuracy, 0, 1) : 1.0 / k;
                fingerprints[idx] = new HashSet<string>(p.Fingerprints ?? [], StringComparer.Ordinal);
            }
        }

        return (accuracy, fingerprints);
    }

    /// <summary>Per item index: the gold answer's class, or -1 for ordinary items.</summary>
    private static int[] GoldClasses(LabelSet labels, IEnumerable<GoldAnswer>? gold)
    {
        var goldClass = new int[labels.Items.Count];
        Array.Fill(goldClass, -1);
        foreach (var g in gold ?? [])
        {
            var item = labels.IndexOfItem(g.Item);
            if (item >= 0)
            {
                goldClass[item] = labels.IndexOfClass(g.Answer);
            }
        }

        return goldClass;
    }

    /// <summary>
    /// Statistics of every pair of contributors who labelled a common item, keyed by lo·W + hi (lo &lt; hi).
    /// Expected and Variance sum, over the shared items, the mean p and variance p(1−p) of an agreement between
    /// independent contributors, p = a·b + (1−a)(1−b)/(K−1).
    /// </summary>
    private static Dictionary<long, PairStats> PairStatistics(LabelSet labels, double[] accuracy, int[] goldClass, int k)
    {
        var w = labels.Contributors.Count;

        // Items are few per pair, so a sparse map is right here.
        var stats = new Dictionary<long, PairStats>();
        for (var i = 0; i < labels.Items.Count; i++)
        {
            int from = labels.ItemStart[i], to = labels.ItemStart[i + 1];
            for (var x = from; x < to; x++)
            {
                for (var y = x + 1; y < to; y++)
                {
                    int a = labels.Worker[x], b = labels.Worker[y];
                    if (a == b)
                    {
                        continue;
                    }

                    var (lo, hi, ansLo, ansHi) = a < b ? (a, b, labels.Answer[x], labels.Answer[y]) : (b, a, labels.Answer[y], labels.Answer[x]);
                    var key = ((long)lo * w) + hi;
                    var s = stats.GetValueOrDefault(key);
                    var p = (accuracy[lo] * accuracy[hi]) + ((1 - accuracy[lo]) * (1 - accuracy[hi]) / (k - 1));
                    var agree = ansLo == ansHi;
                    var wrongGold = agree && goldClass[i] >= 0 && ansLo != goldClass[i];
                    stats[key] = new PairStats(s.Shared + 1, s.Agree + (agree ? 1 : 0), s.Expected + p, s.Variance + (p * (1 - p)), s.WrongGold + (wrongGold ? 1 : 0));
                }
            }
        }

        return stats;
    }

    /// <summary>The pairs whose z-score, with the wrong-gold and shared-device additions, reaches the threshold.</summary>
    private static List<CollusionSignal> FlaggedPairs(LabelSet labels, Dictionary<long, PairStats> stats, HashSet<string>?[] fingerprints, CollusionOptions options)
    {
        var w = labels.Contributors.Count;
        var result = new List<CollusionSignal>();
        foreach (var (key, s) in stats)
        {
            if (s.Shared < options.MinSharedItems)
            {
                continue;
            }

            int lo = (int)(key / w), hi = (int)(key % w);

            // A floor under the variance keeps a pair of near-perfect contributors from dividing by almost nothing.
            var sd = Math.Sqrt(Math.Max(s.Variance, 0.25));
            var z = (s.Agree - s.Expected) / sd;
            var device = fingerprints[lo] is { } fa && fingerprints[hi] is { } fb && fa.Overlaps(fb);
            z += (s.WrongGold * options.WrongGoldWeight) + (device ? options.SharedDeviceBonus : 0);
            if (z < options.ZThreshold)
            {
                continue;
            }

            result.Add(new CollusionSignal(
                labels.Contributors[lo],
                labels.Contributors[hi],
                s.Shared,
                s.Agree,
                s.Expected,
                s.WrongGold,
                device,
                Math.Min(1, z / (2 * options.ZThreshold)),
                true,
                string.Create(CultureInfo.InvariantCulture, $"agreed on {s.Agree} of {s.Shared} shared items where {s.Expected:0.0} was expected (z {z:0.0}); {s.WrongGold} identical wrong gold answers{(device ? "; shared IP/device" : string.Empty)}")));
        }

        return result;
    }

    /// <summary>Running totals for one pair of contributors over the items both labelled.</summary>
    private readonly record struct PairStats(int Shared, int Agree, double Expected, double Variance, int WrongGold);
}
