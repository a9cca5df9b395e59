using Marketplace.Scoring;

namespace Marketplace.Bench;

/// <summary>A folder with labels.csv (task,worker,label) and gold.csv (task,label).</summary>
internal sealed record Dataset(string Name, IReadOnlyList<AnswerTriple> Labels, IReadOnlyList<GoldAnswer> Gold)
{
    public static Dataset Load(string folder)
    {
        var labels = ReadRows(Path.Combine(folder, "labels.csv"), 3)
            .Select(r => new AnswerTriple(r[0], r[1], r[2]))
            .ToList();
        var gold = ReadRows(Path.Combine(folder, "gold.csv"), 2)
            .Select(r => new GoldAnswer(r[0], r[1]))
            .ToList();
        return new Dataset(Path.GetFileName(Path.TrimEndingDirectorySeparator(folder)), labels, gold);
    }

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

    /// <summary>
    /// Rows after the header; blank lines are skipped. A row with too few columns is an error, not skipped:
    /// dropping it silently would change the figures that docs/quality.md and the tests pin.
    /// </summary>
    private static IEnumerable<string[]> ReadRows(string path, int columns)
    {
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (lineNumber == 1 || line.Length == 0)
            {
                continue;
            }

            var parts = line.Split(',');
            if (parts.Length < columns)
            {
                throw new InvalidDataException($"{path}:{lineNumber}: expected {columns} columns, found {parts.Length}");
            }

            yield return parts.Select(p => p.Trim()).ToArray();
        }
    }
}
