using Marketplace.Web.Data;
using Marketplace.Web.Domain;
using Marketplace.Web.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Marketplace.Web.Identity;

public static class IdentityRegistrations
{
    /// <summary>PBKDF2-HMAC-SHA512 iterations: OWASP's 2023 floor, over twice the framework default of 100,000.</summary>
    public const int PasswordHashIterations = 210_000;

    /// <summary>How long a link in an account email (confirm the address, reset the password) works.</summary>
    public static readonly TimeSpan EmailLinkLifetime = TimeSpan.FromHours(2);

    /// <summary>How soon a new security stamp (a password reset, a take-over, a ban) ends the account's other sessions.</summary>
    public static readonly TimeSpan SessionRecheckInterval = TimeSpan.FromMinutes(1);

    /// <summary>Accounts and roles (ASP.NET Core Identity), the cookie for pages, API tokens for clients, and the role policies.</summary>
    public static IServiceCollection AddMarketplaceIdentity(this IServiceCollection services, IConfiguration configuration)
    {
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
        services.Configure<DataProtectionTokenProviderOptions>(o => o.TokenLifespan = EmailLinkLifetime);
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = SessionRecheckInterval);

        services.AddAuthentication(o =>
            {
                o.DefaultScheme = ApiTokenDefaults.CookieOrToken;
                o.DefaultAuthenticateScheme = ApiTokenDefaults.CookieOrToken;
                o.DefaultChallengeScheme = ApiTokenDefaults.CookieOrToken;
                o.DefaultForbidScheme = ApiTokenDefaults.CookieOrToken;
            })
            // Tokens only where the handler accepts them (/api, /hubs); every page takes the cookie, bearer header or not.
            .AddPolicyScheme(ApiTokenDefaults.CookieOrToken, "Cookie or API token", o => o.ForwardDefaultSelector = context =>
                ApiTokenAuthenticationHandler.SecretOf(context.Request) is not null ? ApiTokenDefaults.Scheme : IdentityConstants.ApplicationScheme)
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
            .AddPolicy(Policies.BuyerOrAdmin, p => p.RequireRole(Roles.Buyer, Roles.Admin))
            .AddPolicy(Policies.ManageTokens, p => p.RequireRole(Roles.Buyer, Roles.Admin).RequireAssertion(c => !c.User.IsApiToken()));

        // AutoMapper only maps entities to responses and projects queries. Without a licence key it logs a warning.
        services.AddAutoMapper(cfg => cfg.LicenseKey = configuration["AutoMapper:LicenseKey"], typeof(IdentityRegistrations));
        services.AddScoped<ApiTokenService>();
        services.AddScoped<AccountQueries>();
        services.AddScoped<RegisterAccount>();
        services.AddScoped<JobAccess>();
        services.AddScoped<AdminBootstrap>();
        services.AddScoped<PasswordSignIn>();
        services.AddScoped<RequestPasswordReset>();
        services.AddScoped<ResetPassword>();
        services.AddScoped<ConfirmEmail>();
        services.AddScoped<AccountEmails>();
        services.AddSingleton<DecoyPasswordCheck>();
        services.AddEmail(configuration);
        return services;
    }

    /// <summary>Account emails go through an outbox to <see cref="IEmailSender"/>: SMTP with <c>Email:Smtp:Host</c>, a log line without.</summary>
    private static void AddEmail(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EmailOptions>().Bind(configuration.GetSection(EmailOptions.Section))
            .Validate<IOptions<SiteOptions>>(
                (email, site) => string.IsNullOrEmpty(email.Smtp.Host) || site.Value.PublicBaseUrl is not null,
                "Site:PublicBaseUrl is required with Email:Smtp:Host: links in emails start with it, never with a request's Host header.")
            .ValidateOnStart();
        services.AddSingleton<EmailOutbox>();
        services.AddHostedService<EmailDispatcher>();
        if (string.IsNullOrEmpty(configuration["Email:Smtp:Host"]))
        {
            services.AddSingleton<IEmailSender, LoggingEmailSender>();
        }
        else
        {
            services.AddSingleton<IEmailSender, SmtpEmailSender>();
        }
    }

    private static Task RedirectOrStatus(RedirectContext<CookieAuthenticationOptions> context, int status)
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
