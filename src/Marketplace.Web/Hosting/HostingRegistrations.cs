using System.Net;
using Marketplace.Web.Data;
using Marketplace.Web.Domain;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
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
        builder.AddSite();

        // Enums travel by name ("SingleChoice", "Active"): readable, and safe when members are added. Only a defined name
        // binds, so 99 is never a task type; in routes, the same goes through the enum-name constraints.
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new EnumNameJsonConverter()));
        services.Configure<RouteOptions>(o => o.SetParameterPolicy<EnumNameRouteConstraint<TaskType>>("tasktype"));
        services.AddProblemDetails();

        // A body or parameter that does not bind throws in every environment (not only Development), so the exception
        // handler answers it with ProblemDetails naming the field instead of an empty 400.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddExceptionHandler<ProblemDetailsExceptionHandler>();
        services.AddOpenApi(OpenApiContract.Configure);
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

    /// <summary>
    /// The request pipeline up to authorization: the scheme and client address a known proxy forwarded, errors,
    /// security headers, HSTS, secure cookies, static files, routing, authentication, antiforgery.
    /// </summary>
    public static WebApplication UseHosting(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseSecurityHeaders();
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }

        app.UseCookiePolicy();
        app.UseStaticFiles();
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        return app;
    }

    /// <summary>
    /// <c>/health/live</c>, <c>/health/ready</c> (the database answers), the OpenAPI document (outside Production unless
    /// <c>Site:OpenApi</c> says otherwise: it lists every route, admin ones included), and in Development its browsable reference.
    /// </summary>
    public static WebApplication MapHostingEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        // Read from configuration, not validated options: the commands (migrate...) map routes too and need no site settings.
        if (app.Configuration.GetValue<bool?>($"{SiteOptions.Section}:{nameof(SiteOptions.OpenApi)}") ?? !app.Environment.IsProduction())
        {
            app.MapOpenApi();
        }

        if (app.Environment.IsDevelopment())
        {
            app.MapScalarApiReference();
        }

        return app;
    }

    /// <summary>
    /// Where the site is reached from: its public address, the proxies believed, and, in Production, cookies sent over
    /// https only. Without known proxies only loopback is believed, so a client cannot claim https or another address.
    /// </summary>
    private static void AddSite(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<SiteOptions>().Bind(builder.Configuration.GetSection(SiteOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SiteOptions>, SiteOptionsValidator>();
        services.AddScoped<PublicLinks>();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<SiteOptions>>((forwarded, site) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            foreach (var proxy in site.Value.KnownProxies.Where(p => IPAddress.TryParse(p, out _)))
            {
                forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in site.Value.KnownNetworks.Where(n => System.Net.IPNetwork.TryParse(n, out _)))
            {
                forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        var production = builder.Environment.IsProduction();
        services.Configure<CookiePolicyOptions>(o => o.Secure = production ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest);
        services.AddHsts(o =>
        {
            o.MaxAge = TimeSpan.FromDays(365);
            o.IncludeSubDomains = false;
        });
    }
}
