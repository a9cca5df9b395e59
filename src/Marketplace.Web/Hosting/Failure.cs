namespace Marketplace.Web.Hosting;

/// <summary>What kind of refusal a <see cref="Failure"/> is; each becomes one HTTP status at the edge.</summary>
public enum FailureKind
{
    /// <summary>Bad input: the fields at fault are named (400).</summary>
    Invalid = 400,

    /// <summary>The payment could not be started (402).</summary>
    PaymentRequired = 402,

    /// <summary>Not allowed for this user now: not eligible, suspended (403).</summary>
    Forbidden = 403,

    /// <summary>No such thing, or not one this user may see (404; never 403, so ids leak nothing).</summary>
    NotFound = 404,

    /// <summary>Not in a state that allows it: a closed job, a stale version, a lease that expired (409).</summary>
    Conflict = 409,

    /// <summary>The upload is larger than the limit (413).</summary>
    PayloadTooLarge = 413,

    /// <summary>The upload is in a format we do not read (415).</summary>
    UnsupportedMediaType = 415,

    /// <summary>A rate limit (429).</summary>
    TooManyRequests = 429,

    /// <summary>Stripe refused (502).</summary>
    BadGateway = 502,
}

/// <summary>
/// An expected refusal (slot taken, budget exhausted, not eligible, bad input) as a use case returns it: its kind, a
/// short title, a detail that says what to do and, for bad input, the fields at fault. Unexpected failures throw
/// instead. Each feature's <c>*Api</c> turns a failure into ProblemDetails in one place
/// (<see cref="FailureResults"/>); pages show its detail.
/// </summary>
public sealed record Failure(FailureKind Kind, string Title, string Detail, IReadOnlyDictionary<string, string[]>? Errors = null)
{
    public const string ValidationTitle = "One or more validation errors occurred.";

    /// <summary>More for a client to act on (the current version after a stale edit, say); written into the ProblemDetails.</summary>
    public IReadOnlyDictionary<string, object?>? Extensions { get; init; }

    /// <summary>Nothing found (or nothing this user may see), with nothing more to say.</summary>
    public static readonly Failure NotFound = new(FailureKind.NotFound, "Not Found", "");

    /// <summary>One field is wrong: <paramref name="detail"/> is its message.</summary>
    public static Failure Invalid(string field, string detail, string title = "Invalid request") =>
        new(FailureKind.Invalid, title, detail, new Dictionary<string, string[]> { [field] = [detail] });

    /// <summary>Several fields checked at once, each with its messages.</summary>
    public static Failure Validation(IReadOnlyDictionary<string, string[]> errors, string title = ValidationTitle) =>
        new(FailureKind.Invalid, title, string.Join(" ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")), errors);

    public static Failure Missing(string title, string detail) => new(FailureKind.NotFound, title, detail);

    public static Failure Conflict(string title, string detail) => new(FailureKind.Conflict, title, detail);

    public static Failure Forbidden(string title, string detail) => new(FailureKind.Forbidden, title, detail);

    public static Failure TooMany(string title, string detail) => new(FailureKind.TooManyRequests, title, detail);

    /// <summary>Every field's messages, one line each (what a page shows).</summary>
    public IEnumerable<(string Field, string Message)> Messages =>
        Errors is null ? [("", Detail)] : Errors.SelectMany(e => e.Value.Select(m => (e.Key, m)));
}

/// <summary>What a use case returns: its value, or the <see cref="Failure"/> that stopped it.</summary>
public readonly struct Outcome<T>
{
    private Outcome(T? value, Failure? failure) => (Value, Failure) = (value, failure);

    public T? Value { get; }

    public Failure? Failure { get; }

    public bool Succeeded => Failure is null;

    public static implicit operator Outcome<T>(T value) => new(value, null);

    public static implicit operator Outcome<T>(Failure failure) => new(default, failure);
}
