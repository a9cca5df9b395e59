using System.Globalization;
using System.Text;
using System.Text.Json;
using Marketplace.Web.Data;
using Marketplace.Web.Domain;
using Marketplace.Web.Hosting;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Audit;

/// <summary>What the audit log may be filtered by; every part optional. <c>Action</c> matches a prefix (<c>case.</c>, <c>money.</c>).</summary>
public sealed record AuditFilter(string? Action = null, string? Actor = null, string? TargetKind = null, string? TargetId = null, DateTime? From = null, DateTime? To = null);

public sealed record AuditLine(long Id, DateTime At, string ActorId, string ActorName, string Action, string TargetKind, string TargetId, string? Reason, string? Details);

public sealed record AuditPage(IReadOnlyList<AuditLine> Entries, long? Before);

/// <summary>
/// Writes and reads the append-only audit log. <see cref="Record"/> stages an entry in the caller's unit of work,
/// so an admin action and its audit line are saved together or not at all.
/// </summary>
public sealed class AuditLog(MarketplaceDbContext db, TimeProvider clock)
{
    public const int PageSize = 100;

    public AuditEntry Record(AuditActor actor, string action, string targetKind, string targetId, string? reason = null, object? details = null)
    {
        var entry = new AuditEntry
        {
            At = clock.GetUtcNow().UtcDateTime,
            ActorId = actor.Id,
            ActorName = actor.Name,
            Action = action,
            TargetKind = targetKind,
            TargetId = targetId,
            Reason = reason,
            Details = details is null ? null : JsonSerializer.Serialize(details, JsonSerializerOptions.Web),
        };
        db.Add(entry);
        return entry;
    }

    /// <summary>Newest first, <see cref="PageSize"/> at a time; pass the returned <c>Before</c> for the next page.</summary>
    public async Task<AuditPage> SearchAsync(AuditFilter filter, long? before, CancellationToken ct)
    {
        var query = Filter(filter);
        if (before is { } cursor)
        {
            query = query.Where(e => e.Id < cursor);
        }

        var entries = await query.OrderByDescending(e => e.Id).Take(PageSize).Select(Line).ToListAsync(ct);
        return new AuditPage(entries, entries.Count == PageSize ? entries[^1].Id : null);
    }

    public static readonly string[] CsvColumns = ["id", "at", "actor_id", "actor", "action", "target_kind", "target_id", "reason", "details"];

    /// <summary>The whole filtered log as CSV, oldest first, streamed row by row; cells a spreadsheet would run as formulas are escaped.</summary>
    public async Task WriteCsvAsync(AuditFilter filter, Stream output, CancellationToken ct)
    {
        await using var text = new StreamWriter(output, new UTF8Encoding(false), bufferSize: 64 * 1024, leaveOpen: true);
        await using var csv = await SpreadsheetCsv.OpenAsync(text, CsvColumns);
        await foreach (var e in Filter(filter).OrderBy(e => e.Id).AsAsyncEnumerable().WithCancellation(ct))
        {
            csv.WriteField(e.Id);
            csv.WriteField(e.At.ToString("O", CultureInfo.InvariantCulture));
            csv.WriteField(e.ActorId);
            csv.WriteField(e.ActorName);
            csv.WriteField(e.Action);
            csv.WriteField(e.TargetKind);
            csv.WriteField(e.TargetId);
            csv.WriteField(e.Reason ?? "");
            csv.WriteField(e.Details ?? "");
            await csv.NextRecordAsync();
        }

        await csv.FlushAsync();
        await text.FlushAsync(ct);
    }

    private IQueryable<AuditEntry> Filter(AuditFilter filter)
    {
        var query = db.Set<AuditEntry>().AsNoTracking();
        if (!string.IsNullOrWhiteSpace(filter.Action))
        {
            var action = filter.Action.Trim();
            query = query.Where(e => e.Action.StartsWith(action));
        }

        if (!string.IsNullOrWhiteSpace(filter.Actor))
        {
            var actor = filter.Actor.Trim();
            query = query.Where(e => e.ActorId == actor || e.ActorName == actor);
        }

        if (!string.IsNullOrWhiteSpace(filter.TargetKind))
        {
            var kind = filter.TargetKind.Trim();
            query = query.Where(e => e.TargetKind == kind);
        }

        if (!string.IsNullOrWhiteSpace(filter.TargetId))
        {
            var target = filter.TargetId.Trim();
            query = query.Where(e => e.TargetId == target);
        }

        if (filter.From is { } from)
        {
            var start = from.ToUniversalTime();
            query = query.Where(e => e.At >= start);
        }

        if (filter.To is { } to)
        {
            var end = to.ToUniversalTime();
            query = query.Where(e => e.At < end);
        }

        return query;
    }

    private static readonly System.Linq.Expressions.Expression<Func<AuditEntry, AuditLine>> Line =
        e => new AuditLine(e.Id, e.At, e.ActorId, e.ActorName, e.Action, e.TargetKind, e.TargetId, e.Reason, e.Details);
}
