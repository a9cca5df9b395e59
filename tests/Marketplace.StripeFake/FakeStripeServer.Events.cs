using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Marketplace.StripeFake;

/// <summary>Arranging what Stripe, a buyer or someone in the dashboard does outside the app, and the events it sends.</summary>
public sealed partial class FakeStripeServer
{
    /// <summary>A connected account as if onboarding were done (or not).</summary>
    public string CreateConnectedAccount(bool payoutsEnabled = true)
    {
        var account = NewAccount(null, "US", null);
        account["payouts_enabled"] = payoutsEnabled;
        account["details_submitted"] = payoutsEnabled;
        return (string)account["id"]!;
    }

    /// <summary>The account finishes (or loses) onboarding; returns its account.updated event.</summary>
    public FakeStripeEvent SetPayoutsEnabled(string accountId, bool enabled)
    {
        JsonObject account;
        lock (_accounts)
        {
            account = _accounts[accountId];
            account["payouts_enabled"] = enabled;
            account["details_submitted"] = enabled;
        }

        return CreateEvent("account.updated", account);
    }

    /// <summary>The buyer pays: the intent succeeds; returns its payment_intent.succeeded event.</summary>
    public FakeStripeEvent SucceedPaymentIntent(string paymentIntentId)
    {
        JsonObject intent;
        lock (_paymentIntents)
        {
            intent = _paymentIntents[paymentIntentId];
            intent["status"] = "succeeded";
            intent["amount_received"] = intent["amount"]!.GetValue<long>();
            intent["latest_charge"] = "ch_" + NewId();
        }

        return CreateEvent("payment_intent.succeeded", intent);
    }

    /// <summary>A transfer made from the dashboard, say: the app never asked for it.</summary>
    public JsonObject CreateTransferOutsideTheApp(long amount, string currency, string destination)
    {
        var transfer = NewTransfer(amount, currency, destination, null, []);
        return transfer.DeepClone().AsObject();
    }

    /// <summary>Stripe (or someone in the dashboard) reverses what is left of a transfer; returns its transfer.reversed event.</summary>
    public FakeStripeEvent ReverseTransfer(string transferId)
    {
        JsonObject transfer;
        lock (_transfers)
        {
            transfer = _transfers.Single(t => (string)t["id"]! == transferId);
            var left = Long(transfer["amount"]) - Long(transfer["amount_reversed"]);
            AddReversal(transfer, left, []);
        }

        return CreateEvent("transfer.reversed", transfer);
    }

    /// <summary>The transfer.reversed event Stripe sends for the transfer as it stands (after a reversal the app made).</summary>
    public FakeStripeEvent TransferReversedEvent(string transferId)
    {
        lock (_transfers)
        {
            return CreateEvent("transfer.reversed", _transfers.Single(t => (string)t["id"]! == transferId));
        }
    }

    /// <summary>Reversals of one transfer, oldest first.</summary>
    public IReadOnlyList<JsonObject> ReversalsOf(string transferId)
    {
        lock (_transfers)
        {
            return [.. _transfers.Single(t => (string)t["id"]! == transferId)["reversals"]!["data"]!.AsArray().Select(r => r!.DeepClone().AsObject())];
        }
    }

    /// <summary>The charge.refunded event for a payment intent with the refunds made against it.</summary>
    public FakeStripeEvent ChargeRefundedEvent(string paymentIntentId)
    {
        JsonObject intent;
        lock (_paymentIntents)
        {
            intent = _paymentIntents[paymentIntentId];
        }

        var refunds = Refunds.Where(r => (string?)r["payment_intent"] == paymentIntentId).ToList();
        var charge = new JsonObject
        {
            ["id"] = (string?)intent["latest_charge"] ?? "ch_" + NewId(),
            ["object"] = "charge",
            ["amount"] = intent["amount"]!.GetValue<long>(),
            ["amount_refunded"] = refunds.Sum(r => r["amount"]!.GetValue<long>()),
            ["currency"] = (string?)intent["currency"],
            ["payment_intent"] = paymentIntentId,
            ["refunded"] = true,
            ["created"] = Unix(Now()),
            ["livemode"] = false,
            ["refunds"] = List(refunds, "/v1/refunds"),
        };
        return CreateEvent("charge.refunded", charge);
    }

    /// <summary>An event about <paramref name="dataObject"/>; with <paramref name="account"/>, one a connected account's activity sends (Connect).</summary>
    public FakeStripeEvent CreateEvent(string type, JsonObject dataObject, DateTimeOffset? created = null, string? account = null, bool liveMode = false)
    {
        var id = "evt_" + NewId();
        var at = created ?? Now();
        var json = new JsonObject
        {
            ["id"] = id,
            ["object"] = "event",
            ["api_version"] = Stripe.StripeConfiguration.ApiVersion,
            ["created"] = Unix(at),
            ["data"] = new JsonObject { ["object"] = dataObject.DeepClone() },
            ["livemode"] = liveMode,
            ["pending_webhooks"] = 1,
            ["request"] = new JsonObject { ["id"] = null, ["idempotency_key"] = null },
            ["type"] = type,
        };
        if (account is not null)
        {
            json["account"] = account;
        }

        return new FakeStripeEvent(id, type, json.ToJsonString(), at);
    }

    /// <summary>The Stripe-Signature header for a payload: <c>t=…,v1=hex(HMAC-SHA256(secret, "t.payload"))</c>.</summary>
    public static string Sign(string payload, DateTimeOffset at, string secret = WebhookSecret)
    {
        var timestamp = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{payload}"));
        return $"t={timestamp},v1={Convert.ToHexStringLower(mac)}";
    }

    /// <summary>Delivers a signed event to the app's webhook endpoint, as Stripe would.</summary>
    public async Task<HttpResponseMessage> DeliverAsync(HttpClient client, Uri endpoint, FakeStripeEvent stripeEvent, string secret = WebhookSecret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new StringContent(stripeEvent.Json, Encoding.UTF8, "application/json") };
        request.Headers.Add("Stripe-Signature", Sign(stripeEvent.Json, Now(), secret));
        return await client.SendAsync(request);
    }
}
