namespace Marketplace.Payouts;

/// <summary>
/// A balanced set of entries, only ever appended. Built through <see cref="Create"/>, which refuses a transaction
/// whose debits and credits differ in any currency; nothing here can be changed once made.
/// </summary>
public sealed class LedgerTransaction
{
    private readonly List<LedgerEntry> _entries = [];

    private LedgerTransaction(Guid id, CauseKind causeKind, string causeId, DateTime postedAt, string memo, Guid? reversesTransactionId)
    {
        Id = id;
        CauseKind = causeKind;
        CauseId = causeId;
        PostedAt = postedAt;
        Memo = memo;
        ReversesTransactionId = reversesTransactionId;
    }

    public Guid Id { get; }

    public CauseKind CauseKind { get; }

    public string CauseId { get; }

    public LedgerCause Cause => new(CauseKind, CauseId);

    /// <summary>UTC.</summary>
    public DateTime PostedAt { get; }

    public string Memo { get; }

    public Guid? ReversesTransactionId { get; }

    public IReadOnlyList<LedgerEntry> Entries => _entries;

    public static LedgerTransaction Create(LedgerCause cause, IReadOnlyCollection<LedgerLine> lines, DateTime postedAt, string memo, Guid? reverses = null)
    {
        if (string.IsNullOrWhiteSpace(cause.Id))
        {
            throw new ArgumentException("A transaction needs the id of what caused it.", nameof(cause));
        }

        if (lines.Count < 2)
        {
            throw new UnbalancedTransactionException("A transaction needs at least one debit and one credit.");
        }

        foreach (var line in lines)
        {
            if (line.Amount.MinorUnits <= 0)
            {
                throw new UnbalancedTransactionException($"Entry amounts are positive; {line.Account} has {line.Amount}.");
            }
        }

        foreach (var currency in lines.GroupBy(l => l.Amount.Currency))
        {
            var debits = currency.Where(l => l.Direction == EntryDirection.Debit).Sum(l => l.Amount.MinorUnits);
            var credits = currency.Where(l => l.Direction == EntryDirection.Credit).Sum(l => l.Amount.MinorUnits);
            if (debits != credits)
            {
                throw new UnbalancedTransactionException(
                    $"Debits ({debits}) and credits ({credits}) in {currency.Key} differ for {cause}.");
            }
        }

        var transaction = new LedgerTransaction(Guid.NewGuid(), cause.Kind, cause.Id, DateTime.SpecifyKind(postedAt, DateTimeKind.Utc), memo, reverses);
        foreach (var line in lines)
        {
            transaction._entries.Add(new LedgerEntry(Guid.NewGuid(), transaction.Id, line.Account.Kind, line.Account.Owner, line.Direction, line.Amount.MinorUnits, line.Amount.Currency));
        }

        return transaction;
    }

    /// <summary>The exact opposite of this transaction, linked to it; its cause makes a second reversal impossible.</summary>
    public LedgerTransaction CreateReversal(DateTime postedAt, string memo)
    {
        if (ReversesTransactionId is not null)
        {
            throw new InvalidOperationException("A reversal is not reversed; post a new transaction instead.");
        }

        var lines = Entries.Select(e => new LedgerLine(e.Account, e.Direction == EntryDirection.Debit ? EntryDirection.Credit : EntryDirection.Debit, e.Amount)).ToList();
        return Create(LedgerCause.Reversal(Id), lines, postedAt, memo, Id);
    }
}

/// <summary>One line of a transaction. Amount is positive; the direction says which side.</summary>
public sealed class LedgerEntry
{
    internal LedgerEntry(Guid id, Guid transactionId, AccountKind accountKind, string accountOwner, EntryDirection direction, long amountMinor, string currency)
    {
        Id = id;
        TransactionId = transactionId;
        AccountKind = accountKind;
        AccountOwner = accountOwner;
        Direction = direction;
        AmountMinor = amountMinor;
        Currency = currency;
    }

    public Guid Id { get; }

    public Guid TransactionId { get; }

    public AccountKind AccountKind { get; }

    public string AccountOwner { get; }

    public EntryDirection Direction { get; }

    public long AmountMinor { get; }

    public string Currency { get; }

    public LedgerAccountId Account => new(AccountKind, AccountOwner);

    public Money Amount => new(AmountMinor, Currency);

    /// <summary>This entry's effect on its account's balance, in the account's own terms (positive raises it).</summary>
    public long SignedForBalance => Direction == Account.NormalSide ? AmountMinor : -AmountMinor;
}

/// <summary>
/// A guarded account's row. It holds no balance (balances are summed from entries); its version changes with every
/// posting to the account, so two concurrent postings that each checked the balance cannot both commit.
/// </summary>
public sealed class LedgerAccount
{
    internal LedgerAccount(AccountKind kind, string owner, string currency, long version, long balanceMinor = 0)
    {
        Kind = kind;
        Owner = owner;
        Currency = currency;
        Version = version;
        BalanceMinor = balanceMinor;
    }

    public AccountKind Kind { get; }

    public string Owner { get; }

    public string Currency { get; }

    public long Version { get; private set; }

    /// <summary>
    /// The account's balance in its own terms: the sum of its entries, kept in step by every posting in the same
    /// save, so checking a guarded account costs one row instead of a sum over all its entries. The entries stay the
    /// record; <see cref="Ledger.RunningBalanceDriftAsync"/> proves the two agree.
    /// </summary>
    public long BalanceMinor { get; private set; }

    internal void Apply(long net)
    {
        BalanceMinor = checked(BalanceMinor + net);
        Version++;
    }
}

public sealed class UnbalancedTransactionException(string message) : InvalidOperationException(message);

/// <summary>
/// A posting that cannot fail on its own found its account already moved: another unit of work got there first.
/// Like <see cref="Microsoft.EntityFrameworkCore.DbUpdateConcurrencyException"/>, whose kind it is, the cure is to
/// retry the unit of work from a fresh read; scheduler jobs do that by themselves.
/// </summary>
public sealed class LedgerConflictException(string message) : Microsoft.EntityFrameworkCore.DbUpdateConcurrencyException(message);
