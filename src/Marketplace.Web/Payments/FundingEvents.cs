using Marketplace.Payouts;

namespace Marketplace.Web.Payments;

/// <summary>
/// Escrow credits seen in this scope's unit of work, kept until it has committed so they can be announced then
/// (the ledger's observer runs before the save).
/// </summary>
public sealed class FundingEvents(EscrowQueries escrow, Live.ILiveNotifier live)
{
    private readonly List<(Guid JobId, Money Amount)> _funded = [];

    public void Add(Guid jobId, Money amount) => _funded.Add((jobId, amount));

    public void Clear() => _funded.Clear();

    /// <summary>Tells each funded job's watchers that money arrived; call once the credit has committed.</summary>
    public async Task AnnounceAsync(CancellationToken ct)
    {
        foreach (var (jobId, amount) in _funded)
        {
            var balance = await escrow.BalanceAsync(jobId, amount.Currency, ct);
            await live.FundingConfirmedAsync(new Live.FundingNotice(jobId, amount.MinorUnits, amount.Currency, balance.MinorUnits), ct);
        }

        _funded.Clear();
    }
}
