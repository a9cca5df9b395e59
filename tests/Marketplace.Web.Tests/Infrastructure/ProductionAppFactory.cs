using Microsoft.AspNetCore.Hosting;

namespace Marketplace.Web.Tests.Infrastructure;

/// <summary>
/// The app as Production runs it, on SQLite, behind a reverse proxy at 10.0.0.5 and reached at
/// https://labels.example.com: what the security defaults are judged on. Money runs the dry-run gateway, allowed on purpose.
/// </summary>
public sealed class ProductionAppFactory : SqliteAppFactory
{
    public const string PublicBaseUrl = "https://labels.example.com";
    public const string Proxy = "10.0.0.5";

    public ProductionAppFactory()
    {
        // Secure cookies only travel over https, so the test's browser talks https to the public address.
        ClientOptions.BaseAddress = new Uri(PublicBaseUrl);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment("Production");
        builder.UseSetting("Site:PublicBaseUrl", PublicBaseUrl);
        builder.UseSetting("Site:KnownProxies:0", Proxy);
        builder.UseSetting("Payments:AllowDryRunInProduction", "true");
    }
}
