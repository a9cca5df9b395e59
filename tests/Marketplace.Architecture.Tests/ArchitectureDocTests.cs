using System.Reflection;
using System.Text.RegularExpressions;

namespace Marketplace.Architecture.Tests;

/// <summary>docs/architecture.md says how the code is laid out; these keep it saying what is true.</summary>
public partial class ArchitectureDocTests
{
    private static readonly string Root = typeof(ArchitectureDocTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;

    private static readonly string Doc = File.ReadAllText(Path.Combine(Root, "docs", "architecture.md"));

    [Fact]
    public void DocumentedOrder_NamesEveryFeature_EachUsingOnlyThoseBeforeIt()
    {
        var line = Doc.Split('\n').Single(l => l.StartsWith("Features, lowest first: ", StringComparison.Ordinal));
        var documented = line["Features, lowest first: ".Length..].Trim().Split(", ");
        var graph = FeatureGraph.Of(TypeReferences.Of(typeof(Program).Assembly));

        Assert.Equal(graph.Features.Order(StringComparer.Ordinal), documented.Order(StringComparer.Ordinal));
        for (var i = 0; i < documented.Length; i++)
        {
            var later = graph.Uses(documented[i]).Where(used => Array.IndexOf(documented, used) > i).ToList();
            Assert.True(later.Count == 0, $"{documented[i]} uses {string.Join(", ", later)}, listed after it in docs/architecture.md.");
        }
    }

    [Fact]
    public void EveryFileTheDocNames_Exists()
    {
        var missing = FilePaths().Matches(Doc).Select(m => m.Groups[1].Value).Distinct()
            .Where(path => !File.Exists(Path.Combine(Root, "src", "Marketplace.Web", path)) && !File.Exists(Path.Combine(Root, "src", path)))
            .ToList();
        Assert.True(missing.Count == 0, "docs/architecture.md names files that do not exist: " + string.Join(", ", missing));
    }

    [GeneratedRegex(@"`((?:Marketplace\.[A-Za-z]+/)?[A-Za-z]+/[A-Za-z/]+\.cs)")]
    private static partial Regex FilePaths();
}
