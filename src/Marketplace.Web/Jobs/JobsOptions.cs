using System.ComponentModel.DataAnnotations;

namespace Marketplace.Web.Jobs;

/// <summary>Section <c>Jobs</c>: uploads. The same section's platform fee is the Payments feature's (<c>FeeOptions</c>).</summary>
public sealed class JobsOptions
{
    public const string Section = "Jobs";

    /// <summary>
    /// Uploads (API and job page) larger than this are refused with 413. 256 MiB holds a million items of a few hundred
    /// bytes each; raise it for bigger payloads, or split the file.
    /// </summary>
    [Range(1_024, 16L * 1024 * 1024 * 1024)]
    public long MaxImportBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>
    /// The slowest an upload may arrive, in bytes per second after a 10 s grace period; slower ones are cut off, so a
    /// trickled upload cannot hold a connection for hours. 10 KB/s is a poor mobile link.
    /// </summary>
    [Range(0, 10_000_000)]
    public int MinUploadBytesPerSecond { get; set; } = 10_000;

    /// <summary>How many row errors an import reports before it stops reading.</summary>
    [Range(1, 1_000)]
    public int MaxReportedImportErrors { get; set; } = 20;
}
