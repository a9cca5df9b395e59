using Marketplace.Payouts;
using Marketplace.Web.Data;
using Marketplace.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Marketplace.Web.Payments;

/// <summary>items × redundancy × pay + platform fee = the budget the job needs.</summary>
public sealed record PriceBreakdown(int Items, int Redundancy, long PayPerLabelMinor, long LabelsCostMinor, int PlatformFeeBasisPoints, long PlatformFeeMinor, long TotalMinor, string Currency);

/// <summary>What a job costs its buyer: every item labelled its full redundancy at the job's pay, plus the platform fee.</summary>
public sealed class JobPricing(MarketplaceDbContext db, IOptions<PayoutsOptions> payouts)
{
    public PriceBreakdown Price(Job job, int items)
    {
        var fee = payouts.Value.PlatformFeeBasisPoints;
        var labels = new Money(job.PayPerLabelMinor, job.Currency) * ((long)items * job.Redundancy);
        var platform = labels.PercentOf(fee);
        return new PriceBreakdown(items, job.Redundancy, job.PayPerLabelMinor, labels.MinorUnits, fee, platform.MinorUnits, (labels + platform).MinorUnits, job.Currency);
    }

    public async Task<PriceBreakdown> PriceAsync(Job job, CancellationToken ct) =>
        Price(job, await db.Items.CountAsync(i => i.JobId == job.Id && !i.IsGold, ct));
}
