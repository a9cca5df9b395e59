namespace Marketplace.Scoring.Tests;

/// <summary>
/// Reads ../shared/datasets (found by walking up from the test binary). Missing data makes a dataset test
/// return early locally, but when CI=true it fails: a CI run that silently scored nothing would prove nothing.
/// </summary>
internal static class SharedDatasets
{
    public static string? Root { get; } = FindRoot();

    public static (List<AnswerTriple> Labels, List<GoldAnswer> Gold)? Load(string name)
    {
        if (Root is null || !Directory.Exists(Path.Combine(Root, name)))
        {
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail($"shared/datasets/{name} not found above {AppContext.BaseDirectory}, and CI=true");
            }

            return null;
        }

        var folder = Path.Combine(Root, name);
        var labels = Rows(Path.Combine(folder, "labels.csv")).Select(r => new AnswerTriple(r[0], r[1], r[2])).ToList();
        var gold = Rows(Path.Combine(folder, "gold.csv")).Select(r => new GoldAnswer(r[0], r[1])).ToList();
        return (labels, gold);
    }

    private static string? FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "datasets");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static IEnumerable<string[]> Rows(string path) =>
        File.ReadLines(path).Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',').Select(p => p.Trim()).ToArray());
}
