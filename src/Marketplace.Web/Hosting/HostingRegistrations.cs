using System.Text.Json.Serialization;
using Marketplace.Web.Data;
using Marketplace.Web.Domain;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Quartz;
using Scalar.AspNetCore;

namespace Marketplace.Web.Hosting;

/// <summary>What every feature runs on: logging, JSON, errors as ProblemDetails, OpenAPI, health, pages, the Quartz scheduler.</summary>
public static class HostingRegistrations
{
    public static WebApplicationBuilder AddHosting(this WebApplicationBuilder builder)
    {
        if (!builder.Environment.IsDevelopment())
        {
            // Structured JSON logs in every environment a machine reads them in.
            builder.Logging.ClearProviders();
            builder.Logging.AddJsonConsole(o => o.IncludeScopes = true);
        }

        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddHttpContextAccessor();

        // Enums travel by name ("SingleChoice", "Active"): readable, and safe when members are added.
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemDetailsExceptionHandler>();
        services.AddOpenApi();
        services.AddHealthChecks().AddDbContextCheck<MarketplaceDbContext>("database", HealthStatus.Unhealthy, ["ready"]);

        services.AddRazorPages(o =>
        {
            o.Conventions.AuthorizeFolder("/Buyer", Roles.Buyer);
            o.Conventions.AuthorizeFolder("/Work", Roles.Contributor);
            o.Conventions.AuthorizeFolder("/Admin", Roles.Admin);
        });
        services.AddAntiforgery(o => o.Cookie.Name = "marketplace.antiforgery");

        // Each feature schedules its own Quartz jobs (AddQuartz in its registrations); one scheduler runs them all.
        services.AddQuartz();
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return builder;
    }

    /// <summary>The request pipeline up to authorization: errors, HSTS, static files, routing, authentication, antiforgery.</summary>
    public static WebApplication UseHosting(this WebApplication app)
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
        return app;
    }

    /// <summary><c>/health/live</c>, <c>/health/ready</c> (the database answers), the OpenAPI document, and in Development its browsable reference.</summary>
    public static WebApplication MapHostingEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        app.MapOpenApi();
        if (app.Environment.IsDevelopment())
        {
            app.MapScalarApiReference();
        }

        return app;
    }
}
