using System.Text.Json.Nodes;

namespace Marketplace.StripeFake;

/// <summary>What the fake does to one scripted request (<see cref="FakeStripeServer.Script"/>).</summary>
public sealed record FakeFault
{
    private FakeFault(int? refuse = null, bool drop = false, bool corrupt = false) => (RefuseWith, Drops, Corrupts) = (refuse, drop, corrupt);

    /// <summary>Handled normally.</summary>
    public static FakeFault Pass { get; } = new();

    /// <summary>Carried out and remembered for replay, then the connection is dropped: the answer is lost.</summary>
    public static FakeFault Drop { get; } = new(drop: true);

    /// <summary>Carried out and remembered, then answered 200 with a body that is not JSON.</summary>
    public static FakeFault Corrupt { get; } = new(corrupt: true);

    /// <summary>Refused with this status before any work: 401 is Stripe's answer to a revoked or rotated key.</summary>
    public static FakeFault Refuse(int status) => new(refuse: status);

    public int? RefuseWith { get; }

    public bool Drops { get; }

    public bool Corrupts { get; }

    /// <summary>How long to hold the answer back (random faults only).</summary>
    public TimeSpan? Delay { get; init; }
}

public sealed partial class FakeStripeServer
{
    /// <summary>
    /// The next requests to <paramref name="method"/> <paramref name="path"/> (exactly), one fault each, in order:
    /// say what happens to the first send, the retry and the lookup. Other requests are not affected.
    /// </summary>
    public void Script(string method, string path, params FakeFault[] faults)
    {
        lock (_faultsLock)
        {
            _script.AddRange(faults.Select(f => (method, path, f)));
        }
    }

    private FakeFault PickFault(string method, string path)
    {
        lock (_faultsLock)
        {
            var scripted = _script.FindIndex(s => s.Method == method && s.Path == path);
            if (scripted >= 0)
            {
                var fault = _script[scripted].Fault;
                _script.RemoveAt(scripted);
                return fault;
            }

            if (_failures.Count > 0)
            {
                return FakeFault.Refuse(_failures.Dequeue());
            }

            if (_faultDice is { } dice && dice.NextDouble() < _faultRate)
            {
                return dice.Next(4) switch
                {
                    0 => FakeFault.Refuse(500),
                    1 => FakeFault.Refuse(429),
                    2 => FakeFault.Drop,
                    _ => FakeFault.Pass with { Delay = _faultDelay },
                };
            }

            return FakeFault.Pass;
        }
    }

    private static JsonObject InjectedError(int status) => status switch
    {
        429 => Error("rate_limit_error", "rate_limit", "Injected fault."),
        401 => Error("invalid_request_error", null, "Invalid API Key provided: sk_test_****fake (injected fault)."),
        _ => Error("api_error", null, "Injected fault."),
    };
}
