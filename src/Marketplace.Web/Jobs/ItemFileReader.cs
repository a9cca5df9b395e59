using System.Globalization;
using System.Text;
using System.Text.Json;
using CsvHelper;
using CsvHelper.Configuration;
using Marketplace.Web.Domain;

namespace Marketplace.Web.Jobs;

/// <summary>
/// Reads an upload row by row, never holding the whole file: JSON Lines (one object per line, each line bounded) or
/// CSV (a header with <c>id</c>, optional <c>answer</c> and <c>tolerance</c>, every other column part of the payload).
/// A row that cannot be read comes back with its error, named by row; a file that cannot be read further ends there.
/// </summary>
internal static class ItemFileReader
{
    public static IAsyncEnumerable<ImportRow> ReadAsync(Stream body, ImportFormat format, bool gold, CancellationToken ct) =>
        format == ImportFormat.Csv ? ReadCsv(body, gold, ct) : ReadJsonLines(body, ct);

    internal sealed record ImportRow(long Row, string? Id, JsonElement? Payload, JsonElement? Answer, ImportError? Error = null)
    {
        /// <summary>For gold boxes and spans: the overlap an answer needs to count as correct, as written in the file.</summary>
        public string? Tolerance { get; init; }
    }

    /// <summary>The tolerance of a gold row: null when absent, NaN when present but not a number in (0, 1].</summary>
    internal static double? ToleranceOf(ImportRow row) =>
        row.Tolerance is null ? null
        : double.TryParse(row.Tolerance, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value is > 0 and <= 1 ? value
        : double.NaN;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    internal static async IAsyncEnumerable<ImportRow> ReadJsonLines(Stream body, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        using var reader = new StreamReader(body, StrictUtf8, detectEncodingFromByteOrderMarks: false, bufferSize: 64 * 1024, leaveOpen: true);
        var line = new StringBuilder();
        long row = 0;
        while (true)
        {
            row++;
            line.Clear();
            ImportRow? failure = null;
            bool more;
            try
            {
                more = await ReadBoundedLineAsync(reader, line, TaskTypeSchemas.MaxPayloadBytes + 20_000, ct);
            }
            catch (DecoderFallbackException)
            {
                failure = new ImportRow(row, null, null, null, new ImportError(row, "file", "is not valid UTF-8 here; save the file as UTF-8."));
                more = false;
            }
            catch (InvalidDataException e)
            {
                failure = new ImportRow(row, null, null, null, new ImportError(row, "file", e.Message));
                more = false;
            }

            if (failure is not null)
            {
                yield return failure;
                yield break;
            }

            if (line.Length > 0 && !string.IsNullOrWhiteSpace(line.ToString()))
            {
                yield return ParseJsonLine(row, line.ToString());
            }

            if (!more)
            {
                yield break;
            }
        }
    }

    private static ImportRow ParseJsonLine(long row, string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new ImportRow(row, null, null, null, new ImportError(row, "row", "must be a JSON object like {\"id\": ..., \"payload\": {...}}."));
            }

            var id = root.TryGetProperty("id", out var idElement)
                ? idElement.ValueKind switch { JsonValueKind.String => idElement.GetString(), JsonValueKind.Number => idElement.GetRawText(), _ => null }
                : null;
            JsonElement? payload = root.TryGetProperty("payload", out var p) ? p.Clone() : null;
            JsonElement? answer = root.TryGetProperty("answer", out var a) && a.ValueKind != JsonValueKind.Null ? a.Clone() : null;
            var tolerance = root.TryGetProperty("tolerance", out var t) && t.ValueKind != JsonValueKind.Null
                ? (t.ValueKind == JsonValueKind.Number ? t.GetRawText() : "not a number")
                : null;
            return new ImportRow(row, id, payload, answer) { Tolerance = tolerance };
        }
        catch (JsonException e)
        {
            return new ImportRow(row, null, null, null, new ImportError(row, "row", $"is not valid JSON: {e.Message.Split(" Path:")[0]}"));
        }
    }

    /// <summary>Reads one line without ever holding more than <paramref name="limit"/> characters of it.</summary>
    private static async Task<bool> ReadBoundedLineAsync(StreamReader reader, StringBuilder line, int limit, CancellationToken ct)
    {
        var buffer = new char[1];
        while (await reader.ReadAsync(buffer.AsMemory(), ct) == 1)
        {
            if (buffer[0] == '\n')
            {
                return true;
            }

            if (buffer[0] != '\r')
            {
                if (line.Length >= limit)
                {
                    throw new InvalidDataException($"row is longer than {limit:N0} characters.");
                }

                line.Append(buffer[0]);
            }
        }

        return false;
    }

    internal static async IAsyncEnumerable<ImportRow> ReadCsv(Stream body, bool gold, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        using var reader = new StreamReader(body, StrictUtf8, detectEncodingFromByteOrderMarks: false, bufferSize: 64 * 1024, leaveOpen: true);
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            MaxFieldSize = TaskTypeSchemas.MaxPayloadBytes,
            DetectColumnCountChanges = true,
            TrimOptions = TrimOptions.None,
        };
        using var csv = new CsvReader(reader, configuration);
        var (header, failure) = await ReadHeaderAsync(csv, gold);
        if (failure is not null)
        {
            yield return failure;
            yield break;
        }

        var payloadColumns = header.Where(h => h is not ("id" or "answer" or "tolerance") && h.Length > 0).ToArray();
        var hasTolerance = header.Contains("tolerance");
        while (true)
        {
            ImportRow? row;
            try
            {
                if (!await csv.ReadAsync())
                {
                    yield break;
                }

                row = CsvRow(csv, payloadColumns, gold, hasTolerance);
            }
            catch (DecoderFallbackException)
            {
                row = new ImportRow(csv.Parser.Row, null, null, null, new ImportError(csv.Parser.Row, "file", "is not valid UTF-8 here; save the file as UTF-8."));
            }
            catch (BadDataException e)
            {
                row = new ImportRow(csv.Parser.Row, null, null, null, new ImportError(csv.Parser.Row, "file", $"malformed CSV ({e.GetType().Name.Replace("Exception", "", StringComparison.Ordinal)})."));
            }
            catch (CsvHelperException)
            {
                row = new ImportRow(csv.Parser.Row, null, null, null, new ImportError(csv.Parser.Row, "file", "malformed CSV: a field is too long or the row has the wrong number of columns."));
            }

            yield return row;
            if (row.Error is not null)
            {
                yield break;
            }
        }
    }

    /// <summary>The header row, or why the file cannot be imported: unreadable, no <c>id</c> column, or gold without <c>answer</c>.</summary>
    private static async Task<(string[] Header, ImportRow? Failure)> ReadHeaderAsync(CsvReader csv, bool gold)
    {
        string[] header;
        try
        {
            await csv.ReadAsync();
            csv.ReadHeader();
            header = csv.HeaderRecord ?? [];
        }
        catch (Exception e) when (e is CsvHelperException or DecoderFallbackException)
        {
            return ([], new ImportRow(1, null, null, null, new ImportError(1, "file", e is DecoderFallbackException ? "is not valid UTF-8; save the file as UTF-8." : "has no readable header row.")));
        }

        if (!header.Contains("id"))
        {
            return (header, new ImportRow(1, null, null, null, new ImportError(1, "file", "the header row needs an 'id' column.")));
        }

        return gold && !header.Contains("answer")
            ? (header, new ImportRow(1, null, null, null, new ImportError(1, "file", "gold items need an 'answer' column.")))
            : (header, null);
    }

    /// <summary>The row just read: its id, its payload from every other column that has a value, and for gold its answer and tolerance.</summary>
    private static ImportRow CsvRow(CsvReader csv, string[] payloadColumns, bool gold, bool hasTolerance)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var column in payloadColumns)
        {
            var value = csv.GetField(column);
            if (!string.IsNullOrEmpty(value))
            {
                values[column] = value;
            }
        }

        var payload = JsonSerializer.SerializeToElement(values);
        JsonElement? answer = gold ? ParseAnswerCell(csv.GetField("answer")) : null;
        var tolerance = hasTolerance ? csv.GetField("tolerance") : null;
        return new ImportRow(csv.Parser.Row, csv.GetField("id"), payload, answer) { Tolerance = string.IsNullOrWhiteSpace(tolerance) ? null : tolerance.Trim() };
    }

    // A CSV answer cell is JSON when it looks like JSON (arrays, objects, quoted strings), else plain text.
    private static JsonElement? ParseAnswerCell(string? cell)
    {
        if (string.IsNullOrWhiteSpace(cell))
        {
            return null;
        }

        var trimmed = cell.Trim();
        if (trimmed[0] is '[' or '{' or '"')
        {
            try
            {
                using var document = JsonDocument.Parse(trimmed);
                return document.RootElement.Clone();
            }
            catch (JsonException)
            {
                // Not JSON after all: fall through to plain text, which the schema check then judges.
            }
        }

        return JsonSerializer.SerializeToElement(cell);
    }
}
