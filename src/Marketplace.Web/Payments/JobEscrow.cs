using Marketplace.Payouts;
using Marketplace.Web.Domain;

namespace Marketplace.Web.Payments;

public sealed record EscrowView(long BalanceMinor, string Currency, long NeededMinor, bool DryRun, IReadOnlyList<FundingLine> Fundings, IReadOnlyList<RefundLine> Refunds);

public sealed record FundingLine(string PaymentIntentId, long AmountMinor, DateTime At, bool DryRun);

public sealed record RefundLine(long AmountMinor, string State, DateTime At);

/// <summary>A job's escrow as its buyer sees it: the balance against the price, every funding and every refund.</summary>
public sealed class JobEscrow(EscrowQueries escrow, JobPricing pricing, IPaymentsGateway gateway)
{
    public async Task<EscrowView> ReadAsync(Job job, CancellationToken ct)
    {
        var price = await pricing.PriceAsync(job, ct);
        var balance = await escrow.BalanceAsync(job.Id, job.Currency, ct);
        var fundings = (await escrow.FundingsAsync(job.Id, ct)).Select(f => new FundingLine(f.PaymentIntentId, f.AmountMinor, f.FundedAt, f.DryRun)).ToList();
        var refunds = (await escrow.RefundsAsync(job.Id, ct)).Select(r => new RefundLine(r.AmountMinor, r.State.ToString(), r.CreatedAt)).ToList();
        return new EscrowView(balance.MinorUnits, job.Currency, price.TotalMinor, gateway.IsDryRun, fundings, refunds);
    }
}
