using System.Security.Claims;

namespace Marketplace.Web.Identity;

public static class ClaimsPrincipalExtensions
{
    /// <summary>The signed-in user's id (from a cookie or an API token); an authenticated user always has one.</summary>
    public static string UserId(this ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("An authenticated user has no id claim.");
}
