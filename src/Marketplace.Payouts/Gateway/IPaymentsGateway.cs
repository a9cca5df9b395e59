namespace Marketplace.Payouts;

/// <summary>
/// The payment processor, as this app uses it. Every call that creates something takes an idempotency key derived
/// from our own record id, saved before the call, so a re-send after a crash or a lost response cannot pay twice.
/// Transient trouble (429, 5xx, timeouts, dropped connections) is retried inside; when retries run out it throws
/// <see cref="PaymentsGatewayUnavailableException"/> and the caller's job retries later with the same key.
/// A definitive refusal (an invalid destination, a refund larger than the payment) is a declined result.
/// </summary>
public interface IPaymentsGateway
{
    /// <summary>True for the dry-run gateway: nothing reaches a processor and no money moves.</summary>
    bool IsDryRun { get; }

    Task<GatewayResult<GatewayPaymentIntent>> CreatePaymentIntentAsync(PaymentIntentRequest request, string idempotencyKey, CancellationToken ct = default);

    Task<GatewayPaymentIntent?> GetPaymentIntentAsync(string paymentIntentId, CancellationToken ct = default);

    Task<GatewayResult<GatewayTransfer>> CreateTransferAsync(TransferRequest request, string idempotencyKey, CancellationToken ct = default);

    Task<GatewayTransfer?> GetTransferAsync(string transferId, CancellationToken ct = default);

    /// <summary>
    /// The transfers made for one payout, whatever our records say: by its transfer group, else by its metadata among
    /// the destination's transfers since it was created. The only proof that a payout whose answer was lost did not pay.
    /// </summary>
    Task<GatewayLookup<IReadOnlyList<GatewayTransfer>>> FindPayoutTransfersAsync(PayoutTransferQuery query, CancellationToken ct = default);

    /// <summary>The reversal one clawback made of a transfer (by its metadata), or none.</summary>
    Task<GatewayLookup<GatewayTransferReversal>> FindClawbackReversalAsync(string transferId, Guid clawbackId, CancellationToken ct = default);

    /// <summary>Transfers created in [from, to), UTC, all pages.</summary>
    Task<IReadOnlyList<GatewayTransfer>> ListTransfersAsync(DateTime from, DateTime to, CancellationToken ct = default);

    /// <summary>Takes (part of) a transfer back from the connected account; the reversal carries the clawback's id.</summary>
    Task<GatewayResult<GatewayTransferReversal>> ReverseTransferAsync(TransferReversalRequest request, string idempotencyKey, CancellationToken ct = default);

    Task<GatewayResult<GatewayRefund>> CreateRefundAsync(RefundRequest request, string idempotencyKey, CancellationToken ct = default);

    Task<GatewayResult<GatewayAccount>> CreateExpressAccountAsync(ExpressAccountRequest request, string idempotencyKey, CancellationToken ct = default);

    /// <summary>A one-time onboarding link for a connected account.</summary>
    Task<Uri> CreateOnboardingLinkAsync(string accountId, Uri refreshUrl, Uri returnUrl, CancellationToken ct = default);
}

/// <summary><c>FundingId</c>: our saved <see cref="EscrowPaymentRequest"/>, carried in the metadata so the webhook finds it.</summary>
public sealed record PaymentIntentRequest(Money Amount, Guid JobId, Guid FundingId, string? Description = null);

public sealed record GatewayPaymentIntent(string Id, Money Amount, string Status, string? ClientSecret, Guid? JobId, DateTime CreatedAt)
{
    public bool Succeeded => Status == "succeeded";
}

public sealed record TransferRequest(Money Amount, string DestinationAccountId, Guid PayoutId, string ContributorId);

public sealed record GatewayTransfer(string Id, Money Amount, string DestinationAccountId, Guid? PayoutId, DateTime CreatedAt, bool Reversed);

public sealed record PayoutTransferQuery(Guid PayoutId, string DestinationAccountId, DateTime CreatedSince);

public sealed record TransferReversalRequest(string TransferId, Money Amount, Guid PayoutId, Guid ClawbackId, string Reason);

public sealed record GatewayTransferReversal(string Id, string TransferId, Money Amount);

public sealed record RefundRequest(string PaymentIntentId, Money Amount, Guid RefundId, Guid JobId);

public sealed record GatewayRefund(string Id, Money Amount, string Status, string PaymentIntentId);

public sealed record ExpressAccountRequest(string ContributorId, string? Email, string Country);

public sealed record GatewayAccount(string Id, bool PayoutsEnabled, bool DetailsSubmitted);

/// <summary>
/// A processor's answer: the object made, a definitive refusal with its code and message, or (<see cref="Ambiguous"/>)
/// an answer that says nothing certain about whether the object was made: the key was refused with other parameters
/// (idempotency_error), our credentials were (401, 403), or a success could not be read. Never treat that as a refusal:
/// the call may have done its work under an earlier send of the same key.
/// </summary>
public sealed record GatewayResult<T>(T? Value, string? DeclineCode, string? DeclineMessage, bool DryRun)
    where T : class
{
    public bool Succeeded => Value is not null;

    public bool Ambiguous { get; init; }

    public static GatewayResult<T> Success(T value, bool dryRun = false) => new(value, null, null, dryRun);

    public static GatewayResult<T> Declined(string code, string message) => new(null, code, message, false);

    public static GatewayResult<T> Unknown(string code, string message) => new(null, code, message, false) { Ambiguous = true };
}

/// <summary>A lookup at the processor: answered (with what it found, possibly nothing), or not answered and why.</summary>
public sealed record GatewayLookup<T>(bool Answered, T? Found, string? Problem)
    where T : class
{
    public static GatewayLookup<T> Of(T? found) => new(true, found, null);

    public static GatewayLookup<T> Unanswered(string problem) => new(false, null, problem);
}

/// <summary>The processor could not be reached or kept failing after retries. Safe to retry later with the same key.</summary>
public sealed class PaymentsGatewayUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
