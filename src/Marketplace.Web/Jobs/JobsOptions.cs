using System.ComponentModel.DataAnnotations;

namespace Marketplace.Web.Jobs;

/// <summary>Section <c>Jobs</c>.</summary>
public sealed class JobsOptions
{
    public const string Section = "Jobs";

    /// <summary>The platform fee on top of contributor pay, in basis points (2000 = 20%).</summary>
    [Range(0, 10_000)]
    public int PlatformFeeBasisPoints { get; set; } = 2_000;

    /// <summary>Uploads larger than this are refused with 413 before they are read.</summary>
    [Range(1_024, 16L * 1024 * 1024 * 1024)]
    public long MaxImportBytes { get; set; } = 1L * 1024 * 1024 * 1024;

    /// <summary>How many row errors an import reports before it stops reading.</summary>
    [Range(1, 1_000)]
    public int MaxReportedImportErrors { get; set; } = 20;
}
