using Marketplace.Web.Domain;
using Microsoft.AspNetCore.Mvc;

namespace Marketplace.Web.Identity;

/// <summary>
/// What authentication alone does not settle, checked once for every request after it is authenticated:
/// a token may do only what its scopes allow, and a cookie may change something through the API only when the
/// request says it comes from the site's own scripts.
/// </summary>
public static class ApiRequestRules
{
    /// <summary>
    /// The header the pages' scripts send with every API call. A form on another site cannot set it, and a script on
    /// another site cannot either without a CORS preflight, which this app never grants.
    /// </summary>
    public const string ScriptHeader = "X-Requested-With";

    public static IApplicationBuilder UseApiRequestRules(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (Refusal(context) is { } problem)
        {
            context.Response.StatusCode = problem.Status!.Value;
            await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
            return;
        }

        await next(context);
    });

    /// <summary>Why this request may not go on, or null.</summary>
    internal static ProblemDetails? Refusal(HttpContext context)
    {
        var request = context.Request;
        var api = request.Path.StartsWithSegments("/api");
        if (!api && !request.Path.StartsWithSegments("/hubs") || context.User.Identity?.IsAuthenticated != true)
        {
            return null;
        }

        var changes = !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method));
        if (!context.User.IsApiToken())
        {
            return api && changes && string.IsNullOrEmpty(request.Headers[ScriptHeader])
                ? Problem(StatusCodes.Status400BadRequest, "Cross-site request refused", $"An API call that changes something with the sign-in cookie must send the {ScriptHeader} header, as the site's pages do. Scripts and pipelines use an API token instead.")
                : null;
        }

        var scopes = TokenScopes.Of(context.User);
        if (!api)
        {
            // The hubs only push what the user may see; listening is reading, whatever HTTP method SignalR uses.
            return scopes.HasFlag(ApiTokenScopes.Read) ? null : Missing(TokenScopes.Read);
        }

        if (request.Path.StartsWithSegments("/api/admin") && !scopes.HasFlag(ApiTokenScopes.Admin))
        {
            return Missing(TokenScopes.Admin);
        }

        return changes
            ? scopes.HasFlag(ApiTokenScopes.Write) ? null : Missing(TokenScopes.Write)
            : scopes.HasFlag(ApiTokenScopes.Read) ? null : Missing(TokenScopes.Read);
    }

    private static ProblemDetails Missing(string scope) => Problem(
        StatusCodes.Status403Forbidden,
        "Token scope missing",
        $"This API token lacks the {scope} scope this call needs. Make a token with it on the API tokens page (read: GET; write: calls that change something; admin: the admin routes, for admins).");

    private static ProblemDetails Problem(int status, string title, string detail) => new() { Status = status, Title = title, Detail = detail };
}
