using System.Globalization;
using System.Text;
using System.Text.Json;
using Marketplace.Scoring.Consensus;
using Marketplace.Web.Data;
using Marketplace.Web.Domain;
using Marketplace.Web.Hosting;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Jobs;

public enum ExportFormat
{
    Csv,
    JsonLines,
}

/// <summary>
/// A job's results, streamed: per item its consensus answer, confidence and label count, and every label
/// behind it (the contributor's pseudonym, never their identity; the answer; the time it took). Rows come
/// straight from one ordered query, so memory stays flat however large the job.
/// </summary>
public sealed class ResultsExport(MarketplaceDbContext db)
{
    public static readonly string[] CsvColumns = ["item_id", "consensus", "confidence", "finalized", "label_count", "contributor", "answer", "seconds"];

    public static ExportFormat? FormatOf(string? value) => value?.ToLowerInvariant() switch
    {
        null or "" or "jsonl" => ExportFormat.JsonLines,
        "csv" => ExportFormat.Csv,
        _ => null,
    };

    public static string ContentType(ExportFormat format) => format == ExportFormat.Csv ? "text/csv; charset=utf-8" : "application/jsonl; charset=utf-8";

    public static string FileName(Job job, ExportFormat format) => $"results-{job.Id:N}.{(format == ExportFormat.Csv ? "csv" : "jsonl")}";

    public async Task WriteAsync(Job job, ExportFormat format, Stream output, CancellationToken ct)
    {
        await using var text = new StreamWriter(output, new UTF8Encoding(false), bufferSize: 64 * 1024, leaveOpen: true);
        if (format == ExportFormat.Csv)
        {
            await using var csv = await SpreadsheetCsv.OpenAsync(text, CsvColumns);
            await foreach (var item in ItemsAsync(job, ct))
            {
                // One row per label; an item nobody has labelled yet still gets its row.
                var labels = item.Labels.Count == 0 ? [null] : item.Labels.ConvertAll<ExportedLabel?>(l => l);
                foreach (var label in labels)
                {
                    csv.WriteField(item.ItemId);
                    csv.WriteField(Plain(item.Consensus));
                    csv.WriteField(item.Confidence?.ToString("0.######", CultureInfo.InvariantCulture) ?? "");
                    csv.WriteField(item.Finalized ? "true" : "false");
                    csv.WriteField(item.Labels.Count);
                    csv.WriteField(label?.Contributor ?? "");
                    csv.WriteField(Plain(label?.Answer));
                    csv.WriteField(label?.Seconds?.ToString("0.###", CultureInfo.InvariantCulture) ?? "");
                    await csv.NextRecordAsync();
                }
            }

            await csv.FlushAsync();
        }
        else
        {
            await foreach (var item in ItemsAsync(job, ct))
            {
                await text.WriteLineAsync(JsonLine(item));
            }
        }

        await text.FlushAsync(ct);
    }

    private static string JsonLine(ExportedItem item)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("item_id", item.ItemId);
            json.WritePropertyName("consensus");
            WriteRaw(json, item.Consensus);
            if (item.Confidence is { } confidence)
            {
                json.WriteNumber("confidence", Math.Round(confidence, 6));
            }
            else
            {
                json.WriteNull("confidence");
            }

            json.WriteBoolean("finalized", item.Finalized);
            json.WriteNumber("label_count", item.Labels.Count);
            json.WriteStartArray("labels");
            foreach (var label in item.Labels)
            {
                json.WriteStartObject();
                json.WriteString("contributor", label.Contributor);
                json.WritePropertyName("answer");
                WriteRaw(json, label.Answer);
                if (label.Seconds is { } seconds)
                {
                    json.WriteNumber("seconds", Math.Round(seconds, 3));
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void WriteRaw(Utf8JsonWriter json, string? answer)
    {
        if (answer is null)
        {
            json.WriteNullValue();
        }
        else
        {
            json.WriteRawValue(answer, skipInputValidation: false);
        }
    }

    private static string Plain(string? answer) => answer is null ? "" : AnswerJson.Text(answer);

    /// <summary>Items in upload order, each with its submitted labels, grouped from one streamed join.</summary>
    private async IAsyncEnumerable<ExportedItem> ItemsAsync(Job job, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var rows =
            from item in db.Items.AsNoTracking()
            where item.JobId == job.Id && !item.IsGold
            join assignment in db.Assignments.AsNoTracking().Where(a => a.Status == AssignmentStatus.Submitted && a.Kind == AssignmentKind.Label)
                on item.Id equals assignment.ItemId into labels
            from label in labels.DefaultIfEmpty()
            join profile in db.ContributorProfiles.AsNoTracking() on label.ContributorId equals profile.UserId into profiles
            from profile in profiles.DefaultIfEmpty()
            orderby item.Id, label.EndedAt, label.Id
            select new
            {
                item.Id,
                item.ExternalId,
                item.ConsensusAnswer,
                item.Confidence,
                Finalized = item.FinalizedAt != null,
                Pseudonym = profile == null ? null : profile.Pseudonym,
                Answer = label == null ? null : label.Answer,
                DurationMs = label == null ? null : label.DurationMs,
            };

        ExportedItem? current = null;
        Guid currentId = default;
        await foreach (var row in rows.AsAsyncEnumerable().WithCancellation(ct))
        {
            if (current is null || row.Id != currentId)
            {
                if (current is not null)
                {
                    yield return current;
                }

                current = new ExportedItem(row.ExternalId, row.ConsensusAnswer, row.Confidence, row.Finalized, []);
                currentId = row.Id;
            }

            if (row.Answer is not null)
            {
                current.Labels.Add(new ExportedLabel(row.Pseudonym ?? "", row.Answer, row.DurationMs / 1000.0));
            }
        }

        if (current is not null)
        {
            yield return current;
        }
    }

    private sealed record ExportedItem(string ItemId, string? Consensus, double? Confidence, bool Finalized, List<ExportedLabel> Labels);

    private sealed record ExportedLabel(string Contributor, string Answer, double? Seconds);
}
