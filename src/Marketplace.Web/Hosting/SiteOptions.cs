using System.Net;
using Microsoft.Extensions.Options;

namespace Marketplace.Web.Hosting;

/// <summary>
/// How the app is reached from outside (section <c>Site</c>): the public address every absolute link is built from,
/// the reverse proxies whose forwarded headers are believed, and whether the OpenAPI document is served.
/// </summary>
public sealed class SiteOptions
{
    public const string Section = "Site";

    /// <summary>
    /// The address people and Stripe reach the app at, e.g. <c>https://labels.example.com</c>. Required in Production,
    /// where no link is ever built from a request's Host header; elsewhere a link without it uses the request's own address.
    /// </summary>
    public Uri? PublicBaseUrl { get; set; }

    /// <summary>Reverse proxies (IP addresses) whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are believed, besides loopback.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks of such proxies, in CIDR notation (<c>10.0.0.0/8</c>).</summary>
    public List<string> KnownNetworks { get; set; } = [];

    /// <summary>Serve the OpenAPI document at <c>/openapi/v1.json</c>. Unset: in every environment but Production.</summary>
    public bool? OpenApi { get; set; }
}

internal sealed class SiteOptionsValidator(IHostEnvironment environment) : IValidateOptions<SiteOptions>
{
    public ValidateOptionsResult Validate(string? name, SiteOptions options)
    {
        var failures = new List<string>();
        if (options.PublicBaseUrl is null && environment.IsProduction())
        {
            failures.Add("Site:PublicBaseUrl must be set in Production (e.g. https://labels.example.com): every link the app sends out is built from it.");
        }

        if (options.PublicBaseUrl is { } url && (!url.IsAbsoluteUri || url.Scheme is not ("https" or "http") || url.Query.Length > 0 || url.Fragment.Length > 0))
        {
            failures.Add("Site:PublicBaseUrl must be an absolute http(s) address with no query or fragment.");
        }
        else if (options.PublicBaseUrl is { Scheme: "http" } && environment.IsProduction())
        {
            failures.Add("Site:PublicBaseUrl must be https in Production.");
        }

        failures.AddRange(options.KnownProxies.Where(p => !IPAddress.TryParse(p, out _)).Select(p => $"Site:KnownProxies has '{p}', which is not an IP address."));
        failures.AddRange(options.KnownNetworks.Where(n => !IPNetwork.TryParse(n, out _)).Select(n => $"Site:KnownNetworks has '{n}', which is not a network in CIDR notation (10.0.0.0/8)."));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
