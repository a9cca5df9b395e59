using Marketplace.Payouts;

namespace Marketplace.Web.Payments;

/// <summary>
/// Escrow credits seen in this scope's unit of work, kept until it has committed so they can be announced then
/// (the ledger's observer runs before the save).
/// </summary>
public sealed class FundingEvents
{
    private readonly List<(Guid JobId, Money Amount)> _funded = [];

    public IReadOnlyList<(Guid JobId, Money Amount)> Funded => _funded;

    public void Add(Guid jobId, Money amount) => _funded.Add((jobId, amount));

    public void Clear() => _funded.Clear();
}
