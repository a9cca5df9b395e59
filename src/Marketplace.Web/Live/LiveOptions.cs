using System.ComponentModel.DataAnnotations;

namespace Marketplace.Web.Live;

/// <summary>Section <c>Live</c>: how often progress is pushed and when a lease warning goes out.</summary>
public sealed class LiveOptions
{
    public const string Section = "Live";

    /// <summary>A job's progress goes out at most this often, however many labels arrive in between.</summary>
    [Range(50, 60_000)]
    public int ProgressIntervalMs { get; set; } = 250;

    /// <summary>
    /// A busy job's items-left goes to every connected contributor at most this often (and at once when it runs
    /// out): that message fans out to the whole pool, so it is paced far slower than the buyers' progress.
    /// </summary>
    [Range(250, 600_000)]
    public int FeedIntervalMs { get; set; } = 5_000;

    /// <summary>Contributors hear that their lease is ending this many seconds before it does.</summary>
    [Range(5, 3600)]
    public int LeaseWarningSeconds { get; set; } = 60;
}
