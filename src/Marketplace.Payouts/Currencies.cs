using System.Collections.Frozen;

namespace Marketplace.Payouts;

/// <summary>
/// The currencies money may be kept in: the active codes of ISO 4217 (funds and precious metals excluded, since no
/// one is paid in them), and the largest amount one label may pay in any of them.
/// </summary>
public static class Currencies
{
    /// <summary>
    /// Stripe's ceiling for one amount: eight digits of minor units ($999,999.99). A label paying more could not be
    /// transferred, and keeping every price far below <see cref="long.MaxValue"/> keeps the ledger's arithmetic exact.
    /// </summary>
    public const long MaxAmountMinor = 99_999_999;

    private static readonly FrozenSet<string> Iso4217 = FrozenSet.ToFrozenSet(
    [
        "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT", "BGN", "BHD", "BIF", "BMD", "BND",
        "BOB", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD", "CDF", "CHF", "CLP", "CNY", "COP", "CRC", "CUP", "CVE", "CZK", "DJF",
        "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ", "GYD", "HKD",
        "HNL", "HTG", "HUF", "IDR", "ILS", "INR", "IQD", "IRR", "ISK", "JMD", "JOD", "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW",
        "KWD", "KYD", "KZT", "LAK", "LBP", "LKR", "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR",
        "MVR", "MWK", "MXN", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN", "PGK", "PHP", "PKR", "PLN",
        "PYG", "QAR", "RON", "RSD", "RUB", "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE", "SOS", "SRD", "SSP", "STN",
        "SVC", "SYP", "SZL", "THB", "TJS", "TMT", "TND", "TOP", "TRY", "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "UYU", "UZS", "VES",
        "VND", "VUV", "WST", "XAF", "XCD", "XOF", "XPF", "YER", "ZAR", "ZMW", "ZWL",
    ], StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether <paramref name="code"/> is an active ISO 4217 currency (any letter case).</summary>
    public static bool IsKnown(string? code) => code is { Length: 3 } && Iso4217.Contains(code);
}
