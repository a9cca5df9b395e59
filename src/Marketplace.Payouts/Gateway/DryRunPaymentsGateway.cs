using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Marketplace.Payouts;

/// <summary>What the dry-run gateway would have asked Stripe to do.</summary>
public sealed record DryRunCall(DateTime At, string Operation, string IdempotencyKey, string Description);

/// <summary>
/// DRY RUN: used when no Stripe secret key is configured. Nothing leaves this process and no money moves; every
/// call is recorded (see <see cref="Calls"/>) and the records it makes are flagged <c>DryRun</c> so the UI can say
/// plainly that no one was charged or paid. Ids are derived from the idempotency key, so a re-send returns the
/// same object, as Stripe would.
/// </summary>
public sealed class DryRunPaymentsGateway(TimeProvider clock) : IPaymentsGateway
{
    private const int MaxRecordedCalls = 1_000;
    private readonly ConcurrentQueue<DryRunCall> _calls = new();
    private readonly ConcurrentDictionary<string, GatewayTransfer> _transfers = new();
    private readonly ConcurrentDictionary<string, GatewayPaymentIntent> _intents = new();

    public bool IsDryRun => true;

    /// <summary>The most recent calls, oldest first (bounded; this is for display, not an audit trail).</summary>
    public IReadOnlyList<DryRunCall> Calls => [.. _calls];

    public Task<GatewayResult<GatewayPaymentIntent>> CreatePaymentIntentAsync(PaymentIntentRequest request, string idempotencyKey, CancellationToken ct = default)
    {
        var id = "dryrun_pi_" + Suffix(idempotencyKey);
        // Succeeded at once: there is no card and no webhook in a dry run.
        var intent = _intents.GetOrAdd(id, _ => new GatewayPaymentIntent(id, request.Amount, "succeeded", id + "_secret_dryrun", request.JobId, Now()));
        Record("create payment intent", idempotencyKey, $"charge {request.Amount} for job {request.JobId}");
        return Task.FromResult(GatewayResult<GatewayPaymentIntent>.Success(intent, dryRun: true));
    }

    public Task<GatewayPaymentIntent?> GetPaymentIntentAsync(string paymentIntentId, CancellationToken ct = default) =>
        Task.FromResult(_intents.GetValueOrDefault(paymentIntentId));

    public Task<GatewayResult<GatewayTransfer>> CreateTransferAsync(TransferRequest request, string idempotencyKey, CancellationToken ct = default)
    {
        var id = "dryrun_tr_" + Suffix(idempotencyKey);
        var transfer = _transfers.GetOrAdd(id, _ => new GatewayTransfer(id, request.Amount, request.DestinationAccountId, request.PayoutId, Now(), false));
        Record("create transfer", idempotencyKey, $"pay {request.Amount} to {request.DestinationAccountId} (payout {request.PayoutId})");
        return Task.FromResult(GatewayResult<GatewayTransfer>.Success(transfer, dryRun: true));
    }

    public Task<GatewayTransfer?> GetTransferAsync(string transferId, CancellationToken ct = default) =>
        Task.FromResult(_transfers.GetValueOrDefault(transferId));

    public Task<GatewayLookup<IReadOnlyList<GatewayTransfer>>> FindPayoutTransfersAsync(PayoutTransferQuery query, CancellationToken ct = default) =>
        Task.FromResult(GatewayLookup<IReadOnlyList<GatewayTransfer>>.Of([.. _transfers.Values.Where(t => t.PayoutId == query.PayoutId)]));

    public Task<GatewayLookup<GatewayTransferReversal>> FindClawbackReversalAsync(string transferId, Guid clawbackId, CancellationToken ct = default) =>
        Task.FromResult(GatewayLookup<GatewayTransferReversal>.Of(null));

    public Task<IReadOnlyList<GatewayTransfer>> ListTransfersAsync(DateTime from, DateTime to, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<GatewayTransfer>>([.. _transfers.Values.Where(t => t.CreatedAt >= from && t.CreatedAt < to)]);

    public Task<GatewayResult<GatewayTransferReversal>> ReverseTransferAsync(TransferReversalRequest request, string idempotencyKey, CancellationToken ct = default)
    {
        Record("reverse transfer", idempotencyKey, $"take back {request.Amount} of {request.TransferId} (payout {request.PayoutId}): {request.Reason}");
        return Task.FromResult(GatewayResult<GatewayTransferReversal>.Success(new GatewayTransferReversal("dryrun_trr_" + Suffix(idempotencyKey), request.TransferId, request.Amount), dryRun: true));
    }

    public Task<GatewayResult<GatewayRefund>> CreateRefundAsync(RefundRequest request, string idempotencyKey, CancellationToken ct = default)
    {
        Record("create refund", idempotencyKey, $"refund {request.Amount} of {request.PaymentIntentId} (job {request.JobId})");
        return Task.FromResult(GatewayResult<GatewayRefund>.Success(new GatewayRefund("dryrun_re_" + Suffix(idempotencyKey), request.Amount, "succeeded", request.PaymentIntentId), dryRun: true));
    }

    public Task<GatewayResult<GatewayAccount>> CreateExpressAccountAsync(ExpressAccountRequest request, string idempotencyKey, CancellationToken ct = default)
    {
        Record("create express account", idempotencyKey, $"connected account for contributor {request.ContributorId}");
        // Enabled at once so a dry-run payout run has someone to "pay".
        return Task.FromResult(GatewayResult<GatewayAccount>.Success(new GatewayAccount("dryrun_acct_" + Suffix(idempotencyKey), true, true), dryRun: true));
    }

    public Task<Uri> CreateOnboardingLinkAsync(string accountId, Uri refreshUrl, Uri returnUrl, CancellationToken ct = default)
    {
        Record("create account link", accountId, "onboarding skipped: dry run");
        return Task.FromResult(returnUrl);
    }

    private DateTime Now() => clock.GetUtcNow().UtcDateTime;

    private void Record(string operation, string key, string description)
    {
        _calls.Enqueue(new DryRunCall(Now(), operation, key, "DRY RUN, nothing sent: " + description));
        while (_calls.Count > MaxRecordedCalls && _calls.TryDequeue(out _))
        {
        }
    }

    private static string Suffix(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..24];
}
