namespace Marketplace.Scoring;

/// <summary>One categorical answer: contributor <paramref name="Contributor"/> said <paramref name="Answer"/> about item <paramref name="Item"/>.</summary>
public sealed record AnswerTriple(string Item, string Contributor, string Answer);

/// <summary>A known correct answer for an item (a gold item).</summary>
public sealed record GoldAnswer(string Item, string Answer);

/// <summary>
/// The labels of one job, densified: items, contributors and classes get integer ids and the
/// labels are held as flat arrays sorted by item, which is what every aggregation method runs on.
/// </summary>
/// <remarks>
/// Items, contributors and classes are ordered by ordinal string comparison, so results do not
/// depend on the order the triples arrive in. "Lowest class ordinal" in tie rules means the
/// first class in <see cref="Classes"/>. Duplicate labels are kept (no dedup).
/// </remarks>
public sealed class LabelSet
{
    private readonly Dictionary<string, int> _itemIndex;
    private readonly Dictionary<string, int> _contributorIndex;
    private readonly Dictionary<string, int> _classIndex;

    private LabelSet(
        string[] items,
        string[] contributors,
        string[] classes,
        int[] itemStart,
        int[] worker,
        int[] answer,
        int rejected)
    {
        Items = items;
        Contributors = contributors;
        Classes = classes;
        ItemStart = itemStart;
        Worker = worker;
        Answer = answer;
        RejectedCount = rejected;
        _itemIndex = Index(items);
        _contributorIndex = Index(contributors);
        _classIndex = Index(classes);
    }

    /// <summary>Item ids, ordinal order; the dense id of an item is its position here.</summary>
    public IReadOnlyList<string> Items { get; }

    /// <summary>Contributor ids, ordinal order.</summary>
    public IReadOnlyList<string> Contributors { get; }

    /// <summary>The answer classes, ordinal order (declared classes keep the caller's order).</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>Number of labels kept.</summary>
    public int Count => Worker.Length;

    /// <summary>Labels dropped because their answer was not one of the declared classes, or an id was empty.</summary>
    public int RejectedCount { get; }

    internal int[] ItemStart { get; }

    internal int[] Worker { get; }

    internal int[] Answer { get; }

    /// <summary>
    /// Builds a label set. When <paramref name="classes"/> is given, only those answers are accepted
    /// (in that order) and any other answer is counted in <see cref="RejectedCount"/>; otherwise the
    /// classes are the distinct answers seen. Null or empty ids are rejected too.
    /// </summary>
    public static LabelSet Create(IEnumerable<AnswerTriple> triples, IEnumerable<string>? classes = null)
    {
        ArgumentNullException.ThrowIfNull(triples);
        var kept = new List<AnswerTriple>();
        var rejected = 0;
        HashSet<string>? declared = null;
        string[]? declaredOrder = null;
        if (classes is not null)
        {
            declaredOrder = classes.Where(c => !string.IsNullOrEmpty(c)).Distinct(StringComparer.Ordinal).ToArray();
            declared = new HashSet<string>(declaredOrder, StringComparer.Ordinal);
        }

        foreach (var t in triples)
        {
            if (t is null || string.IsNullOrEmpty(t.Item) || string.IsNullOrEmpty(t.Contributor)
                || string.IsNullOrEmpty(t.Answer) || (declared is not null && !declared.Contains(t.Answer)))
            {
                rejected++;
                continue;
            }

            kept.Add(t);
        }

        var items = kept.Select(t => t.Item).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var contributors = kept.Select(t => t.Contributor).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var classOrder = declaredOrder
            ?? kept.Select(t => t.Answer).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();

        var itemIndex = Index(items);
        var contributorIndex = Index(contributors);
        var classIndex = Index(classOrder);

        // Counting sort by item keeps the arrival order inside an item, so the layout is stable.
        var itemStart = new int[items.Length + 1];
        foreach (var t in kept)
        {
            itemStart[itemIndex[t.Item] + 1]++;
        }

        for (var i = 0; i < items.Length; i++)
        {
            itemStart[i + 1] += itemStart[i];
        }

        var next = (int[])itemStart.Clone();
        var worker = new int[kept.Count];
        var answer = new int[kept.Count];
        foreach (var t in kept)
        {
            var slot = next[itemIndex[t.Item]]++;
            worker[slot] = contributorIndex[t.Contributor];
            answer[slot] = classIndex[t.Answer];
        }

        return new LabelSet(items, contributors, classOrder, itemStart, worker, answer, rejected);
    }

    /// <summary>Dense id of an item, or -1 when the item has no labels.</summary>
    public int IndexOfItem(string item) => _itemIndex.GetValueOrDefault(item, -1);

    /// <summary>Dense id of a contributor, or -1 when the contributor has no labels.</summary>
    public int IndexOfContributor(string contributor) => _contributorIndex.GetValueOrDefault(contributor, -1);

    /// <summary>Dense id of a class, or -1 when it is not a known class.</summary>
    public int IndexOfClass(string answer) => _classIndex.GetValueOrDefault(answer, -1);

    private static Dictionary<string, int> Index(string[] values)
    {
        var map = new Dictionary<string, int>(values.Length, StringComparer.Ordinal);
        for (var i = 0; i < values.Length; i++)
        {
            map[values[i]] = i;
        }

        return map;
    }
}
