namespace Marketplace.Payouts;

/// <summary>
/// The host's hook into money events. Called inside the unit of work, before it is saved: changes the host makes
/// to its own entities (a job becoming Funded) commit with the ledger. Live notifications should wait for the commit.
/// </summary>
public interface IPayoutsObserver
{
    Task EscrowFundedAsync(Guid jobId, Money amount, CancellationToken ct);

    Task PayoutChangedAsync(Payout payout, CancellationToken ct);
}

internal sealed class NoPayoutsObserver : IPayoutsObserver
{
    public Task EscrowFundedAsync(Guid jobId, Money amount, CancellationToken ct) => Task.CompletedTask;

    public Task PayoutChangedAsync(Payout payout, CancellationToken ct) => Task.CompletedTask;
}
