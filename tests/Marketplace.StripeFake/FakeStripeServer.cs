using System.Net;
using System.Security.Cryptography;
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
/// A Stripe-compatible server on 127.0.0.1 with a random port: PaymentIntents, Transfers (create, retrieve, list by
/// date, group or destination), transfer reversals (create, list), Refunds, Express Accounts and AccountLinks, with
/// Stripe's form-encoded requests, JSON objects and error shape, <c>Idempotency-Key</c> replay for a day (same key and
/// parameters → the same response; other parameters → idempotency_error; after <see cref="IdempotencyWindow"/> the key
/// is forgotten), the <c>Stripe-Account</c> header, signed events, and injected faults: errors before the work
/// (<see cref="FailNext"/>), connections dropped after the work is done (<see cref="DropNextResponses"/>), slow
/// answers (<see cref="DelayNext"/>) and, per path and in order, any of those or an unreadable 200
/// (<see cref="Script"/>). Requests are handled one at a time, which is all a test needs.
/// </summary>
public sealed partial class FakeStripeServer : IAsyncDisposable
{
    public const string SecretKey = "sk_test_fake";
    public const string WebhookSecret = "whsec_fake_endpoint_secret";

    private readonly WebApplication _app;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly object _faultsLock = new();
    private readonly Queue<int> _failures = new();
    private readonly List<(string Method, string Path, FakeFault Fault)> _script = [];
    private readonly Dictionary<string, (string Fingerprint, int Status, string Body, DateTimeOffset At)> _idempotent = [];
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

    /// <summary>How long a key's answer is remembered, as Stripe does: after it, the same key is a new request.</summary>
    public static TimeSpan IdempotencyWindow { get; } = TimeSpan.FromHours(24);

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
        var fault = PickFault(request.Method, path);
        if (fault.RefuseWith is { } status)
        {
            Log(request.Method, path, key, account, false, status);
            if (status == 429)
            {
                context.Response.Headers["Retry-After"] = "0";
            }

            await WriteAsync(context, status, InjectedError(status).ToJsonString());
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
        var (responseStatus, body, replayed) = Execute(request.Method, path, form, query, key, account);
        if (replayed)
        {
            context.Response.Headers["Idempotent-Replayed"] = "true";
        }

        Log(request.Method, path, key, account, replayed, responseStatus);
        if (fault.Drops || TakeOne(ref _drops))
        {
            // The work is done and remembered; the client never hears about it.
            context.Abort();
            return;
        }

        if (fault.Delay is not null || TakeOne(ref _delays))
        {
            await Task.Delay(fault.Delay ?? _delay, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        if (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        context.Response.Headers["Request-Id"] = "req_" + NewId();
        // A corrupted answer: the work is done, and the 200 that says so cannot be parsed.
        await WriteAsync(context, fault.Corrupts ? 200 : responseStatus, fault.Corrupts ? body[..Math.Min(body.Length, 20)] : body);
    }

    /// <summary>Runs a request, or replays the answer remembered for its idempotency key (for <see cref="IdempotencyWindow"/>).</summary>
    private (int Status, string Body, bool Replayed) Execute(string method, string path, Dictionary<string, string?> form, Dictionary<string, string?> query, string? key, string? account)
    {
        var cacheKey = $"{account}|{key}";
        var fingerprint = $"{method} {path} {string.Join('&', form.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"))}";
        if (method == "POST" && key is not null && _idempotent.TryGetValue(cacheKey, out var cached) && Now() - cached.At < IdempotencyWindow)
        {
            return cached.Fingerprint != fingerprint
                ? (400, Error("idempotency_error", null, $"Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '{key}' if you meant to execute a different request.").ToJsonString(), false)
                : (cached.Status, cached.Body, true);
        }

        JsonObject result;
        int status;
        try
        {
            (status, result) = Route(method, path, form, query, account);
        }
        catch (KeyNotFoundException e)
        {
            (status, result) = (400, Error("invalid_request_error", "parameter_missing", e.Message));
        }

        var body = result.ToJsonString();
        if (method == "POST" && key is not null)
        {
            _idempotent[cacheKey] = (fingerprint, status, body, Now());
        }

        return (status, body, false);
    }

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
