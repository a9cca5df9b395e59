using System.Globalization;
using System.Text.Json;
using Marketplace.Payouts;
using Marketplace.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Marketplace.Web.Audit;

/// <summary>
/// Keeps the append-only tables append-only, and writes an audit entry for every ledger transaction in the same
/// save, so a money movement and its audit line commit or roll back together. The actor is whoever the current
/// request is signed in as, or the system for schedules, webhooks and background jobs.
/// </summary>
public sealed class AuditTrailInterceptor(IHttpContextAccessor http, TimeProvider clock) : SaveChangesInterceptor
{
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Stage(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Stage(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private void Stage(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        // No DetectChanges: these entities have no setters, so only an explicit Remove or state change can alter
        // them, and those show at once.
        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (entry.State is EntityState.Modified or EntityState.Deleted && entry.Entity is AuditEntry or LedgerEntry or LedgerTransaction or TierSetVersion or TierChange)
            {
                throw new InvalidOperationException($"{entry.Entity.GetType().Name} rows are append-only: they are never changed or deleted. Post a correction instead.");
            }
        }

        var postings = context.ChangeTracker.Entries<LedgerTransaction>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList();
        if (postings.Count == 0)
        {
            return;
        }

        var actor = AuditActor.From(http.HttpContext?.User);
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var posting in postings)
        {
            var moved = posting.Entries.Where(e => e.Direction == EntryDirection.Debit)
                .GroupBy(e => e.Currency)
                .ToDictionary(g => g.Key, g => g.Sum(e => e.AmountMinor));
            context.Add(new AuditEntry
            {
                At = now,
                ActorId = actor.Id,
                ActorName = actor.Name,
                Action = $"money.{posting.CauseKind}",
                TargetKind = posting.CauseKind.ToString(),
                TargetId = posting.CauseId,
                Reason = posting.Memo.Length > 2000 ? posting.Memo[..2000] : posting.Memo,
                Details = JsonSerializer.Serialize(new
                {
                    transactionId = posting.Id,
                    reverses = posting.ReversesTransactionId,
                    amountMinor = moved,
                    entries = posting.Entries.Select(e => string.Create(CultureInfo.InvariantCulture, $"{e.Direction} {e.AccountKind}:{e.AccountOwner} {e.AmountMinor} {e.Currency}")),
                }),
            });
        }
    }
}
