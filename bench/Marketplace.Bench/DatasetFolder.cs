using Marketplace.Scoring.Evaluation;

namespace Marketplace.Bench;

/// <summary>A folder with labels.csv and gold.csv, read from disk and parsed by the scoring engine's <see cref="Dataset"/>.</summary>
internal static class DatasetFolder
{
    public static Dataset Load(string folder) =>
        Dataset.Parse(Path.GetFileName(Path.TrimEndingDirectorySeparator(folder)), File.ReadLines(Path.Combine(folder, "labels.csv")), File.ReadLines(Path.Combine(folder, "gold.csv")));

    /// <summary>The shared datasets folder: walks up from the binary to the folder holding shared/datasets.</summary>
    public static string? FindSharedRoot()
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
}
