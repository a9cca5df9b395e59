using Microsoft.EntityFrameworkCore;

namespace Marketplace.Payouts;

public enum PostingStatus
{
    Posted = 1,

    /// <summary>The cause had already posted; nothing new was added. Retries land here.</summary>
    AlreadyPosted = 2,

    /// <summary>A guarded account would have gone below zero; nothing was added.</summary>
    InsufficientFunds = 3,
}

public sealed record PostingResult(PostingStatus Status, LedgerTransaction? Transaction, LedgerAccountId? ShortAccount = null, Money? ShortBalance = null)
{
    public bool Succeeded => Status is PostingStatus.Posted or PostingStatus.AlreadyPosted;

    /// <summary>
    /// For a fresh posting, what each guarded account it draws on holds once it is saved (the balance it was checked
    /// against, less the posting), so a caller holding that account's lock needs no second read.
    /// </summary>
    public IReadOnlyDictionary<LedgerAccountId, Money> BalancesAfter { get; init; } = new Dictionary<LedgerAccountId, Money>();
}

/// <summary>
/// Appends balanced transactions; balances derive from entries, and guarded accounts keep a running balance on their
/// row in step with them. Posting only stages the transaction in the
/// caller's unit of work: nothing is written until the caller saves, so a posting commits or rolls back together
/// with the caller's own changes (a label's acceptance and its earnings are one transaction).
/// </summary>
/// <remarks>
/// Concurrency: every posting bumps the version of each guarded account it touches. Two units of work that both
/// checked a balance and both moved money out of the same account cannot both save: the second gets
/// <see cref="DbUpdateConcurrencyException"/> (or a unique-key violation for an account's first posting) and must
/// be retried from the start, which Hangfire jobs do by themselves.
/// </remarks>
public sealed class Ledger(IPayoutsDb db, TimeProvider clock)
{
    public async Task<PostingResult> PostAsync(LedgerCause cause, IReadOnlyCollection<LedgerLine> lines, string memo, CancellationToken ct = default)
    {
        // Built first so an unbalanced transaction is refused even when its cause already posted.
        var transaction = LedgerTransaction.Create(cause, lines, clock.GetUtcNow().UtcDateTime, memo);
        if (await FindAsync(cause, ct) is { } existing)
        {
            return new PostingResult(PostingStatus.AlreadyPosted, existing);
        }

        return await AppendAsync(transaction, ct);
    }

    /// <summary>Posts the exact opposite of a transaction, linked to it. Reversing twice is <see cref="PostingStatus.AlreadyPosted"/>.</summary>
    public async Task<PostingResult> ReverseAsync(Guid transactionId, string memo, CancellationToken ct = default)
    {
        if (await FindAsync(LedgerCause.Reversal(transactionId), ct) is { } existing)
        {
            return new PostingResult(PostingStatus.AlreadyPosted, existing);
        }

        var original = db.LedgerTransactions.Local.FirstOrDefault(t => t.Id == transactionId)
            ?? await db.LedgerTransactions.Include(t => t.Entries).SingleOrDefaultAsync(t => t.Id == transactionId, ct)
            ?? throw new InvalidOperationException($"Ledger transaction {transactionId} does not exist.");
        return await AppendAsync(original.CreateReversal(clock.GetUtcNow().UtcDateTime, memo), ct);
    }

    public async Task<LedgerTransaction?> FindAsync(LedgerCause cause, CancellationToken ct = default) =>
        db.LedgerTransactions.Local.FirstOrDefault(t => t.CauseKind == cause.Kind && t.CauseId == cause.Id)
        ?? await db.LedgerTransactions.Include(t => t.Entries).SingleOrDefaultAsync(t => t.CauseKind == cause.Kind && t.CauseId == cause.Id, ct);

    /// <summary>The account's balance in its own terms (what we owe, or for clearing what we hold), including staged postings.</summary>
    /// <remarks>Guarded accounts read their running balance (one row); the platform's own accounts sum their entries.</remarks>
    public async Task<Money> BalanceAsync(LedgerAccountId account, string currency, CancellationToken ct = default)
    {
        currency = new Money(0, currency).Currency;
        if (account.IsGuarded)
        {
            var row = db.LedgerAccounts.Local.FirstOrDefault(a => a.Kind == account.Kind && a.Owner == account.Owner && a.Currency == currency)
                ?? await db.LedgerAccounts.AsNoTracking().SingleOrDefaultAsync(a => a.Kind == account.Kind && a.Owner == account.Owner && a.Currency == currency, ct);
            return new Money(row?.BalanceMinor ?? 0, currency);
        }

        var normal = account.NormalSide;
        var saved = await db.LedgerEntries
            .Where(e => e.AccountKind == account.Kind && e.AccountOwner == account.Owner && e.Currency == currency)
            .SumAsync(e => e.Direction == normal ? e.AmountMinor : -e.AmountMinor, ct);
        var staged = StagedEntries().Where(e => e.Account == account && e.Currency == currency).Sum(e => e.SignedForBalance);
        return new Money(saved + staged, currency);
    }

    /// <summary>Balances of every account of one kind in one currency, by owner, as saved.</summary>
    public async Task<IReadOnlyDictionary<string, long>> BalancesAsync(AccountKind kind, string currency, CancellationToken ct = default)
    {
        if (new LedgerAccountId(kind, "").IsGuarded)
        {
            return await db.LedgerAccounts.AsNoTracking().Where(a => a.Kind == kind && a.Currency == currency && a.BalanceMinor != 0)
                .ToDictionaryAsync(a => a.Owner, a => a.BalanceMinor, ct);
        }

        var normal = new LedgerAccountId(kind, "").NormalSide;
        var rows = await db.LedgerEntries
            .Where(e => e.AccountKind == kind && e.Currency == currency)
            .GroupBy(e => e.AccountOwner)
            .Select(g => new { Owner = g.Key, Balance = g.Sum(e => e.Direction == normal ? e.AmountMinor : -e.AmountMinor) })
            .ToListAsync(ct);
        return rows.ToDictionary(r => r.Owner, r => r.Balance);
    }

    /// <summary>
    /// Guarded accounts whose running balance differs from the sum of their entries (with both figures): empty,
    /// always. A non-empty answer means something wrote entries or rows outside <see cref="PostAsync"/>.
    /// </summary>
    public async Task<IReadOnlyList<(LedgerAccountId Account, string Currency, long Running, long Entries)>> RunningBalanceDriftAsync(CancellationToken ct = default)
    {
        var sums = await db.LedgerEntries.AsNoTracking()
            .GroupBy(e => new { e.AccountKind, e.AccountOwner, e.Currency })
            .Select(g => new { g.Key.AccountKind, g.Key.AccountOwner, g.Key.Currency, Credit = g.Sum(e => e.Direction == EntryDirection.Credit ? e.AmountMinor : -e.AmountMinor) })
            .ToListAsync(ct);
        var rows = await db.LedgerAccounts.AsNoTracking().ToListAsync(ct);
        var drift = new List<(LedgerAccountId, string, long, long)>();
        foreach (var row in rows)
        {
            var id = new LedgerAccountId(row.Kind, row.Owner);
            var credit = sums.Where(s => s.AccountKind == row.Kind && s.AccountOwner == row.Owner && s.Currency == row.Currency).Sum(s => s.Credit);
            var entries = id.NormalSide == EntryDirection.Credit ? credit : -credit;
            if (entries != row.BalanceMinor)
            {
                drift.Add((id, row.Currency, row.BalanceMinor, entries));
            }
        }

        return drift;
    }

    /// <summary>Debits minus credits per currency over the whole ledger: zero in every currency, always.</summary>
    public async Task<IReadOnlyDictionary<string, long>> TrialBalanceAsync(CancellationToken ct = default)
    {
        var rows = await db.LedgerEntries
            .GroupBy(e => e.Currency)
            .Select(g => new { Currency = g.Key, Net = g.Sum(e => e.Direction == EntryDirection.Debit ? e.AmountMinor : -e.AmountMinor) })
            .ToListAsync(ct);
        return rows.ToDictionary(r => r.Currency, r => r.Net);
    }

    private async Task<PostingResult> AppendAsync(LedgerTransaction transaction, CancellationToken ct)
    {
        var guarded = transaction.Entries
            .Where(e => e.Account.IsGuarded)
            .GroupBy(e => (e.Account, e.Currency))
            .Select(g => (g.Key.Account, g.Key.Currency, Net: g.Sum(e => e.SignedForBalance)))
            .ToList();

        // Each guarded account's row carries its balance and the version a concurrent posting must bump: one read
        // gives both, and a posting that commits after it makes this unit of work's save fail instead of overdrawing.
        var rows = new List<(LedgerAccountId Account, string Currency, long Net, LedgerAccount? Row)>();
        foreach (var (account, currency, net) in guarded)
        {
            var row = db.LedgerAccounts.Local.FirstOrDefault(a => a.Kind == account.Kind && a.Owner == account.Owner && a.Currency == currency)
                ?? await db.LedgerAccounts.SingleOrDefaultAsync(a => a.Kind == account.Kind && a.Owner == account.Owner && a.Currency == currency, ct);
            rows.Add((account, currency, net, row));
        }

        var after = new Dictionary<LedgerAccountId, Money>();
        foreach (var (account, currency, net, row) in rows.Where(r => r.Net < 0))
        {
            var balance = new Money(row?.BalanceMinor ?? 0, currency);
            if (balance.MinorUnits + net < 0)
            {
                return new PostingResult(PostingStatus.InsufficientFunds, null, account, balance);
            }

            after[account] = new Money(balance.MinorUnits + net, balance.Currency);
        }

        foreach (var (account, currency, net, row) in rows)
        {
            if (row is null)
            {
                db.LedgerAccounts.Add(new LedgerAccount(account.Kind, account.Owner, currency, 1, net));
            }
            else
            {
                row.Apply(net);
            }
        }

        db.LedgerTransactions.Add(transaction);
        return new PostingResult(PostingStatus.Posted, transaction) { BalancesAfter = after };
    }

    private IEnumerable<LedgerEntry> StagedEntries() =>
        db.ChangeTracker.Entries<LedgerEntry>().Where(e => e.State == EntityState.Added).Select(e => e.Entity);
}
