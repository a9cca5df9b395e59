using Marketplace.Payouts;
using Marketplace.Web.Data;
using Marketplace.Web.Domain;
using Marketplace.Web.Hosting;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Payments;

/// <summary>A payment started for a job: in dry run escrow is already credited (<c>Intent.FundedNow</c>).</summary>
public sealed record FundingStarted(Money Amount, FundingIntent Intent, JobStatus Status);

/// <summary>
/// A buyer funds a job: the amount asked for, or by default what the price still needs beyond escrow. The API and
/// the job page both come here, so they fund, refuse and announce alike.
/// </summary>
public sealed class FundJob(MarketplaceDbContext db, JobPricing pricing, EscrowQueries escrow, StartJobFunding funding, FundingEvents funded)
{
    public async Task<Outcome<FundingStarted>> ExecuteAsync(Job job, long? amountMinor, CancellationToken ct)
    {
        if (job.IsClosed)
        {
            return Failure.Conflict("Job closed", $"A {job.Status} job takes no more money.");
        }

        var price = new Money((await pricing.PriceAsync(job, ct)).TotalMinor, job.Currency);
        var balance = await escrow.BalanceAsync(job.Id, job.Currency, ct);
        var amount = new Money(amountMinor ?? Math.Max(0, price.MinorUnits - balance.MinorUnits), job.Currency);
        if (amount.MinorUnits <= 0)
        {
            return Failure.Invalid("amountMinor", $"Escrow already holds {balance}, enough for the job's price of {price}; to add more, say how much.", "Nothing to fund");
        }

        funded.Clear();
        var intent = await funding.ExecuteAsync(job.Id, amount, Guid.CreateVersion7(), ct);
        await funded.AnnounceAsync(ct); // dry run: escrow is already credited
        if (!intent.Succeeded)
        {
            return new Failure(FailureKind.PaymentRequired, "Payment not started", intent.DeclineMessage ?? "The payment could not be started.");
        }

        // In dry run a draft job is Funded already: say where it stands now.
        var status = await db.Jobs.AsNoTracking().Where(j => j.Id == job.Id).Select(j => j.Status).SingleAsync(ct);
        return new FundingStarted(amount, intent, status);
    }
}
