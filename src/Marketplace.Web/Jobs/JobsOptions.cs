using System.ComponentModel.DataAnnotations;

namespace Marketplace.Web.Jobs;

/// <summary>Section <c>Jobs</c>: uploads. The same section's platform fee is the Payments feature's (<c>FeeOptions</c>).</summary>
public sealed class JobsOptions
{
    public const string Section = "Jobs";

    /// <summary>Uploads larger than this are refused with 413 before they are read.</summary>
    [Range(1_024, 16L * 1024 * 1024 * 1024)]
    public long MaxImportBytes { get; set; } = 1L * 1024 * 1024 * 1024;

    /// <summary>How many row errors an import reports before it stops reading.</summary>
    [Range(1, 1_000)]
    public int MaxReportedImportErrors { get; set; } = 20;
}
