using System.Security.Claims;
using System.Text.Encodings.Web;
using Marketplace.Web.Data;
using Marketplace.Web.Domain;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Marketplace.Web.Identity;

public static class ApiTokenDefaults
{
    public const string Scheme = "ApiToken";

    /// <summary>Picks bearer tokens for API clients and the Identity cookie for people in a browser.</summary>
    public const string CookieOrToken = "CookieOrToken";
}

internal sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    MarketplaceDbContext db,
    SignInManager<ApplicationUser> signInManager,
    TimeProvider clock) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (SecretOf(Request) is not { } secret)
        {
            return AuthenticateResult.NoResult();
        }

        if (!secret.StartsWith(ApiToken.TokenPrefix, StringComparison.Ordinal))
        {
            return AuthenticateResult.Fail("Malformed API token.");
        }

        var hash = ApiToken.HashOf(secret);
        var token = await db.ApiTokens.SingleOrDefaultAsync(t => t.Hash == hash, Context.RequestAborted);
        var now = clock.GetUtcNow().UtcDateTime;
        if (token is null || !token.IsActive(now))
        {
            return AuthenticateResult.Fail("Unknown, expired or revoked API token.");
        }

        // A ban stops tokens; the lockout that failed sign-ins set does not, or anyone could cut off a buyer's
        // pipelines by typing wrong passwords at their email.
        var user = await signInManager.UserManager.FindByIdAsync(token.UserId);
        if (user is null || user.BannedAt is not null)
        {
            return AuthenticateResult.Fail("The token's account is banned or gone.");
        }

        // Recording every use would make each API call a write; once a minute is enough to show "last used".
        if (token.LastUsedAt is null || now - token.LastUsedAt > TimeSpan.FromMinutes(1))
        {
            token.LastUsedAt = now;
            await db.SaveChangesAsync(Context.RequestAborted);
        }

        var principal = PrincipalFor(await signInManager.CreateUserPrincipalAsync(user), token);
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }

    /// <summary>
    /// The user's claims as a token carries them: its scopes and id added, and the admin role only when the token has
    /// the admin scope, so a token without it is never an admin anywhere (job lists, hub groups, admin routes).
    /// </summary>
    private static ClaimsPrincipal PrincipalFor(ClaimsPrincipal user, ApiToken token)
    {
        var source = user.Identities.First();
        var admin = token.Scopes.HasFlag(ApiTokenScopes.Admin);
        var claims = source.Claims.Where(c => admin || !(c.Type == source.RoleClaimType && c.Value == Roles.Admin))
            .Concat(TokenScopes.Names(token.Scopes).Select(name => new Claim(TokenScopes.ScopeClaim, name)))
            .Append(new Claim(TokenScopes.TokenIdClaim, token.Id.ToString()));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, ApiTokenDefaults.Scheme, source.NameClaimType, source.RoleClaimType));
    }

    /// <summary>
    /// The token a request carries where tokens are accepted: a bearer header on the REST API (<c>/api</c>) and the
    /// hubs, or, since browsers cannot set headers on a WebSocket, <c>access_token</c> in the query string for the hubs
    /// only. Anywhere else (the pages, the Hangfire dashboard) a token is not even looked at: pages take the cookie.
    /// </summary>
    internal static string? SecretOf(HttpRequest request)
    {
        var api = request.Path.StartsWithSegments("/api");
        var hubs = request.Path.StartsWithSegments("/hubs");
        if (!api && !hubs)
        {
            return null;
        }

        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return header["Bearer ".Length..].Trim();
        }

        return hubs && request.Query["access_token"].ToString() is { Length: > 0 } token ? token : null;
    }
}
