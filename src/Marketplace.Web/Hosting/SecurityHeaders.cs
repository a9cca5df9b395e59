namespace Marketplace.Web.Hosting;

/// <summary>
/// Headers every response carries: a Content-Security-Policy that lets pages load only this site's scripts and styles
/// (item images may come from any https address; Stripe.js and its payment frames from Stripe, as Stripe's CSP guide
/// lists) and never be framed, no MIME sniffing, and no full URLs in the Referer sent to other sites. The pages have
/// no inline script or style, which is what makes the policy this strict.
/// </summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self' https://js.stripe.com; style-src 'self'; img-src 'self' data: https:; media-src 'self' https:; " +
        "connect-src 'self' https://api.stripe.com; frame-src https://js.stripe.com https://hooks.stripe.com; font-src 'self'; " +
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "strict-origin-when-cross-origin";

            // The development-only API reference (Scalar) loads its viewer from a CDN; nothing else is exempt.
            if (!context.Request.Path.StartsWithSegments("/scalar"))
            {
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
            }

            return Task.CompletedTask;
        });
        return next(context);
    });
}
