using System.Reflection;
using Marketplace.Scoring.Evaluation;

namespace Marketplace.Scoring.Tests;

/// <summary>
/// Loads ../shared/datasets through the scoring engine's <see cref="Dataset"/>, the code that printed docs/quality.md.
/// Missing data makes a dataset test return early locally, but when CI=true it fails: a CI run that silently
/// scored nothing would prove nothing.
/// </summary>
internal static class SharedDatasets
{
    /// <summary>Where the build found the shared datasets would be (see the project file).</summary>
    public static string Root { get; } = typeof(SharedDatasets).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "SharedDatasets").Value!;

    public static Dataset? Load(string name)
    {
        var folder = Path.Combine(Root, name);
        if (!Directory.Exists(folder))
        {
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail($"{folder} not found, and CI=true");
            }

            return null;
        }

        return Dataset.Parse(name, File.ReadLines(Path.Combine(folder, "labels.csv")), File.ReadLines(Path.Combine(folder, "gold.csv")));
    }
}
