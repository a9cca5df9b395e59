using Marketplace.Web.Admin;
using Marketplace.Web.Audit;
using Marketplace.Web.Cli;
using Marketplace.Web.Data;
using Marketplace.Web.Fraud;
using Marketplace.Web.Hosting;
using Marketplace.Web.Identity;
using Marketplace.Web.Jobs;
using Marketplace.Web.Live;
using Marketplace.Web.Payments;
using Marketplace.Web.Quality;
using Marketplace.Web.Tasks;


namespace Marketplace.Web;

/// <summary>
/// The composition root: every feature registers itself here, and every route group is mapped here, one file each.
/// Program.cs and the benchmarks host the app through these two methods. Features are listed lowest first: each may use only
/// those above it (docs/architecture.md).
/// </summary>
public static class MarketplaceApp
{
    public static WebApplicationBuilder AddMarketplace(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var database = DatabaseOptions.From(configuration, builder.Environment.ContentRootPath);
        builder.AddHosting();
        builder.Services
            .AddData(database, builder.Environment)
            .AddMarketplaceIdentity(configuration)
            .AddAudit()
            .AddLive(configuration)
            .AddQuality(configuration)
            .AddPayments(configuration, database)
            .AddJobs(configuration)
            .AddFraud(configuration)
            .AddTasks(configuration)
            .AddAdmin()
            .AddCommands();
        return builder;
    }

    public static WebApplication UseMarketplace(this WebApplication app)
    {
        app.UseHosting();
        app.UseApiRequestRules();            // token scopes; the script header on cookie calls that change something
        app.UseFingerprints();

        app.MapHostingEndpoints();           // /health, /openapi
        app.MapAccountApi();                 // /api/account
        app.MapJobsApi();                    // /api/jobs
        app.MapTasksApi();                   // /api/work
        app.MapTiersApi();                   // /api/admin/tiers
        app.MapFraudApi();                   // /api/admin/cases
        app.MapPayoutsApi();                 // /api/admin/payouts
        app.MapAuditApi();                   // /api/admin/audit
        app.MapAdminApi();                   // /api/admin/contributors, /jobs, /charts
        app.MapStripeWebhookApi();           // /stripe/webhook
        app.MapLiveHub();                    // /hubs/live
        app.MapHangfireDashboardForAdmins(); // /admin/hangfire
        app.MapRazorPages();
        return app;
    }
}
