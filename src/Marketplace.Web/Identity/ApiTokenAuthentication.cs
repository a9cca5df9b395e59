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
        var header = Request.Headers.Authorization.ToString();
        var secret = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : HubToken(Request);
        if (secret is null)
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

        var user = await signInManager.UserManager.FindByIdAsync(token.UserId);
        if (user is null || await signInManager.UserManager.IsLockedOutAsync(user))
        {
            return AuthenticateResult.Fail("The token's account is locked or gone.");
        }

        // Recording every use would make each API call a write; once a minute is enough to show "last used".
        if (token.LastUsedAt is null || now - token.LastUsedAt > TimeSpan.FromMinutes(1))
        {
            token.LastUsedAt = now;
            await db.SaveChangesAsync(Context.RequestAborted);
        }

        var principal = await signInManager.CreateUserPrincipalAsync(user);
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }

    /// <summary>
    /// Browsers cannot set headers on a WebSocket, so SignalR clients send the token as <c>access_token</c> in the
    /// query string; it is accepted there for the hubs only, never for the REST API.
    /// </summary>
    internal static string? HubToken(HttpRequest request) =>
        request.Path.StartsWithSegments("/hubs") && request.Query["access_token"].ToString() is { Length: > 0 } token ? token : null;
}
