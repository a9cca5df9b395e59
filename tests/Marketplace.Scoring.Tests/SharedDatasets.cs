using Marketplace.Bench;

namespace Marketplace.Scoring.Tests;

/// <summary>
/// Loads ../shared/datasets through the bench's <see cref="Dataset"/>, the code that printed docs/quality.md.
/// Missing data makes a dataset test return early locally, but when CI=true it fails: a CI run that silently
/// scored nothing would prove nothing.
/// </summary>
internal static class SharedDatasets
{
    public static string? Root { get; } = Dataset.FindSharedRoot();

    public static Dataset? Load(string name)
    {
        if (Root is null || !Directory.Exists(Path.Combine(Root, name)))
        {
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail($"shared/datasets/{name} not found above {AppContext.BaseDirectory}, and CI=true");
            }

            return null;
        }

        return Dataset.Load(Path.Combine(Root, name));
    }
}
