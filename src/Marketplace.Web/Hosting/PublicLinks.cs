using Microsoft.Extensions.Options;

namespace Marketplace.Web.Hosting;

/// <summary>
/// Absolute links the app hands out (Stripe's onboarding return address, e-mails): always from
/// <see cref="SiteOptions.PublicBaseUrl"/> when it is set, so a forged Host header cannot send a contributor elsewhere.
/// </summary>
public sealed class PublicLinks(IOptions<SiteOptions> site, IHttpContextAccessor http)
{
    /// <summary>The absolute address of <paramref name="path"/> (starting with <c>/</c>) on this site.</summary>
    public Uri For(string path)
    {
        if (!path.StartsWith('/') || path.StartsWith("//", StringComparison.Ordinal))
        {
            throw new ArgumentException("A site path starts with a single '/'.", nameof(path));
        }

        if (site.Value.PublicBaseUrl is { } configured)
        {
            return new Uri(configured.GetLeftPart(UriPartial.Path).TrimEnd('/') + path);
        }

        // Only outside Production (the options validator requires the setting there): development and tests.
        var request = http.HttpContext?.Request ?? throw new InvalidOperationException("Site:PublicBaseUrl is not set and there is no request to take the address from.");
        return new Uri($"{request.Scheme}://{request.Host}{request.PathBase}{path}");
    }
}
