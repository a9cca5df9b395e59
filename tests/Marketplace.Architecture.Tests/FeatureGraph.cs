namespace Marketplace.Architecture.Tests;

/// <summary>Which feature of Marketplace.Web uses which, with the type uses behind each edge.</summary>
public sealed class FeatureGraph
{
    private readonly Dictionary<(string From, string To), List<TypeUse>> _edges = [];

    public static FeatureGraph Of(TypeReferences web)
    {
        var graph = new FeatureGraph();
        foreach (var use in web.Types)
        {
            if (Layers.PartOf(use.From) is { } from && Layers.PartOf(use.To) is { } to && from != to && Layers.IsFeature(from) && Layers.IsFeature(to))
            {
                if (!graph._edges.TryGetValue((from, to), out var uses))
                {
                    graph._edges[(from, to)] = uses = [];
                }

                uses.Add(use);
            }
        }

        return graph;
    }

    public IEnumerable<string> Features => _edges.Keys.SelectMany(e => new[] { e.From, e.To }).Distinct().Order(StringComparer.Ordinal);

    public IEnumerable<string> Uses(string feature) => _edges.Keys.Where(e => e.From == feature).Select(e => e.To).Order(StringComparer.Ordinal);

    /// <summary>Every set of two or more features that reach each other (Tarjan's strongly connected components).</summary>
    public IReadOnlyList<IReadOnlyList<string>> Cycles()
    {
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var cycles = new List<IReadOnlyList<string>>();
        void Visit(string v)
        {
            index[v] = low[v] = index.Count;
            stack.Push(v);
            foreach (var w in Uses(v))
            {
                if (!index.TryGetValue(w, out var seen))
                {
                    Visit(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
                else if (stack.Contains(w))
                {
                    low[v] = Math.Min(low[v], seen);
                }
            }

            if (low[v] == index[v])
            {
                var component = new List<string>();
                string w;
                do
                {
                    w = stack.Pop();
                    component.Add(w);
                }
                while (w != v);
                if (component.Count > 1)
                {
                    cycles.Add([.. component.Order(StringComparer.Ordinal)]);
                }
            }
        }

        foreach (var feature in Features.Where(f => !index.ContainsKey(f)))
        {
            Visit(feature);
        }

        return cycles;
    }

    /// <summary>The edges inside a cycle, each with one type use that makes it.</summary>
    public IEnumerable<string> EdgesWithin(IReadOnlyList<string> cycle) =>
        _edges.Where(e => cycle.Contains(e.Key.From) && cycle.Contains(e.Key.To))
            .Select(e => $"  {e.Key.From} → {e.Key.To}: {Layers.Describe(e.Value[0])}");

    /// <summary>The features in an order where each uses only those before it (what docs/architecture.md lists).</summary>
    public IReadOnlyList<string> Order()
    {
        var order = new List<string>();
        var remaining = Features.ToList();
        while (remaining.Count > 0)
        {
            var next = remaining.FirstOrDefault(f => Uses(f).All(order.Contains)) ?? throw new InvalidOperationException("The features form a cycle.");
            order.Add(next);
            remaining.Remove(next);
        }

        return order;
    }
}
