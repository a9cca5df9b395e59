using Marketplace.Web.Admin;
using Marketplace.Web.Audit;
using Marketplace.Web.Data;
using Marketplace.Web.Domain;
using Marketplace.Web.Fraud;
using Marketplace.Web.Identity;
using Marketplace.Web.Jobs;
using Marketplace.Web.Payments;
using Marketplace.Web.Quality;
using Marketplace.Web.Tasks;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Quartz;

namespace Marketplace.Web.Hosting;

public static class MarketplaceServiceCollectionExtensions
{
    /// <summary>PBKDF2-HMAC-SHA512 iterations: OWASP's 2023 floor, over twice the framework default of 100,000.</summary>
    public const int PasswordHashIterations = 210_000;

    public static WebApplicationBuilder AddMarketplace(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        var database = DatabaseOptions.From(configuration, builder.Environment.ContentRootPath);
        services.AddSingleton(database);
        services.AddSingleton(TimeProvider.System);
        services.AddHttpContextAccessor();
        services.AddSingleton<AuditTrailInterceptor>();
        services.AddScoped<AuditLog>();
        services.AddScoped<PayoutOversight>();
        services.AddScoped<AdminInsights>();

        switch (database.Provider)
        {
            case DatabaseProvider.Sqlite:
                services.AddDbContext<MarketplaceDbContext, SqliteMarketplaceDbContext>((sp, o) => o.UseSqlite(database.ConnectionString).AddInterceptors(sp.GetRequiredService<AuditTrailInterceptor>()));
                services.AddSingleton<IClaimQuery, SqliteClaimQuery>();
                break;
            case DatabaseProvider.Postgres:
                services.AddDbContext<MarketplaceDbContext, PostgresMarketplaceDbContext>((sp, o) => o.UseNpgsql(database.ConnectionString).AddInterceptors(sp.GetRequiredService<AuditTrailInterceptor>()));
                services.AddSingleton<IClaimQuery, PostgresClaimQuery>();
                break;
            case DatabaseProvider.SqlServer:
                services.AddDbContext<MarketplaceDbContext, SqlServerMarketplaceDbContext>((sp, o) => o.UseSqlServer(database.ConnectionString).AddInterceptors(sp.GetRequiredService<AuditTrailInterceptor>()));
                services.AddSingleton<IClaimQuery, SqlServerClaimQuery>();
                break;
        }

        services.AddIdentity<ApplicationUser, IdentityRole>(o =>
            {
                // NIST SP 800-63B: length over composition rules.
                o.Password.RequiredLength = 12;
                o.Password.RequireDigit = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequiredUniqueChars = 4;
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.User.RequireUniqueEmail = true;
            })
            .AddEntityFrameworkStores<MarketplaceDbContext>()
            .AddDefaultTokenProviders();
        services.Configure<PasswordHasherOptions>(o => o.IterationCount = PasswordHashIterations);

        services.AddAuthentication(o =>
            {
                o.DefaultScheme = ApiTokenDefaults.CookieOrToken;
                o.DefaultAuthenticateScheme = ApiTokenDefaults.CookieOrToken;
                o.DefaultChallengeScheme = ApiTokenDefaults.CookieOrToken;
                o.DefaultForbidScheme = ApiTokenDefaults.CookieOrToken;
            })
            .AddPolicyScheme(ApiTokenDefaults.CookieOrToken, "Cookie or API token", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || ApiTokenAuthenticationHandler.HubToken(context.Request) is not null
                    ? ApiTokenDefaults.Scheme
                    : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenDefaults.Scheme, null);

        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/Account/SignIn";
            o.LogoutPath = "/Account/SignOut";
            o.AccessDeniedPath = "/Account/AccessDenied";
            o.Cookie.Name = "marketplace.auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.SlidingExpiration = true;
            // API callers get status codes, not a redirect to a sign-in page.
            o.Events.OnRedirectToLogin = context => RedirectOrStatus(context, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = context => RedirectOrStatus(context, StatusCodes.Status403Forbidden);
        });

        services.AddAuthorizationBuilder()
            .AddPolicy(Roles.Buyer, p => p.RequireRole(Roles.Buyer))
            .AddPolicy(Roles.Contributor, p => p.RequireRole(Roles.Contributor))
            .AddPolicy(Roles.Admin, p => p.RequireRole(Roles.Admin))
            .AddPolicy(Policies.BuyerOrAdmin, p => p.RequireRole(Roles.Buyer, Roles.Admin));

        services.AddRazorPages(o =>
        {
            o.Conventions.AuthorizeFolder("/Buyer", Roles.Buyer);
            o.Conventions.AuthorizeFolder("/Work", Roles.Contributor);
            o.Conventions.AuthorizeFolder("/Admin", Roles.Admin);
            o.Conventions.AuthorizePage("/Account/Tokens", Roles.Buyer);
        });
        services.AddAntiforgery(o => o.Cookie.Name = "marketplace.antiforgery");

        // Enums travel by name ("SingleChoice", "Active"): readable, and safe when members are added.
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemDetailsExceptionHandler>();
        services.AddOpenApi();
        services.AddHealthChecks()
            .AddDbContextCheck<MarketplaceDbContext>("database", HealthStatus.Unhealthy, ["ready"]);

        // AutoMapper only maps entities to responses and projects queries. Without a licence key it logs a warning.
        services.AddAutoMapper(cfg => cfg.LicenseKey = configuration["AutoMapper:LicenseKey"], typeof(MarketplaceServiceCollectionExtensions));

        services.AddPayments(configuration, database);
        services.AddScoped<ApiTokenService>();
        services.AddScoped<JobQueries>();
        services.AddScoped<JobService>();
        services.AddScoped<ItemImport>();
        services.AddScoped<ResultsExport>();
        services.AddScoped<PairwiseRanking>();
        services.AddOptions<JobsOptions>().Bind(configuration.GetSection(JobsOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<WorkService>();
        services.AddScoped<QualificationService>();
        services.AddScoped<ContributorQueries>();
        services.AddOptions<WorkOptions>().Bind(configuration.GetSection(WorkOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        var sweepSeconds = Math.Max(1, configuration.GetValue($"{WorkOptions.Section}:{nameof(WorkOptions.SweepSeconds)}", new WorkOptions().SweepSeconds));
        services.AddScoped<JobCompletion>();
        services.AddScoped<JobAggregation>();
        services.AddTiers();
        var reaggregateSeconds = Math.Max(10, configuration.GetValue($"{WorkOptions.Section}:{nameof(WorkOptions.ReaggregateSeconds)}", new WorkOptions().ReaggregateSeconds));
        services.AddQuartz(q =>
        {
            q.ScheduleJob<LeaseSweepJob>(
                trigger => trigger.WithIdentity("lease-sweep-trigger", "work").StartNow().WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromSeconds(sweepSeconds)).RepeatForever()),
                job => job.WithIdentity(LeaseSweepJob.Key));
            q.ScheduleJob<JobCompletionSweep>(
                trigger => trigger.WithIdentity("job-completion-trigger", "jobs").StartNow().WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromMinutes(1)).RepeatForever()),
                job => job.WithIdentity(JobCompletionSweep.Key));
            q.ScheduleJob<Payments.ReleaseEarningsJob>(
                trigger => trigger.WithIdentity("release-earnings-trigger", "money").StartNow().WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromMinutes(5)).RepeatForever()),
                job => job.WithIdentity(Payments.ReleaseEarningsJob.Key));
            q.ScheduleJob<ReaggregationJob>(
                trigger => trigger.WithIdentity("reaggregation-trigger", "quality").StartAt(DateTimeOffset.UtcNow.AddSeconds(reaggregateSeconds)).WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromSeconds(reaggregateSeconds)).RepeatForever()),
                job => job.WithIdentity(ReaggregationJob.Key));
        });
        services.AddFraud(configuration);
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        services.AddOptions<Live.LiveOptions>().Bind(configuration.GetSection(Live.LiveOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<JobProgressPublisher>();
        services.AddHostedService(sp => sp.GetRequiredService<JobProgressPublisher>());
        services.AddSingleton<Live.ILiveNotifier, Live.SignalRLiveNotifier>();
        // Enums by name here too, as in the REST API, so browsers read "Paused", not 3.
        var signalR = services.AddSignalR().AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        if (configuration["Redis:Connection"] is { Length: > 0 } redis)
        {
            // Several nodes: every message goes through Redis so a client hears events caused on any node.
            signalR.AddStackExchangeRedis(redis, o => o.Configuration.ChannelPrefix = StackExchange.Redis.RedisChannel.Literal("marketplace"));
        }

        services.AddScoped<AdminBootstrap>();
        services.AddScoped<Cli.DemoSeeder>();
        services.AddHostedService<Cli.StartupTasks>();
        return builder;
    }

    private static Task RedirectOrStatus(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments("/health") || context.Request.Path.StartsWithSegments("/hubs"))
        {
            context.Response.StatusCode = status;
        }
        else
        {
            context.Response.Redirect(context.RedirectUri);
        }

        return Task.CompletedTask;
    }
}
