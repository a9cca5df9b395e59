using System.ComponentModel.DataAnnotations;

namespace Marketplace.Web.Payments;

/// <summary>
/// <c>Jobs:PlatformFeeBasisPoints</c>: the platform fee on top of contributor pay, in basis points (2000 = 20%). One
/// setting: the price a buyer is shown and the fee the ledger charges both come from it.
/// </summary>
public sealed class FeeOptions
{
    public const string Section = "Jobs";

    [Range(0, 10_000)]
    public int PlatformFeeBasisPoints { get; set; } = 2_000;
}
