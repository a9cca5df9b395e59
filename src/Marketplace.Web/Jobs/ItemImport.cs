using System.Globalization;
using System.Text;
using System.Text.Json;
using CsvHelper;
using CsvHelper.Configuration;
using Marketplace.Web.Data;
using Marketplace.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Marketplace.Web.Jobs;

public enum ImportFormat
{
    Csv,
    JsonLines,
}

/// <summary>One problem in an upload: the row is the line of the file (a CSV's header is row 1).</summary>
public sealed record ImportError(long Row, string Field, string Message);

public sealed record ImportOutcome(int Imported, IReadOnlyList<ImportError> Errors, bool Truncated)
{
    public bool Succeeded => Errors.Count == 0;
}

/// <summary>
/// Imports items or gold items into a job from a stream, row by row, never holding the whole file.
/// All-or-nothing: rows go into one transaction that is rolled back at the first bad row, after reading on
/// far enough to report the first errors.
/// </summary>
public sealed class ItemImport(MarketplaceDbContext db, TimeProvider clock, IOptions<JobsOptions> options)
{
    public const int BatchSize = 2_000;

    public static ImportFormat? FormatOf(string? contentType, string? fileName)
    {
        var media = contentType?.Split(';')[0].Trim().ToLowerInvariant();
        return media switch
        {
            "text/csv" or "application/csv" => ImportFormat.Csv,
            "application/jsonl" or "application/x-ndjson" or "application/x-jsonlines" or "application/jsonlines" => ImportFormat.JsonLines,
            _ => Path.GetExtension(fileName ?? "").ToLowerInvariant() switch
            {
                ".csv" => ImportFormat.Csv,
                ".jsonl" or ".ndjson" => ImportFormat.JsonLines,
                _ => null,
            },
        };
    }

    // progress, when given, hears the rows imported so far after each batch: pages show a long import's progress.
    public async Task<ImportOutcome> ImportAsync(Job job, Stream body, ImportFormat format, bool gold, CancellationToken ct, Func<int, Task>? progress = null)
    {
        var maxErrors = options.Value.MaxReportedImportErrors;
        var errors = new List<ImportError>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var batch = new List<(long Row, Item Item)>(BatchSize);
        var imported = 0;
        var now = clock.GetUtcNow().UtcDateTime;

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var previousDetection = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            var rows = format == ImportFormat.Csv ? ReadCsv(body, gold, ct) : ReadJsonLines(body, ct);
            await foreach (var row in rows)
            {
                if (row.Error is { } readError)
                {
                    errors.Add(readError);
                    if (readError.Field == "file")
                    {
                        break; // the rest of the file cannot be read
                    }
                }
                else if (Check(job, row, gold, seen) is { } rowError)
                {
                    errors.Add(rowError);
                }
                else if (errors.Count == 0)
                {
                    batch.Add((row.Row, new Item
                    {
                        Id = Guid.CreateVersion7(),
                        JobId = job.Id,
                        ExternalId = row.Id!,
                        Payload = row.Payload!.Value.GetRawText(),
                        IsGold = gold,
                        GoldAnswer = gold ? row.Answer!.Value.GetRawText() : null,
                        GoldTolerance = ToleranceOf(row),
                        CreatedAt = now,
                    }));
                }

                if (errors.Count >= maxErrors)
                {
                    return new ImportOutcome(0, errors, Truncated: true);
                }

                if (batch.Count == BatchSize && errors.Count == 0)
                {
                    imported += await FlushAsync(job, batch, errors, ct);
                    if (progress is not null && errors.Count == 0)
                    {
                        await progress(imported);
                    }
                }
            }

            if (errors.Count == 0 && batch.Count > 0)
            {
                imported += await FlushAsync(job, batch, errors, ct);
            }

            if (errors.Count > 0)
            {
                return new ImportOutcome(0, errors, Truncated: false);
            }

            if (imported == 0)
            {
                return new ImportOutcome(0, [new ImportError(0, "file", "The file has no rows.")], Truncated: false);
            }

            await transaction.CommitAsync(ct);
            return new ImportOutcome(imported, [], Truncated: false);
        }
        finally
        {
            db.ChangeTracker.Clear();
            db.ChangeTracker.AutoDetectChangesEnabled = previousDetection;
        }
    }

    private async Task<int> FlushAsync(Job job, List<(long Row, Item Item)> batch, List<ImportError> errors, CancellationToken ct)
    {
        // Re-uploading an id the job already has is refused, never doubled.
        var ids = batch.Select(b => b.Item.ExternalId).ToList();
        var existing = await db.Items.AsNoTracking().Where(i => i.JobId == job.Id && ids.Contains(i.ExternalId)).Select(i => i.ExternalId).ToListAsync(ct);
        if (existing.Count > 0)
        {
            var taken = existing.ToHashSet(StringComparer.Ordinal);
            errors.AddRange(batch.Where(b => taken.Contains(b.Item.ExternalId)).Select(b => new ImportError(b.Row, "id", $"'{b.Item.ExternalId}' is already an item of this job.")));
            batch.Clear();
            return 0;
        }

        db.Items.AddRange(batch.Select(b => b.Item));
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        var count = batch.Count;
        batch.Clear();
        return count;
    }

    private static ImportError? Check(Job job, ImportRow row, bool gold, HashSet<string> seen)
    {
        if (string.IsNullOrWhiteSpace(row.Id))
        {
            return new ImportError(row.Row, "id", "is required.");
        }

        if (row.Id.Length > 200)
        {
            return new ImportError(row.Row, "id", "at most 200 characters.");
        }

        if (!seen.Add(row.Id))
        {
            return new ImportError(row.Row, "id", $"'{row.Id}' appears more than once in the file.");
        }

        if (row.Payload is not { } payload)
        {
            return new ImportError(row.Row, "payload", "is required.");
        }

        if (TaskTypeSchemas.ValidatePayload(job.TaskType, payload) is { } payloadError)
        {
            return new ImportError(row.Row, payloadError.Field, payloadError.Message);
        }

        if (payload.GetRawText().Length > TaskTypeSchemas.MaxPayloadBytes)
        {
            return new ImportError(row.Row, "payload", $"larger than {TaskTypeSchemas.MaxPayloadBytes:N0} bytes.");
        }

        if (gold)
        {
            if (row.Answer is not { } answer)
            {
                return new ImportError(row.Row, "answer", "a gold item needs its known answer.");
            }

            if (TaskTypeSchemas.ValidateAnswer(job.TaskType, job.Labels, answer) is { } answerError)
            {
                return new ImportError(row.Row, answerError.Field, answerError.Message);
            }
        }

        if (row.Tolerance is not null)
        {
            if (!gold || job.TaskType is not (TaskType.BoundingBox or TaskType.TextSpan))
            {
                return new ImportError(row.Row, "tolerance", "applies only to gold bounding boxes and text spans.");
            }

            if (double.IsNaN(ToleranceOf(row)!.Value))
            {
                return new ImportError(row.Row, "tolerance", "must be a number above 0 and at most 1 (the overlap an answer needs).");
            }
        }

        return null;
    }

    private sealed record ImportRow(long Row, string? Id, JsonElement? Payload, JsonElement? Answer, ImportError? Error = null)
    {
        /// <summary>For gold boxes and spans: the overlap an answer needs to count as correct, as written in the file.</summary>
        public string? Tolerance { get; init; }
    }

    /// <summary>The tolerance of a gold row: null when absent, NaN when present but not a number in (0, 1].</summary>
    private static double? ToleranceOf(ImportRow row) =>
        row.Tolerance is null ? null
        : double.TryParse(row.Tolerance, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value is > 0 and <= 1 ? value
        : double.NaN;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static async IAsyncEnumerable<ImportRow> ReadJsonLines(Stream body, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        using var reader = new StreamReader(body, StrictUtf8, detectEncodingFromByteOrderMarks: false, bufferSize: 64 * 1024);
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

    private static async IAsyncEnumerable<ImportRow> ReadCsv(Stream body, bool gold, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        using var reader = new StreamReader(body, StrictUtf8, detectEncodingFromByteOrderMarks: false, bufferSize: 64 * 1024);
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            MaxFieldSize = TaskTypeSchemas.MaxPayloadBytes,
            DetectColumnCountChanges = true,
            TrimOptions = TrimOptions.None,
        };
        using var csv = new CsvReader(reader, configuration);
        string[] header;
        ImportRow? failure = null;
        try
        {
            await csv.ReadAsync();
            csv.ReadHeader();
            header = csv.HeaderRecord ?? [];
        }
        catch (Exception e) when (e is CsvHelperException or DecoderFallbackException)
        {
            header = [];
            failure = new ImportRow(1, null, null, null, new ImportError(1, "file", e is DecoderFallbackException ? "is not valid UTF-8; save the file as UTF-8." : "has no readable header row."));
        }

        if (failure is null && !header.Contains("id"))
        {
            failure = new ImportRow(1, null, null, null, new ImportError(1, "file", "the header row needs an 'id' column."));
        }
        else if (failure is null && gold && !header.Contains("answer"))
        {
            failure = new ImportRow(1, null, null, null, new ImportError(1, "file", "gold items need an 'answer' column."));
        }

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
                row = new ImportRow(csv.Parser.Row, csv.GetField("id"), payload, answer) { Tolerance = string.IsNullOrWhiteSpace(tolerance) ? null : tolerance.Trim() };
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
