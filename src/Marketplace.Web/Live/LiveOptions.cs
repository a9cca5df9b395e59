using System.ComponentModel.DataAnnotations;

namespace Marketplace.Web.Live;

/// <summary>Section <c>Live</c>: how often progress is pushed and when a lease warning goes out.</summary>
public sealed class LiveOptions
{
    public const string Section = "Live";

    /// <summary>A job's progress goes out at most this often, however many labels arrive in between.</summary>
    [Range(50, 60_000)]
    public int ProgressIntervalMs { get; set; } = 250;

    /// <summary>Contributors hear that their lease is ending this many seconds before it does.</summary>
    [Range(5, 3600)]
    public int LeaseWarningSeconds { get; set; } = 60;
}
