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

public sealed record ImportOutcome(int Imported, IReadOnlyList<ImportError> Errors, bool Truncated, bool TooLarge = false)
{
    public bool Succeeded => Errors.Count == 0;
}

/// <summary>
/// Imports items or gold items into a job from a stream, row by row, never holding the whole file in memory.
/// The upload is first copied to a temporary file (size-limited) and every row checked, with no transaction open, so
/// a slow or huge upload never holds a lock; only a file that checked clean is stored, in one transaction read from
/// local disk. All-or-nothing: a row refused while storing (an id the job already has) rolls the whole file back.
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
        var limit = options.Value.MaxImportBytes;
        await using var file = await SpoolAsync(body, limit, ct);
        if (file is null)
        {
            return new ImportOutcome(0, [new ImportError(0, "file", $"The upload is larger than {limit:N0} bytes; split it.")], Truncated: true, TooLarge: true);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var check = new ImportRun(job, gold, now, options.Value.MaxReportedImportErrors, stage: false);
        await foreach (var row in ItemFileReader.ReadAsync(file, format, gold, ct))
        {
            if (!check.Take(row))
            {
                break;
            }
        }

        if (check.Errors.Count > 0)
        {
            return new ImportOutcome(0, check.Errors, check.Truncated);
        }

        file.Position = 0;
        return await StoreAsync(job, file, format, gold, new ImportRun(job, gold, now, options.Value.MaxReportedImportErrors, stage: true), progress, ct);
    }

    /// <summary>
    /// Copies the upload to a temporary file (deleted when closed) at the client's pace, before anything touches the
    /// database; null when it is larger than <paramref name="limit"/>.
    /// </summary>
    private static async Task<FileStream?> SpoolAsync(Stream body, long limit, CancellationToken ct)
    {
        var file = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81_920, FileOptions.Asynchronous | FileOptions.DeleteOnClose);
        var buffer = new byte[81_920];
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer, ct)) > 0)
        {
            total += read;
            if (total > limit)
            {
                await file.DisposeAsync();
                return null;
            }

            await file.WriteAsync(buffer.AsMemory(0, read), ct);
        }

        file.Position = 0;
        return file;
    }

    /// <summary>Stores a checked file in one transaction, in batches; rolls back if a row is refused while storing.</summary>
    private async Task<ImportOutcome> StoreAsync(Job job, Stream file, ImportFormat format, bool gold, ImportRun run, Func<int, Task>? progress, CancellationToken ct)
    {
        var imported = 0;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var previousDetection = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            await foreach (var row in ItemFileReader.ReadAsync(file, format, gold, ct))
            {
                if (!run.Take(row))
                {
                    break;
                }

                if (run.Batch.Count == BatchSize && run.Errors.Count == 0)
                {
                    imported += await FlushAsync(job, run.Batch, run.Errors, ct);
                    if (progress is not null && run.Errors.Count == 0)
                    {
                        await progress(imported);
                    }
                }
            }

            if (run.Errors.Count == 0 && run.Batch.Count > 0)
            {
                imported += await FlushAsync(job, run.Batch, run.Errors, ct);
            }

            if (run.Errors.Count > 0)
            {
                return new ImportOutcome(0, run.Errors, run.Truncated);
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

    /// <summary>One upload's rows as they are read: the errors so far, the ids seen, and the batch waiting to be stored.</summary>
    private sealed class ImportRun(Job job, bool gold, DateTime now, int maxErrors, bool stage)
    {
        private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

        public List<ImportError> Errors { get; } = [];

        public List<(long Row, Item Item)> Batch { get; } = new(BatchSize);

        /// <summary>True when enough errors were found to stop reading.</summary>
        public bool Truncated { get; private set; }

        /// <summary>Checks a row and stages its item while the upload has no error; false when reading should stop.</summary>
        public bool Take(ItemFileReader.ImportRow row)
        {
            if (row.Error is { } readError)
            {
                Errors.Add(readError);
                if (readError.Field == "file")
                {
                    return false; // the rest of the file cannot be read
                }
            }
            else if (Check(job, row, gold, _seen) is { } rowError)
            {
                Errors.Add(rowError);
            }
            else if (Errors.Count == 0 && stage)
            {
                Batch.Add((row.Row, new Item
                {
                    Id = Guid.CreateVersion7(),
                    JobId = job.Id,
                    ExternalId = row.Id!,
                    Payload = row.Payload!.Value.GetRawText(),
                    IsGold = gold,
                    GoldAnswer = gold ? row.Answer!.Value.GetRawText() : null,
                    GoldTolerance = ItemFileReader.ToleranceOf(row),
                    CreatedAt = now,
                }));
            }

            Truncated = Errors.Count >= maxErrors;
            return !Truncated;
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

    private static ImportError? Check(Job job, ItemFileReader.ImportRow row, bool gold, HashSet<string> seen)
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

            if (double.IsNaN(ItemFileReader.ToleranceOf(row)!.Value))
            {
                return new ImportError(row.Row, "tolerance", "must be a number above 0 and at most 1 (the overlap an answer needs).");
            }
        }

        return null;
    }
}
