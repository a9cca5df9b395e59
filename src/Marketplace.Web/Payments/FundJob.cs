using Marketplace.Payouts;
using Marketplace.Web.Domain;
using Marketplace.Web.Jobs;

namespace Marketplace.Web.Payments;

public enum FundJobOutcome
{
    /// <summary>A payment started (or, in dry run, escrow is already credited).</summary>
    Started,

    /// <summary>The job is completed or cancelled.</summary>
    Closed,

    /// <summary>No amount was asked for and escrow already covers the price.</summary>
    NothingToFund,

    /// <summary>The gateway refused to start the payment.</summary>
    Declined,
}

public sealed record FundJobResult(FundJobOutcome Outcome, Money Amount, Money Escrow, Money Price, FundingIntent? Intent);

/// <summary>
/// A buyer funds a job: the amount asked for, or by default what the price still needs beyond escrow. The API and
/// the job page both come here, so they fund, refuse and announce alike.
/// </summary>
public sealed class FundJob(JobService jobs, EscrowQueries escrow, StartJobFunding funding, FundingEvents funded)
{
    public async Task<FundJobResult> ExecuteAsync(Job job, long? amountMinor, CancellationToken ct)
    {
        var price = new Money((await jobs.DetailsAsync(job, ct)).Price.TotalMinor, job.Currency);
        var balance = await escrow.BalanceAsync(job.Id, job.Currency, ct);
        var amount = new Money(amountMinor ?? Math.Max(0, price.MinorUnits - balance.MinorUnits), job.Currency);
        if (job.IsClosed)
        {
            return new FundJobResult(FundJobOutcome.Closed, amount, balance, price, null);
        }

        if (amount.MinorUnits <= 0)
        {
            return new FundJobResult(FundJobOutcome.NothingToFund, amount, balance, price, null);
        }

        funded.Clear();
        var intent = await funding.ExecuteAsync(job.Id, amount, Guid.CreateVersion7(), ct);
        await funded.AnnounceAsync(ct); // dry run: escrow is already credited
        return new FundJobResult(intent.Succeeded ? FundJobOutcome.Started : FundJobOutcome.Declined, amount, balance, price, intent);
    }
}
