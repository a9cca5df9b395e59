using System.Security.Claims;
using AutoMapper;
using Marketplace.Web.Data;
using Marketplace.Web.Domain;
using Marketplace.Web.Hosting;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Identity;

/// <summary>What a new token is: a name, its lifetime, and its scopes (<c>read</c>, <c>write</c>, <c>admin</c>; <c>read</c> when left out).</summary>
public sealed record CreateApiTokenRequest(string? Name, int? ExpiresInDays, IReadOnlyList<string>? Scopes = null);

public sealed record CreatedApiTokenResponse(Guid Id, string Name, string Token, string Prefix, DateTime? ExpiresAt, IReadOnlyList<string> Scopes);

public sealed record ApiTokenResponse(Guid Id, string Name, string Prefix, DateTime CreatedAt, DateTime? ExpiresAt, DateTime? LastUsedAt, DateTime? RevokedAt, IReadOnlyList<string> Scopes);

/// <summary>Creates, lists and revokes a user's personal API tokens. Only a signed-in person manages them, never a token.</summary>
public sealed class ApiTokenService(MarketplaceDbContext db, TimeProvider clock, IMapper mapper)
{
    public const int MaxNameLength = 100;
    public const int MaxExpiryDays = 365;

    public async Task<Outcome<CreatedApiTokenResponse>> CreateAsync(ClaimsPrincipal user, CreateApiTokenRequest request, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var name = request.Name?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            errors["name"] = ["A token needs a name, so you can tell your tokens apart."];
        }
        else if (name.Length > MaxNameLength)
        {
            errors["name"] = [$"At most {MaxNameLength} characters."];
        }

        if (request.ExpiresInDays is < 1 or > MaxExpiryDays)
        {
            errors["expiresInDays"] = [$"Between 1 and {MaxExpiryDays} days, or leave it out for the default of 90."];
        }

        var scopes = TokenScopes.Parse(request.Scopes);
        if (scopes is null)
        {
            errors["scopes"] = [$"Scopes are {string.Join(", ", TokenScopes.All)}."];
        }
        else if (scopes.Value.HasFlag(ApiTokenScopes.Admin) && !user.IsInRole(Roles.Admin))
        {
            errors["scopes"] = ["Only an admin may make a token with the admin scope."];
        }

        if (errors.Count > 0)
        {
            return Failure.Validation(errors);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var secret = ApiToken.NewSecret();
        var token = new ApiToken
        {
            Id = Guid.CreateVersion7(),
            UserId = user.UserId(),
            Name = name!,
            Prefix = secret[..12],
            Hash = ApiToken.HashOf(secret),
            CreatedAt = now,
            ExpiresAt = now.AddDays(request.ExpiresInDays ?? 90),
            Scopes = scopes!.Value,
        };
        db.ApiTokens.Add(token);
        await db.SaveChangesAsync(ct);
        return new CreatedApiTokenResponse(token.Id, token.Name, secret, token.Prefix, token.ExpiresAt, TokenScopes.Names(token.Scopes));
    }

    public async Task<List<ApiTokenResponse>> ListAsync(string userId, CancellationToken ct) =>
        mapper.Map<List<ApiTokenResponse>>(await db.ApiTokens.AsNoTracking().Where(t => t.UserId == userId).OrderByDescending(t => t.CreatedAt).ToListAsync(ct));

    /// <summary>Revokes one of the user's tokens; a token already revoked is a conflict, someone else's or none at all is not found.</summary>
    public async Task<Failure?> RevokeAsync(string userId, Guid id, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        // One conditional update, so two revocations at once cannot both succeed.
        if (await db.ApiTokens.Where(t => t.Id == id && t.UserId == userId && t.RevokedAt == null).ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), ct) == 1)
        {
            return null;
        }

        var revokedAt = await db.ApiTokens.Where(t => t.Id == id && t.UserId == userId).Select(t => t.RevokedAt).SingleOrDefaultAsync(ct);
        return revokedAt is null
            ? Failure.Missing("No such token", "You have no API token with this id.")
            : Failure.Conflict("Already revoked", $"This token was revoked on {revokedAt:u}; it cannot be used or revoked again.");
    }

    /// <summary>Revokes every token the user still has (an account taken over by an operator); returns how many.</summary>
    public Task<int> RevokeAllAsync(string userId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return db.ApiTokens.Where(t => t.UserId == userId && t.RevokedAt == null).ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), ct);
    }
}

/// <summary>The scopes' names on the wire, and the claims a token's principal carries.</summary>
public static class TokenScopes
{
    public const string Read = "read";
    public const string Write = "write";
    public const string Admin = "admin";

    /// <summary>The claim naming one scope of the token that signed the request in; a cookie's principal has none.</summary>
    public const string ScopeClaim = "marketplace:token_scope";

    /// <summary>The claim with the id of the token that signed the request in.</summary>
    public const string TokenIdClaim = "marketplace:token_id";

    public static readonly IReadOnlyList<string> All = [Read, Write, Admin];

    private static readonly IReadOnlyDictionary<string, ApiTokenScopes> ByName = new Dictionary<string, ApiTokenScopes>(StringComparer.OrdinalIgnoreCase)
    {
        [Read] = ApiTokenScopes.Read,
        [Write] = ApiTokenScopes.Write,
        [Admin] = ApiTokenScopes.Admin,
    };

    /// <summary>The scopes asked for, with read added to write and admin; read alone when none are named; null when one is unknown.</summary>
    public static ApiTokenScopes? Parse(IReadOnlyList<string>? names)
    {
        var scopes = ApiTokenScopes.Read;
        foreach (var name in names ?? [])
        {
            if (FromName(name) is not { } scope)
            {
                return null;
            }

            scopes |= scope;
        }

        return scopes;
    }

    public static IReadOnlyList<string> Names(ApiTokenScopes scopes) => [.. All.Where(name => scopes.HasFlag(ByName[name]))];

    private static ApiTokenScopes? FromName(string? name) => ByName.TryGetValue(name?.Trim() ?? "", out var scope) ? scope : null;

    /// <summary>Whether an API token, rather than the sign-in cookie, authenticated this principal.</summary>
    public static bool IsApiToken(this ClaimsPrincipal user) => user.Identity is { IsAuthenticated: true, AuthenticationType: ApiTokenDefaults.Scheme };

    /// <summary>The scopes of the token that authenticated this principal; none for a cookie.</summary>
    public static ApiTokenScopes Of(ClaimsPrincipal user) =>
        user.IsApiToken() ? user.FindAll(ScopeClaim).Aggregate(ApiTokenScopes.None, (scopes, claim) => scopes | (FromName(claim.Value) ?? ApiTokenScopes.None)) : ApiTokenScopes.None;
}

public sealed class IdentityMappingProfile : Profile
{
    public IdentityMappingProfile() =>
        CreateMap<ApiToken, ApiTokenResponse>().ForCtorParam(nameof(ApiTokenResponse.Scopes), o => o.MapFrom(t => TokenScopes.Names(t.Scopes)));
}
