using System.Security.Cryptography;
using System.Text;

namespace Marketplace.Web.Domain;

/// <summary>A personal API token. Only its SHA-256 hash is stored; the token itself is shown once.</summary>
public class ApiToken
{
    public const string TokenPrefix = "mkt_";

    public Guid Id { get; set; }

    public required string UserId { get; set; }

    public required string Name { get; set; }

    /// <summary>The first characters of the token, so a person can tell their tokens apart.</summary>
    public required string Prefix { get; set; }

    public required string Hash { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? ExpiresAt { get; set; }

    public DateTime? LastUsedAt { get; set; }

    public DateTime? RevokedAt { get; set; }

    /// <summary>What the token may do; chosen when it is made and never widened afterwards.</summary>
    public ApiTokenScopes Scopes { get; set; }

    public bool IsActive(DateTime now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);

    public static string NewSecret() =>
        TokenPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    // 256 random bits need no slow hash: SHA-256 is enough and lets lookups go by index.
    public static string HashOf(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}

/// <summary>
/// What an API token may do. Read: safe methods (GET). Write: methods that change something. Admin: the admin routes,
/// and only while the token's user is an admin too. Write and Admin always come with Read.
/// </summary>
[Flags]
public enum ApiTokenScopes
{
    None = 0,
    Read = 1,
    Write = 2,
    Admin = 4,
}
