using Marketplace.Payouts;
using Marketplace.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Payments;

/// <summary>
/// Whether a job may take a verified payment: it exists, the money is in its currency, and it is not closed (a
/// completed or cancelled job's unspent escrow has gone back to the buyer; money arriving after that would sit there).
/// </summary>
internal sealed class JobFundingPolicy(MarketplaceDbContext db) : IEscrowFundingPolicy
{
    public async Task<string?> RefusalAsync(Guid jobId, Money amount, CancellationToken ct)
    {
        var job = await db.Jobs.AsNoTracking().Where(j => j.Id == jobId).Select(j => new { j.Currency, j.Status }).SingleOrDefaultAsync(ct);
        if (job is null)
        {
            return $"job {jobId} does not exist";
        }

        if (!string.Equals(job.Currency, amount.Currency, StringComparison.OrdinalIgnoreCase))
        {
            return $"job {jobId} is priced in {job.Currency}, not {amount.Currency}";
        }

        return job.Status is Domain.JobStatus.Completed or Domain.JobStatus.Cancelled ? $"job {jobId} is {job.Status} and takes no more money" : null;
    }
}
