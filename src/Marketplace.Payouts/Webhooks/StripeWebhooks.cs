using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stripe;

namespace Marketplace.Payouts;

public enum WebhookReceiptStatus
{
    /// <summary>Verified and stored: enqueue <see cref="ProcessStripeEvent"/> with the event id.</summary>
    Accepted = 1,

    /// <summary>Already stored (Stripe re-delivers): answer 200, enqueue nothing new.</summary>
    Duplicate = 2,

    /// <summary>Signature missing, wrong or too old: answer 400, nothing stored.</summary>
    BadSignature = 3,

    /// <summary>No webhook secret is configured (dry run): answer 400 or 404.</summary>
    NotConfigured = 4,
}

public sealed record WebhookReceipt(WebhookReceiptStatus Status, string? EventId = null, string? Type = null);

/// <summary>
/// The webhook endpoint's work: verify Stripe's signature with the configured secret and store the event once by its
/// id. Processing happens later, by id, in <see cref="ProcessStripeEvent"/>, so the endpoint answers fast.
/// </summary>
public sealed class ReceiveStripeWebhook(IPayoutsDb db, IOptions<StripeOptions> options, TimeProvider clock, ILogger<ReceiveStripeWebhook> logger)
{
    /// <summary>Stripe's own default: a signature more than five minutes old is refused (replay protection).</summary>
    public const long ToleranceSeconds = 300;

    /// <summary>The most bytes the endpoint reads; a larger body is refused unread (<see cref="StripeOptions.WebhookMaxBodyBytes"/>).</summary>
    public int MaxBodyBytes => options.Value.WebhookMaxBodyBytes;

    /// <summary>
    /// What can be checked before the body is read: a secret is configured, and the header is Stripe's shape
    /// (<c>t=…,v1=…</c>, a v1 of 64 hex digits) with a timestamp inside the tolerance. Anything else is refused without
    /// reading a byte of the body; the HMAC itself needs the body and is checked by <see cref="ExecuteAsync"/>. Null: read it.
    /// </summary>
    public WebhookReceiptStatus? Precheck(string? signatureHeader)
    {
        if (string.IsNullOrEmpty(options.Value.WebhookSecret))
        {
            return WebhookReceiptStatus.NotConfigured;
        }

        long? timestamp = null;
        var signed = false;
        foreach (var part in (signatureHeader ?? "").Split(','))
        {
            var pair = part.Split('=', 2);
            if (pair is ["t", var t] && long.TryParse(t, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds))
            {
                timestamp = seconds;
            }

            signed |= pair is ["v1", { Length: 64 } mac] && mac.All(char.IsAsciiHexDigit);
        }

        var fresh = timestamp is { } at && Math.Abs(clock.GetUtcNow().ToUnixTimeSeconds() - at) <= ToleranceSeconds;
        return signed && fresh ? null : WebhookReceiptStatus.BadSignature;
    }

    public async Task<WebhookReceipt> ExecuteAsync(string payload, string? signatureHeader, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(options.Value.WebhookSecret))
        {
            return new WebhookReceipt(WebhookReceiptStatus.NotConfigured);
        }

        Event stripeEvent;
        try
        {
            // Events carry the API version of the endpoint's settings; a mismatch is logged by processing, not refused.
            stripeEvent = EventUtility.ConstructEvent(payload, signatureHeader ?? "", options.Value.WebhookSecret, ToleranceSeconds, clock.GetUtcNow().ToUnixTimeSeconds(), throwOnApiVersionMismatch: false);
        }
        catch (Exception e) when (e is StripeException or Newtonsoft.Json.JsonException or ArgumentException)
        {
            logger.LogWarning("Stripe webhook refused: {Reason}", e.Message);
            return new WebhookReceipt(WebhookReceiptStatus.BadSignature);
        }

        if (await db.StripeEvents.AsNoTracking().AnyAsync(e => e.EventId == stripeEvent.Id, ct))
        {
            return new WebhookReceipt(WebhookReceiptStatus.Duplicate, stripeEvent.Id, stripeEvent.Type);
        }

        var record = new StripeEventRecord(stripeEvent.Id, stripeEvent.Type, DateTime.SpecifyKind(stripeEvent.Created, DateTimeKind.Utc), clock.GetUtcNow().UtcDateTime, payload);
        db.StripeEvents.Add(record);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Two deliveries of one event raced; if the other stored it, this one is a duplicate.
            db.StripeEvents.Entry(record).State = EntityState.Detached;
            if (!await db.StripeEvents.AsNoTracking().AnyAsync(e => e.EventId == stripeEvent.Id, ct))
            {
                throw;
            }

            return new WebhookReceipt(WebhookReceiptStatus.Duplicate, stripeEvent.Id, stripeEvent.Type);
        }

        return new WebhookReceipt(WebhookReceiptStatus.Accepted, stripeEvent.Id, stripeEvent.Type);
    }
}

/// <summary>
/// Applies one stored Stripe event, once. Every handler is idempotent on its own and tolerant of order: a
/// transfer.reversed that overtakes our own record of the transfer first records it as paid, an account.updated older
/// than the last one applied is ignored, a payment already in escrow is not added again.
/// </summary>
public sealed partial class ProcessStripeEvent(IPayoutsDb db, Ledger ledger, CreditReceivedPayment credit, ResolvePayout resolvePayout, TimeProvider clock, ILogger<ProcessStripeEvent> logger)
{
    public async Task<string> ExecuteAsync(string eventId, CancellationToken ct = default)
    {
        var record = await db.StripeEvents.SingleOrDefaultAsync(e => e.EventId == eventId, ct)
            ?? throw new InvalidOperationException($"Stripe event {eventId} was never stored.");
        if (record.ProcessedAt is not null)
        {
            return record.Outcome ?? "already processed";
        }

        var stripeEvent = EventUtility.ParseEvent(record.Payload, throwOnApiVersionMismatch: false);
        if (stripeEvent.ApiVersion != StripeConfiguration.ApiVersion)
        {
            logger.LogWarning("Stripe event {EventId} has API version {Version}; Stripe.net expects {Expected}", eventId, stripeEvent.ApiVersion, StripeConfiguration.ApiVersion);
        }

        var outcome = stripeEvent.Data.Object switch
        {
            PaymentIntent intent when stripeEvent.Type == EventTypes.PaymentIntentSucceeded => await PaymentSucceededAsync(intent, stripeEvent, ct),
            Transfer transfer when stripeEvent.Type == EventTypes.TransferReversed => await TransferReversedAsync(transfer, ct),
            Transfer transfer when stripeEvent.Type == EventTypes.TransferCreated => await TransferCreatedAsync(transfer, ct),
            Account account when stripeEvent.Type == EventTypes.AccountUpdated => await AccountUpdatedAsync(account, DateTime.SpecifyKind(stripeEvent.Created, DateTimeKind.Utc), ct),
            Charge charge when stripeEvent.Type == EventTypes.ChargeRefunded => await ChargeRefundedAsync(charge, ct),
            _ => $"ignored: {stripeEvent.Type} is not handled",
        };

        record.MarkProcessed(clock.GetUtcNow().UtcDateTime, outcome);
        await db.SaveChangesAsync(ct);
        return outcome;
    }

    private Task<string> PaymentSucceededAsync(PaymentIntent intent, Event stripeEvent, CancellationToken ct)
    {
        Guid? Named(string key) => intent.Metadata?.TryGetValue(key, out var value) == true && Guid.TryParse(value, out var id) ? id : null;
        return credit.StageAsync(
            new ReceivedPayment(intent.Id, intent.Status, intent.AmountReceived, intent.Currency ?? "", Named(StripePaymentsGateway.JobIdKey), Named(StripePaymentsGateway.FundingIdKey), stripeEvent.Account, stripeEvent.Livemode),
            ct);
    }

    private async Task<string> TransferCreatedAsync(Transfer transfer, CancellationToken ct)
    {
        var payout = await FindPayoutAsync(transfer, ct);
        if (payout is null)
        {
            return $"unmatched: transfer {transfer.Id} is no payout of ours";
        }

        // Our call's response may have been lost; Stripe's word that the transfer exists is enough.
        return await ExecutePayout.RecordPaidAsync(db, ledger, payout, transfer.Id, false, clock.GetUtcNow().UtcDateTime, ct)
            ? $"payout {payout.Id} recorded as paid from the webhook"
            : $"payout {payout.Id} already {payout.State}";
    }

    private async Task<string> TransferReversedAsync(Transfer transfer, CancellationToken ct)
    {
        var payout = await FindPayoutAsync(transfer, ct);
        if (payout is null)
        {
            return $"unmatched: reversed transfer {transfer.Id} is no payout of ours";
        }

        // Our own clawbacks reverse transfers too (and Stripe tells us): those are recorded by the clawback itself.
        var reversals = transfer.Reversals?.Data ?? [];
        var ours = reversals.Where(r => r.Metadata?.ContainsKey(StripePaymentsGateway.ClawbackIdKey) == true).ToList();
        if (ours.Count > 0)
        {
            if (ours.Sum(r => r.Amount) == transfer.AmountReversed)
            {
                return $"payout {payout.Id}: reversal by admin clawback {string.Join(", ", ours.Select(r => r.Metadata[StripePaymentsGateway.ClawbackIdKey]))}, already in the ledger";
            }

            // Part clawed back by an admin, part reversed outside the app: returning the whole payout would count the
            // clawed-back part twice. Nothing is posted; the reconciliation report shows the difference for a person.
            LogNeedsReview(logger, payout.Id, transfer.Id, transfer.AmountReversed);
            return $"needs review: transfer {transfer.Id} of payout {payout.Id} was reversed outside the app after an admin clawback; nothing posted";
        }

        if (payout.State is PayoutState.Submitted or PayoutState.NeedsLookup)
        {
            await ExecutePayout.RecordPaidAsync(db, ledger, payout, transfer.Id, false, clock.GetUtcNow().UtcDateTime, ct);
        }

        return await resolvePayout.StageReturnAsync(payout, $"transfer {transfer.Id} reversed", ct)
            ? $"payout {payout.Id} returned to available"
            : $"payout {payout.Id} already {payout.State}";
    }

    private async Task<string> AccountUpdatedAsync(Account account, DateTime asOf, CancellationToken ct)
    {
        var payoutAccount = await db.PayoutAccounts.SingleOrDefaultAsync(a => a.GatewayAccountId == account.Id, ct);
        if (payoutAccount is null)
        {
            return $"unmatched: account {account.Id} is no contributor's";
        }

        return payoutAccount.ApplyStatus(account.PayoutsEnabled, account.DetailsSubmitted, asOf)
            ? $"account {account.Id}: payouts {(account.PayoutsEnabled ? "enabled" : "disabled")}"
            : $"account {account.Id}: older than the status already applied";
    }

    private async Task<string> ChargeRefundedAsync(Charge charge, CancellationToken ct)
    {
        var refunds = await db.EscrowRefunds.Where(r => r.PaymentIntentId == charge.PaymentIntentId && r.State == RefundState.Submitted).ToListAsync(ct);
        foreach (var refund in refunds)
        {
            await RefundUnspentEscrow.SettleAsync(ledger, refund, charge.Refunds?.Data?.FirstOrDefault()?.Id ?? $"charge:{charge.Id}", false, clock.GetUtcNow().UtcDateTime, ct);
        }

        return refunds.Count == 0 ? $"charge {charge.Id}: no refund waiting" : $"charge {charge.Id}: {refunds.Count} refund(s) confirmed";
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Payout {PayoutId}: transfer {TransferId} was reversed outside the app ({AmountReversed} reversed in all) after an admin clawback; needs a person")]
    private static partial void LogNeedsReview(ILogger logger, Guid payoutId, string transferId, long amountReversed);

    private async Task<Payout?> FindPayoutAsync(Transfer transfer, CancellationToken ct)
    {
        if (transfer.Metadata?.TryGetValue(StripePaymentsGateway.PayoutIdKey, out var value) == true && Guid.TryParse(value, out var payoutId))
        {
            return await db.Payouts.SingleOrDefaultAsync(p => p.Id == payoutId, ct);
        }

        return await db.Payouts.SingleOrDefaultAsync(p => p.TransferId == transfer.Id, ct);
    }
}
