using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace Marketplace.Web.Hosting;

/// <summary>
/// The one way the app writes CSV that people open in a spreadsheet (the buyer's results, the admin's audit log).
/// Cells holding what others typed can start with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, a tab or a carriage
/// return, which Excel, LibreOffice and Google Sheets run as a formula (<c>=HYPERLINK(...)</c> leaks data on a click);
/// such a cell is written quoted, behind a leading apostrophe, so it shows as the text it is.
/// </summary>
public static class SpreadsheetCsv
{
    private static readonly CsvConfiguration Configuration = new(CultureInfo.InvariantCulture)
    {
        InjectionOptions = InjectionOptions.Escape,
        InjectionCharacters = ['=', '+', '-', '@', '\t', '\r'],
    };

    /// <summary>A CSV writer over <paramref name="text"/> (left open) that has already written the header row.</summary>
    public static async Task<CsvWriter> OpenAsync(TextWriter text, IEnumerable<string> columns)
    {
        var csv = new CsvWriter(text, Configuration, leaveOpen: true);
        foreach (var column in columns)
        {
            csv.WriteField(column);
        }

        await csv.NextRecordAsync();
        return csv;
    }
}
