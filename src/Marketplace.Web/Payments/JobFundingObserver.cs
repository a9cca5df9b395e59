using Marketplace.Payouts;
using Marketplace.Web.Data;
using Marketplace.Web.Domain;

namespace Marketplace.Web.Payments;

/// <summary>
/// The ledger's hook into the marketplace: when a verified payment credits a job's escrow, a draft job becomes
/// Funded in the same unit of work, so the money and the status commit together or not at all.
/// </summary>
internal sealed class JobFundingObserver(MarketplaceDbContext db, FundingEvents events) : IPayoutsObserver
{
    public async Task EscrowFundedAsync(Guid jobId, Money amount, CancellationToken ct)
    {
        events.Add(jobId, amount);
        var job = await db.Jobs.FindAsync([jobId], ct);
        if (job is { Status: JobStatus.Draft })
        {
            job.Apply(JobTransition.Fund);
        }
    }

    public Task PayoutChangedAsync(Payout payout, CancellationToken ct) => Task.CompletedTask;
}
