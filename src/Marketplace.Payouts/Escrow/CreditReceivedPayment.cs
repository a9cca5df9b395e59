using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Marketplace.Payouts;

/// <summary>
/// The host's say on whether a job may take this money now: it knows the job (its currency, whether it is closed),
/// this library does not. Returns why not, or null.
/// </summary>
public interface IEscrowFundingPolicy
{
    Task<string?> RefusalAsync(Guid jobId, Money amount, CancellationToken ct);
}

/// <summary>For hosts without jobs of their own (the library's tests): the request's own checks are all there is.</summary>
internal sealed class NoEscrowFundingPolicy : IEscrowFundingPolicy
{
    public Task<string?> RefusalAsync(Guid jobId, Money amount, CancellationToken ct) => Task.FromResult<string?>(null);
}

/// <summary>A succeeded payment as Stripe's verified event tells it. <c>Account</c>: the connected account the event came from; null for our own.</summary>
public sealed record ReceivedPayment(string PaymentIntentId, string Status, long AmountReceivedMinor, string Currency, Guid? JobId, Guid? FundingId, string? Account, bool LiveMode);

/// <summary>
/// Credits a job's escrow with a payment Stripe says succeeded, only when it is the payment we asked for: our saved
/// request (found by the intent's metadata), the same job, currency and amount, from our own account in our own mode,
/// for a job that still takes money. A mismatch is refused, recorded on the request and logged, never credited: the
/// money stays at Stripe for a person to refund. Stages in the caller's unit of work.
/// </summary>
public sealed partial class CreditReceivedPayment(
    IPayoutsDb db, FundEscrow fundEscrow, IEscrowFundingPolicy policy, IOptions<StripeOptions> stripe, TimeProvider clock, ILogger<CreditReceivedPayment> logger)
{
    public async Task<string> StageAsync(ReceivedPayment payment, CancellationToken ct = default)
    {
        var request = await FindRequestAsync(payment, ct);
        var refusal = Mismatch(payment, request);
        if (refusal is null && request is not null)
        {
            refusal = await policy.RefusalAsync(request.JobId, request.Amount, ct);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        if (refusal is not null || request is null)
        {
            request?.MarkRefused(refusal!, now);
            LogRefused(logger, payment.PaymentIntentId, payment.AmountReceivedMinor, payment.Currency, request?.JobId ?? payment.JobId, refusal);
            return $"refused: payment {payment.PaymentIntentId} of {payment.AmountReceivedMinor} {payment.Currency.ToUpperInvariant()} not credited: {refusal}";
        }

        request.MarkCredited(now);
        var result = await fundEscrow.StageAsync(new PaymentConfirmation(payment.PaymentIntentId, request.JobId, request.Amount), ct);
        return result.Status == FundingStatus.Funded ? $"escrow of job {request.JobId} funded with {request.Amount}" : $"payment {payment.PaymentIntentId} was already in escrow";
    }

    private async Task<EscrowPaymentRequest?> FindRequestAsync(ReceivedPayment payment, CancellationToken ct) =>
        payment.FundingId is { } fundingId
            ? await db.EscrowPaymentRequests.SingleOrDefaultAsync(r => r.Id == fundingId, ct)
            : await db.EscrowPaymentRequests.FirstOrDefaultAsync(r => r.PaymentIntentId == payment.PaymentIntentId, ct);

    private string? Mismatch(ReceivedPayment payment, EscrowPaymentRequest? request)
    {
        var currency = payment.Currency.ToUpperInvariant();
        return (payment, request) switch
        {
            ({ Account: { } account }, _) => $"it was made on connected account {account}, not on the platform's account",
            ({ LiveMode: var live }, _) when live != stripe.Value.IsLiveMode => $"it is a {(live ? "live" : "test")}-mode payment and this app runs in {(live ? "test" : "live")} mode",
            ({ Status: not "succeeded" }, _) => $"its status is {payment.Status}",
            (_, null) => "no funding request of this app matches it (its metadata names none, or one that does not exist)",
            (_, { PaymentIntentId: { } asked }) when asked != payment.PaymentIntentId => $"funding request {request.Id} was made for payment {asked}",
            ({ JobId: { } job }, _) when job != request.JobId => $"it names job {job}, but funding request {request.Id} is for job {request.JobId}",
            _ when currency != request.Currency => $"it is in {currency}, but {request.Amount} was asked for job {request.JobId}",
            _ when payment.AmountReceivedMinor != request.AmountMinor => $"{payment.AmountReceivedMinor} {currency} was received, but {request.Amount} was asked for job {request.JobId}",
            _ => null,
        };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stripe payment {PaymentIntentId} of {Amount} {Currency} (job {JobId}) was NOT credited to escrow: {Reason}. It needs a refund by a person.")]
    private static partial void LogRefused(ILogger logger, string paymentIntentId, long amount, string currency, Guid? jobId, string? reason);
}
