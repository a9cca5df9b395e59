using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Marketplace.StripeFake;

/// <summary>One request as the fake saw it.</summary>
public sealed record FakeStripeRequest(string Method, string Path, string? IdempotencyKey, string? StripeAccount, bool Replayed, int Status);

/// <summary>A Stripe event and its JSON, ready to sign and deliver.</summary>
public sealed record FakeStripeEvent(string Id, string Type, string Json, DateTimeOffset Created);

/// <summary>
/// A Stripe-compatible server on 127.0.0.1 with a random port: PaymentIntents, Transfers (create, retrieve, list),
/// Refunds, Express Accounts and AccountLinks, with Stripe's form-encoded requests, JSON objects and error shape,
/// <c>Idempotency-Key</c> replay (same key and parameters → the same response; other parameters → idempotency_error),
/// the <c>Stripe-Account</c> header, signed events, and injected faults: errors before the work
/// (<see cref="FailNext"/>), connections dropped after the work is done (<see cref="DropNextResponses"/>) and slow
/// answers (<see cref="DelayNext"/>). Requests are handled one at a time, which is all a test needs.
/// </summary>
public sealed class FakeStripeServer : IAsyncDisposable
{
    public const string SecretKey = "sk_test_fake";
    public const string WebhookSecret = "whsec_fake_endpoint_secret";

    private readonly WebApplication _app;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly object _faultsLock = new();
    private readonly Queue<int> _failures = new();
    private readonly Dictionary<string, (string Fingerprint, int Status, string Body)> _idempotent = [];
    private readonly Dictionary<string, JsonObject> _paymentIntents = [];
    private readonly List<JsonObject> _transfers = [];
    private readonly Dictionary<string, JsonObject> _refunds = [];
    private readonly Dictionary<string, JsonObject> _accounts = [];
    private readonly List<FakeStripeRequest> _requests = [];
    private int _drops;
    private int _delays;
    private TimeSpan _delay;
    private Random? _faultDice;
    private double _faultRate;
    private TimeSpan _faultDelay;
    private long _sequence;

    private FakeStripeServer(WebApplication app) => _app = app;

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Status of refunds made from now on: "succeeded" (default) or "pending" (then charge.refunded confirms).</summary>
    public string NewRefundStatus { get; set; } = "succeeded";

    /// <summary>The clock objects are stamped with; tests that move time set it.</summary>
    public Func<DateTimeOffset> Now { get; set; } = () => DateTimeOffset.UtcNow;

    public static async Task<FakeStripeServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new FakeStripeServer(app);
        app.Map("/v1/{**path}", server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = new Uri(address);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _gate.Dispose();
    }

    // ---- Faults ----

    /// <summary>The next <paramref name="count"/> requests get this status (500, 429, 503...) before any work is done.</summary>
    public void FailNext(int count, int status = 500)
    {
        lock (_faultsLock)
        {
            for (var i = 0; i < count; i++)
            {
                _failures.Enqueue(status);
            }
        }
    }

    /// <summary>The next <paramref name="count"/> requests are carried out (and remembered for replay), then the connection is dropped.</summary>
    public void DropNextResponses(int count) => Interlocked.Add(ref _drops, count);

    /// <summary>The next <paramref name="count"/> requests are carried out, then answered only after <paramref name="delay"/>.</summary>
    public void DelayNext(int count, TimeSpan delay)
    {
        _delay = delay;
        Interlocked.Add(ref _delays, count);
    }

    /// <summary>
    /// From now on, each request has probability <paramref name="rate"/> of one fault, picked evenly from: a 500 and a
    /// 429 before any work, and, after the work is done and remembered, a dropped connection or an answer held back
    /// for <paramref name="delay"/> (longer than the client waits, that is a timeout). Seeded, so a run can be replayed.
    /// A rate of 0 stops it.
    /// </summary>
    public void InjectRandomFaults(double rate, int seed, TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rate);
        lock (_faultsLock)
        {
            _faultRate = rate;
            _faultDelay = delay;
            _faultDice = rate > 0 ? new Random(seed) : null;
        }
    }

    // ---- What happened ----

    public IReadOnlyList<FakeStripeRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    public int CountRequests(string method, string path) => Requests.Count(r => r.Method == method && r.Path == path);

    /// <summary>Transfers really made (replays make none), oldest first.</summary>
    public IReadOnlyList<JsonObject> Transfers
    {
        get
        {
            lock (_transfers)
            {
                return [.. _transfers.Select(t => t.DeepClone().AsObject())];
            }
        }
    }

    public IReadOnlyList<JsonObject> Refunds
    {
        get
        {
            lock (_refunds)
            {
                return [.. _refunds.Values.Select(r => r.DeepClone().AsObject())];
            }
        }
    }

    public JsonObject? Account(string id)
    {
        lock (_accounts)
        {
            return _accounts.GetValueOrDefault(id)?.DeepClone().AsObject();
        }
    }

    // ---- Arranging (what Stripe or the buyer would do outside the app) ----

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

    private JsonObject AddReversal(JsonObject transfer, long amount, JsonObject metadata)
    {
        var reversal = new JsonObject
        {
            ["id"] = "trr_" + NewId(),
            ["object"] = "transfer_reversal",
            ["amount"] = amount,
            ["currency"] = transfer["currency"]!.GetValue<string>(),
            ["transfer"] = transfer["id"]!.GetValue<string>(),
            ["metadata"] = metadata,
            ["created"] = Unix(Now()),
        };
        var reversed = Long(transfer["amount_reversed"]) + amount;
        transfer["amount_reversed"] = reversed;
        transfer["reversed"] = reversed == Long(transfer["amount"]);
        transfer["reversals"]!["data"]!.AsArray().Add(reversal);
        return reversal;
    }

    private (int, JsonObject) CreateTransferReversal(string transferId, Dictionary<string, string?> form)
    {
        lock (_transfers)
        {
            if (_transfers.FirstOrDefault(t => (string)t["id"]! == transferId) is not { } transfer)
            {
                return (404, Error("invalid_request_error", "resource_missing", $"No such transfer: '{transferId}'", "id"));
            }

            var left = Long(transfer["amount"]) - Long(transfer["amount_reversed"]);
            var amount = form.GetValueOrDefault("amount") is { } value ? long.Parse(value, CultureInfo.InvariantCulture) : left;
            if (amount <= 0 || amount > left)
            {
                return (400, Error("invalid_request_error", "amount_too_large", $"Amount {amount} is more than the {left} left on transfer {transferId}.", "amount"));
            }

            return (200, AddReversal(transfer, amount, Metadata(form)).DeepClone().AsObject());
        }
    }

    /// <summary>A whole number from a node, whether it was set from an int, a long or parsed JSON.</summary>
    private static long Long(JsonNode? node) =>
        node!.AsValue() switch
        {
            var v when v.TryGetValue<long>(out var l) => l,
            var v when v.TryGetValue<int>(out var i) => i,
            var v => v.GetValue<System.Text.Json.JsonElement>().GetInt64(),
        };

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

    public FakeStripeEvent CreateEvent(string type, JsonObject dataObject, DateTimeOffset? created = null)
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
            ["livemode"] = false,
            ["pending_webhooks"] = 1,
            ["request"] = new JsonObject { ["id"] = null, ["idempotency_key"] = null },
            ["type"] = type,
        };
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

    // ---- The HTTP side ----

    private async Task HandleAsync(HttpContext context)
    {
        await _gate.WaitAsync();
        try
        {
            await HandleOneAsync(context);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task HandleOneAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value!;
        var key = request.Headers["Idempotency-Key"].FirstOrDefault();
        var account = request.Headers["Stripe-Account"].FirstOrDefault();

        int? injected = null;
        var (drop, delay) = (false, (TimeSpan?)null);
        lock (_faultsLock)
        {
            if (_failures.Count > 0)
            {
                injected = _failures.Dequeue();
            }
            else if (_faultDice is { } dice && dice.NextDouble() < _faultRate)
            {
                switch (dice.Next(4))
                {
                    case 0: injected = 500; break;
                    case 1: injected = 429; break;
                    case 2: drop = true; break;
                    default: delay = _faultDelay; break;
                }
            }
        }

        if (injected is { } status)
        {
            Log(request.Method, path, key, account, false, status);
            if (status == 429)
            {
                context.Response.Headers["Retry-After"] = "0";
            }

            await WriteAsync(context, status, Error(status == 429 ? "rate_limit_error" : "api_error", status == 429 ? "rate_limit" : null, "Injected fault.").ToJsonString());
            return;
        }

        if (request.Headers.Authorization.FirstOrDefault() is not { } auth || !auth.StartsWith("Bearer sk_", StringComparison.Ordinal))
        {
            Log(request.Method, path, key, account, false, 401);
            await WriteAsync(context, 401, Error("invalid_request_error", null, "Invalid API Key provided.").ToJsonString());
            return;
        }

        var form = request.HasFormContentType ? (await request.ReadFormAsync()).ToDictionary(p => p.Key, p => (string?)p.Value.ToString()) : [];
        var query = request.Query.ToDictionary(p => p.Key, p => (string?)p.Value.ToString());
        var cacheKey = $"{account}|{key}";
        var fingerprint = $"{request.Method} {path} {string.Join('&', form.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"))}";

        int responseStatus;
        string body;
        var replayed = false;
        if (request.Method == "POST" && key is not null && _idempotent.TryGetValue(cacheKey, out var cached))
        {
            if (cached.Fingerprint != fingerprint)
            {
                (responseStatus, body) = (400, Error("idempotency_error", null, $"Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '{key}' if you meant to execute a different request.").ToJsonString());
            }
            else
            {
                (responseStatus, body, replayed) = (cached.Status, cached.Body, true);
                context.Response.Headers["Idempotent-Replayed"] = "true";
            }
        }
        else
        {
            JsonObject result;
            try
            {
                (responseStatus, result) = Route(request.Method, path, form, query, account);
            }
            catch (KeyNotFoundException e)
            {
                (responseStatus, result) = (400, Error("invalid_request_error", "parameter_missing", e.Message));
            }

            body = result.ToJsonString();
            if (request.Method == "POST" && key is not null)
            {
                _idempotent[cacheKey] = (fingerprint, responseStatus, body);
            }
        }

        Log(request.Method, path, key, account, replayed, responseStatus);
        if (drop || TakeOne(ref _drops))
        {
            // The work is done and remembered; the client never hears about it.
            context.Abort();
            return;
        }

        if (delay is not null || TakeOne(ref _delays))
        {
            await Task.Delay(delay ?? _delay, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        if (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        context.Response.Headers["Request-Id"] = "req_" + NewId();
        await WriteAsync(context, responseStatus, body);
    }

    private (int Status, JsonObject Body) Route(string method, string path, Dictionary<string, string?> form, Dictionary<string, string?> query, string? stripeAccount)
    {
        var segments = path.Trim('/').Split('/');
        return (method, segments) switch
        {
            ("POST", ["v1", "payment_intents"]) => (200, CreatePaymentIntent(form)),
            ("GET", ["v1", "payment_intents", var id]) => Find(_paymentIntents, id, "payment_intent"),
            ("POST", ["v1", "transfers"]) => CreateTransfer(form),
            ("GET", ["v1", "transfers"]) => (200, ListTransfers(query)),
            ("GET", ["v1", "transfers", var id]) => FindTransfer(id),
            ("POST", ["v1", "transfers", var id, "reversals"]) => CreateTransferReversal(id, form),
            ("POST", ["v1", "refunds"]) => CreateRefund(form),
            ("POST", ["v1", "accounts"]) => (200, NewAccount((string?)form.GetValueOrDefault("email"), form.GetValueOrDefault("country") ?? "US", Metadata(form))),
            ("GET", ["v1", "accounts", var id]) => Find(_accounts, id, "account"),
            ("POST", ["v1", "account_links"]) => CreateAccountLink(form, stripeAccount),
            _ => (404, Error("invalid_request_error", null, $"Unrecognized request URL ({method}: {path}).")),
        };
    }

    private JsonObject CreatePaymentIntent(Dictionary<string, string?> form)
    {
        var id = "pi_" + NewId();
        var intent = new JsonObject
        {
            ["id"] = id,
            ["object"] = "payment_intent",
            ["amount"] = long.Parse(form["amount"]!, CultureInfo.InvariantCulture),
            ["amount_received"] = 0,
            ["currency"] = form["currency"],
            ["status"] = "requires_payment_method",
            ["client_secret"] = $"{id}_secret_{NewId()}",
            ["description"] = form.GetValueOrDefault("description"),
            ["metadata"] = Metadata(form),
            ["created"] = Unix(Now()),
            ["livemode"] = false,
        };
        lock (_paymentIntents)
        {
            _paymentIntents[id] = intent;
        }

        return intent;
    }

    private (int, JsonObject) CreateTransfer(Dictionary<string, string?> form)
    {
        var destination = form["destination"]!;
        JsonObject? account;
        lock (_accounts)
        {
            account = _accounts.GetValueOrDefault(destination);
        }

        if (account is null)
        {
            return (400, Error("invalid_request_error", "resource_missing", $"No such destination: '{destination}'", "destination"));
        }

        if (account["payouts_enabled"]?.GetValue<bool>() != true)
        {
            return (400, Error("invalid_request_error", "insufficient_capabilities_for_transfer", "Your destination account needs to have at least one of the following capabilities enabled: transfers, crypto_transfers, legacy_payments", "destination"));
        }

        var transfer = NewTransfer(long.Parse(form["amount"]!, CultureInfo.InvariantCulture), form["currency"]!, destination, form.GetValueOrDefault("transfer_group"), Metadata(form));
        return (200, transfer);
    }

    private JsonObject NewTransfer(long amount, string currency, string destination, string? group, JsonObject metadata)
    {
        var id = "tr_" + NewId();
        var transfer = new JsonObject
        {
            ["id"] = id,
            ["object"] = "transfer",
            ["amount"] = amount,
            ["amount_reversed"] = 0,
            ["currency"] = currency.ToLowerInvariant(),
            ["destination"] = destination,
            ["transfer_group"] = group,
            ["metadata"] = metadata,
            ["reversed"] = false,
            ["created"] = Unix(Now()),
            ["livemode"] = false,
            ["reversals"] = List([], $"/v1/transfers/{id}/reversals"),
        };
        lock (_transfers)
        {
            _transfers.Add(transfer);
        }

        return transfer;
    }

    private (int, JsonObject) FindTransfer(string id)
    {
        lock (_transfers)
        {
            return _transfers.FirstOrDefault(t => (string)t["id"]! == id) is { } transfer
                ? (200, transfer)
                : (404, Error("invalid_request_error", "resource_missing", $"No such transfer: '{id}'", "id"));
        }
    }

    private JsonObject ListTransfers(Dictionary<string, string?> query)
    {
        long? Bound(string name) => query.GetValueOrDefault(name) is { } value ? long.Parse(value, CultureInfo.InvariantCulture) : null;
        var gte = Bound("created[gte]");
        var lt = Bound("created[lt]");
        var limit = (int)(Bound("limit") ?? 10);
        List<JsonObject> matching;
        lock (_transfers)
        {
            // Newest first, as Stripe lists.
            matching = [.. Enumerable.Reverse(_transfers).Where(t =>
            {
                var created = t["created"]!.GetValue<long>();
                return (gte is null || created >= gte) && (lt is null || created < lt);
            })];
        }

        if (query.GetValueOrDefault("starting_after") is { } after)
        {
            matching = [.. matching.SkipWhile(t => (string)t["id"]! != after).Skip(1)];
        }

        return List(matching.Take(limit), "/v1/transfers", matching.Count > limit);
    }

    private (int, JsonObject) CreateRefund(Dictionary<string, string?> form)
    {
        var intentId = form.GetValueOrDefault("payment_intent") ?? "";
        JsonObject? intent;
        lock (_paymentIntents)
        {
            intent = _paymentIntents.GetValueOrDefault(intentId);
        }

        if (intent is null)
        {
            return (400, Error("invalid_request_error", "resource_missing", $"No such payment_intent: '{intentId}'", "payment_intent"));
        }

        var received = intent["amount_received"]!.GetValue<long>();
        long refunded;
        lock (_refunds)
        {
            refunded = _refunds.Values.Where(r => (string?)r["payment_intent"] == intentId).Sum(r => r["amount"]!.GetValue<long>());
        }

        var amount = form.GetValueOrDefault("amount") is { } value ? long.Parse(value, CultureInfo.InvariantCulture) : received - refunded;
        if (amount <= 0 || amount > received - refunded)
        {
            return (400, Error("invalid_request_error", "amount_too_large", $"Refund amount ({amount}) is greater than unrefunded amount on charge ({received - refunded})", "amount"));
        }

        var id = "re_" + NewId();
        var refund = new JsonObject
        {
            ["id"] = id,
            ["object"] = "refund",
            ["amount"] = amount,
            ["currency"] = (string?)intent["currency"],
            ["payment_intent"] = intentId,
            ["charge"] = (string?)intent["latest_charge"],
            ["status"] = NewRefundStatus,
            ["metadata"] = Metadata(form),
            ["created"] = Unix(Now()),
        };
        lock (_refunds)
        {
            _refunds[id] = refund;
        }

        return (200, refund);
    }

    private JsonObject NewAccount(string? email, string country, JsonObject? metadata)
    {
        var id = "acct_" + NewId();
        var account = new JsonObject
        {
            ["id"] = id,
            ["object"] = "account",
            ["type"] = "express",
            ["email"] = email,
            ["country"] = country,
            ["payouts_enabled"] = false,
            ["charges_enabled"] = false,
            ["details_submitted"] = false,
            ["metadata"] = metadata ?? [],
            ["created"] = Unix(Now()),
        };
        lock (_accounts)
        {
            _accounts[id] = account;
        }

        return account;
    }

    private (int, JsonObject) CreateAccountLink(Dictionary<string, string?> form, string? stripeAccount)
    {
        var accountId = form.GetValueOrDefault("account") ?? stripeAccount ?? "";
        lock (_accounts)
        {
            if (!_accounts.ContainsKey(accountId))
            {
                return (400, Error("invalid_request_error", "resource_missing", $"No such account: '{accountId}'", "account"));
            }
        }

        return (200, new JsonObject
        {
            ["object"] = "account_link",
            ["url"] = new Uri(BaseUrl, $"/connect/onboarding/{accountId}?return={Uri.EscapeDataString(form.GetValueOrDefault("return_url") ?? "")}").ToString(),
            ["created"] = Unix(Now()),
            ["expires_at"] = Unix(Now().AddMinutes(5)),
        });
    }

    private static (int, JsonObject) Find(Dictionary<string, JsonObject> objects, string id, string kind)
    {
        lock (objects)
        {
            return objects.TryGetValue(id, out var found)
                ? (200, found)
                : (404, Error("invalid_request_error", "resource_missing", $"No such {kind}: '{id}'", "id"));
        }
    }

    private static JsonObject Metadata(Dictionary<string, string?> form)
    {
        var metadata = new JsonObject();
        foreach (var (name, value) in form.Where(p => p.Key.StartsWith("metadata[", StringComparison.Ordinal) && p.Key.EndsWith(']')))
        {
            metadata[name["metadata[".Length..^1]] = value;
        }

        return metadata;
    }

    private static JsonObject List(IEnumerable<JsonObject> items, string url, bool hasMore = false) => new()
    {
        ["object"] = "list",
        ["data"] = new JsonArray([.. items.Select(i => (JsonNode)i.DeepClone())]),
        ["has_more"] = hasMore,
        ["url"] = url,
    };

    private static JsonObject Error(string type, string? code, string message, string? param = null) => new()
    {
        ["error"] = new JsonObject { ["type"] = type, ["code"] = code, ["message"] = message, ["param"] = param },
    };

    private static Task WriteAsync(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body);
    }

    private void Log(string method, string path, string? key, string? account, bool replayed, int status)
    {
        lock (_requests)
        {
            _requests.Add(new FakeStripeRequest(method, path, key, account, replayed, status));
        }
    }

    private string NewId() => $"fake{Interlocked.Increment(ref _sequence):D6}{RandomNumberGenerator.GetHexString(8, lowercase: true)}";

    private static bool TakeOne(ref int counter)
    {
        int current;
        do
        {
            current = Volatile.Read(ref counter);
            if (current <= 0)
            {
                return false;
            }
        }
        while (Interlocked.CompareExchange(ref counter, current - 1, current) != current);
        return true;
    }

    private static long Unix(DateTimeOffset at) => at.ToUnixTimeSeconds();
}
