using System.Globalization;

namespace Marketplace.Payouts;

/// <summary>An amount in integer minor units (cents) of one ISO 4217 currency. Never floating point.</summary>
public readonly record struct Money
{
    public Money(long minorUnits, string currency)
    {
        if (string.IsNullOrWhiteSpace(currency) || currency.Length != 3 || !currency.All(char.IsAsciiLetter))
        {
            throw new ArgumentException($"'{currency}' is not a three-letter ISO 4217 currency code.", nameof(currency));
        }

        MinorUnits = minorUnits;
        Currency = currency.ToUpperInvariant();
    }

    public long MinorUnits { get; }

    public string Currency { get; }

    public static Money Zero(string currency) => new(0, currency);

    public static Money operator +(Money left, Money right) => new(checked(left.MinorUnits + SameCurrency(left, right).MinorUnits), left.Currency);

    public static Money operator -(Money left, Money right) => new(checked(left.MinorUnits - SameCurrency(left, right).MinorUnits), left.Currency);

    public static Money operator *(Money money, long factor) => new(checked(money.MinorUnits * factor), money.Currency);

    public bool IsNegative => MinorUnits < 0;

    /// <summary>Splits off a percentage in basis points, rounding half away from zero, so fee + rest always equals the whole.</summary>
    public Money PercentOf(int basisPoints)
    {
        var product = checked((decimal)MinorUnits * basisPoints / 10_000m);
        return new Money((long)Math.Round(product, MidpointRounding.AwayFromZero), Currency);
    }

    public override string ToString()
    {
        var digits = MinorDigits(Currency);
        var major = MinorUnits / (decimal)Math.Pow(10, digits);
        return string.Create(CultureInfo.InvariantCulture, $"{major.ToString("N" + digits, CultureInfo.InvariantCulture)} {Currency}");
    }

    // ISO 4217 exponents for the currencies where it is not 2 (Stripe's zero-decimal list).
    public static int MinorDigits(string currency) => currency.ToUpperInvariant() switch
    {
        "BIF" or "CLP" or "DJF" or "GNF" or "JPY" or "KMF" or "KRW" or "MGA" or "PYG" or "RWF" or "UGX" or "VND" or "VUV" or "XAF" or "XOF" or "XPF" => 0,
        "BHD" or "JOD" or "KWD" or "OMR" or "TND" => 3,
        _ => 2,
    };

    private static Money SameCurrency(Money left, Money right) =>
        left.Currency == right.Currency
            ? right
            : throw new InvalidOperationException($"Cannot combine {left.Currency} with {right.Currency}.");
}
