using Microsoft.EntityFrameworkCore;

namespace Marketplace.Payouts;

public enum ReconciliationStatus
{
    Matched = 1,

    /// <summary>Both sides know it, with different amounts.</summary>
    AmountMismatch = 2,

    /// <summary>The ledger says it happened; the gateway has no record (or not in the state the ledger says).</summary>
    MissingAtGateway = 3,

    /// <summary>The gateway moved money the ledger cannot explain.</summary>
    Unexplained = 4,
}

public enum ReconciliationKind
{
    Transfer = 1,
    Payment = 2,
}

public sealed record ReconciliationLine(ReconciliationKind Kind, ReconciliationStatus Status, string Reference, DateOnly Day, Money? Ledger, Money? Gateway, string? Note = null);

public sealed record ReconciliationDay(DateOnly Day, string Currency, long LedgerPayoutsMinor, long GatewayTransfersMinor, long LedgerPaymentsMinor);

public sealed record ReconciliationReport(DateTime From, DateTime To, IReadOnlyList<ReconciliationLine> Lines, IReadOnlyList<ReconciliationDay> Days)
{
    public IEnumerable<ReconciliationLine> Matched => Lines.Where(l => l.Status == ReconciliationStatus.Matched);

    public IEnumerable<ReconciliationLine> Problems => Lines.Where(l => l.Status != ReconciliationStatus.Matched);

    public bool IsClean => !Problems.Any();
}

/// <summary>
/// Compares the ledger with the gateway over a period (UTC): every paid payout against its transfer, every gateway
/// transfer against a payout, every buyer payment against its PaymentIntent; totals per day and currency.
/// Dry-run records are left out: no processor holds them.
/// </summary>
public sealed class ReconcileLedger(IPayoutsDb db, IPaymentsGateway gateway)
{
    public async Task<ReconciliationReport> ExecuteAsync(DateTime from, DateTime to, CancellationToken ct = default)
    {
        var lines = new List<ReconciliationLine>();
        var paidInPeriod = await PaidPayoutsAsync(from, to, ct);

        var transfers = (await gateway.ListTransfersAsync(from, to, ct)).ToDictionary(t => t.Id);
        var explained = new HashSet<string>();
        foreach (var (payout, postedAt) in paidInPeriod)
        {
            var day = DateOnly.FromDateTime(postedAt);
            var transfer = transfers.GetValueOrDefault(payout.TransferId!) ?? await gateway.GetTransferAsync(payout.TransferId!, ct);
            explained.Add(payout.TransferId!);
            lines.Add(transfer switch
            {
                null => new(ReconciliationKind.Transfer, ReconciliationStatus.MissingAtGateway, payout.TransferId!, day, payout.Amount, null, $"payout {payout.Id}"),
                _ when transfer.Amount != payout.Amount => new(ReconciliationKind.Transfer, ReconciliationStatus.AmountMismatch, transfer.Id, day, payout.Amount, transfer.Amount, $"payout {payout.Id}"),
                _ when transfer.Reversed && payout.State != PayoutState.Returned => new(ReconciliationKind.Transfer, ReconciliationStatus.MissingAtGateway, transfer.Id, day, payout.Amount, transfer.Amount, $"payout {payout.Id}: reversed at the gateway, not in the ledger"),
                _ => new(ReconciliationKind.Transfer, ReconciliationStatus.Matched, transfer.Id, day, payout.Amount, transfer.Amount, $"payout {payout.Id}"),
            });
        }

        foreach (var transfer in transfers.Values.Where(t => !explained.Contains(t.Id)))
        {
            // Paid in another period of the ledger (the call straddled midnight) is still explained.
            var payout = await db.Payouts.AsNoTracking().SingleOrDefaultAsync(p => p.TransferId == transfer.Id, ct);
            lines.Add(payout is null
                ? new(ReconciliationKind.Transfer, ReconciliationStatus.Unexplained, transfer.Id, DateOnly.FromDateTime(transfer.CreatedAt), null, transfer.Amount, $"to {transfer.DestinationAccountId}")
                : new(ReconciliationKind.Transfer, payout.Amount == transfer.Amount ? ReconciliationStatus.Matched : ReconciliationStatus.AmountMismatch, transfer.Id, DateOnly.FromDateTime(transfer.CreatedAt), payout.Amount, transfer.Amount, $"payout {payout.Id}"));
        }

        var fundings = await db.EscrowFundings.AsNoTracking().Where(f => !f.DryRun && f.FundedAt >= from && f.FundedAt < to).ToListAsync(ct);
        foreach (var funding in fundings)
        {
            var intent = await gateway.GetPaymentIntentAsync(funding.PaymentIntentId, ct);
            var ledgerAmount = new Money(funding.AmountMinor, funding.Currency);
            var day = DateOnly.FromDateTime(funding.FundedAt);
            lines.Add(intent switch
            {
                null or { Succeeded: false } => new(ReconciliationKind.Payment, ReconciliationStatus.MissingAtGateway, funding.PaymentIntentId, day, ledgerAmount, intent?.Amount, intent is null ? "no such payment" : $"status {intent.Status}"),
                _ when intent.Amount != ledgerAmount => new(ReconciliationKind.Payment, ReconciliationStatus.AmountMismatch, funding.PaymentIntentId, day, ledgerAmount, intent.Amount, $"job {funding.JobId}"),
                _ => new(ReconciliationKind.Payment, ReconciliationStatus.Matched, funding.PaymentIntentId, day, ledgerAmount, intent.Amount, $"job {funding.JobId}"),
            });
        }

        var days = paidInPeriod.Select(p => (Day: DateOnly.FromDateTime(p.PostedAt), p.Payout.Currency, Payouts: p.Payout.AmountMinor, Transfers: 0L, Payments: 0L))
            .Concat(transfers.Values.Select(t => (Day: DateOnly.FromDateTime(t.CreatedAt), t.Amount.Currency, Payouts: 0L, Transfers: t.Amount.MinorUnits, Payments: 0L)))
            .Concat(fundings.Select(f => (Day: DateOnly.FromDateTime(f.FundedAt), f.Currency, Payouts: 0L, Transfers: 0L, Payments: f.AmountMinor)))
            .GroupBy(x => (x.Day, x.Currency))
            .OrderBy(g => g.Key.Day).ThenBy(g => g.Key.Currency, StringComparer.Ordinal)
            .Select(g => new ReconciliationDay(g.Key.Day, g.Key.Currency, g.Sum(x => x.Payouts), g.Sum(x => x.Transfers), g.Sum(x => x.Payments)))
            .ToList();
        return new ReconciliationReport(from, to, lines, days);
    }

    private async Task<List<(Payout Payout, DateTime PostedAt)>> PaidPayoutsAsync(DateTime from, DateTime to, CancellationToken ct)
    {
        var causes = await db.LedgerTransactions.AsNoTracking()
            .Where(t => t.CauseKind == CauseKind.PayoutPaid && t.PostedAt >= from && t.PostedAt < to)
            .Select(t => new { t.CauseId, t.PostedAt })
            .ToListAsync(ct);
        var byId = causes.ToDictionary(c => Guid.ParseExact(c.CauseId, "N"), c => c.PostedAt);
        var ids = byId.Keys.ToList();
        var payouts = await db.Payouts.AsNoTracking().Where(p => ids.Contains(p.Id) && !p.DryRun && p.TransferId != null).ToListAsync(ct);
        return payouts.Select(p => (p, byId[p.Id])).ToList();
    }
}
