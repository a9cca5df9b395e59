using Marketplace.Web.Admin;
using Marketplace.Web.Fraud;
using Marketplace.Web.Identity;
using Marketplace.Web.Jobs;
using Marketplace.Web.Payments;
using Marketplace.Web.Tasks;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Scalar.AspNetCore;

namespace Marketplace.Web.Hosting;

public static class MarketplaceApplicationExtensions
{
    public static WebApplication UseMarketplace(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }

        app.UseStaticFiles();
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.UseFraud();

        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        app.MapOpenApi();
        if (app.Environment.IsDevelopment())
        {
            app.MapScalarApiReference();
        }

        app.MapAccountEndpoints();
        app.MapJobsEndpoints(app.Environment);
        app.MapWorkEndpoints();
        app.MapAdminEndpoints();
        app.MapHub<Live.LiveHub>(Live.LiveHub.Path);
        app.UsePayments();
        app.MapRazorPages();
        return app;
    }
}
