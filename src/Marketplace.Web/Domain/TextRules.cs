namespace Marketplace.Web.Domain;

/// <summary>
/// What text people type may hold. Control characters corrupt exports and logs, and direction overrides (U+202E...)
/// make a name read differently from what it is; neither has a use in a title, a name or a label. Instructions and
/// answers keep line breaks and tabs.
/// </summary>
public static class TextRules
{
    public const string LineProblem = "must not contain control characters or text-direction overrides";

    /// <summary>One line: no control character at all, no direction override or isolate, no line or paragraph separator.</summary>
    public static bool IsCleanLine(string text) => text.All(c => !char.IsControl(c) && !IsDirectionControl(c) && c is not ('\u2028' or '\u2029'));

    /// <summary>Several lines: as <see cref="IsCleanLine"/>, but line feeds, carriage returns and tabs are allowed.</summary>
    public static bool IsCleanText(string text) => text.All(c => c is '\n' or '\r' or '\t' || (!char.IsControl(c) && !IsDirectionControl(c)));

    // Embeddings and overrides (U+202A-U+202E) and isolates (U+2066-U+2069); the plain marks LRM and RLM stay allowed.
    private static bool IsDirectionControl(char c) => c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');
}
