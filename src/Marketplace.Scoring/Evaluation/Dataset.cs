namespace Marketplace.Scoring.Evaluation;

/// <summary>
/// A crowdsourcing dataset with ground truth: its labels (item, contributor, answer) and its gold (item, answer), as the
/// shared datasets keep them in <c>labels.csv</c> (task,worker,label) and <c>gold.csv</c> (task,label). Reading the files
/// is the caller's; this parses their lines.
/// </summary>
public sealed record Dataset(string Name, IReadOnlyList<AnswerTriple> Labels, IReadOnlyList<GoldAnswer> Gold)
{
    /// <summary>
    /// Both files' lines, each with its header. Blank lines are skipped; a row with too few columns is an error, not
    /// skipped: dropping it silently would change the figures that docs/quality.md and the tests pin.
    /// </summary>
    public static Dataset Parse(string name, IEnumerable<string> labelsCsv, IEnumerable<string> goldCsv)
    {
        var labels = Rows("labels.csv", labelsCsv, 3).Select(r => new AnswerTriple(r[0], r[1], r[2])).ToList();
        var gold = Rows("gold.csv", goldCsv, 2).Select(r => new GoldAnswer(r[0], r[1])).ToList();
        return new Dataset(name, labels, gold);
    }

    private static IEnumerable<string[]> Rows(string file, IEnumerable<string> lines, int columns)
    {
        var lineNumber = 0;
        foreach (var line in lines)
        {
            lineNumber++;
            if (lineNumber == 1 || line.Length == 0)
            {
                continue;
            }

            var parts = line.Split(',');
            if (parts.Length < columns)
            {
                throw new FormatException($"{file}:{lineNumber}: expected {columns} columns, found {parts.Length}");
            }

            yield return parts.Select(p => p.Trim()).ToArray();
        }
    }
}
