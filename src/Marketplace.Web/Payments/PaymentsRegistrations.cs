using Hangfire;
using Hangfire.PostgreSql;
using Marketplace.Payouts;
using Marketplace.Web.Data;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Quartz;

namespace Marketplace.Web.Payments;

public static class PaymentsRegistrations
{
    /// <summary>
    /// The ledger and gateway (Marketplace.Payouts over this app's DbContext) and Hangfire for the work that moves
    /// money. Hangfire's storage follows the database: PostgreSQL and SQL Server keep jobs in the same database;
    /// the SQLite default keeps them in memory, which is why <see cref="MoneyStartup"/> re-queues unfinished payouts.
    /// </summary>
    public static IServiceCollection AddPayments(this IServiceCollection services, IConfiguration configuration, DatabaseOptions database)
    {
        services.AddScoped<IPayoutsObserver, JobFundingObserver>();
        services.AddScoped<IEscrowFundingPolicy, JobFundingPolicy>();
        services.AddPayouts<MarketplaceDbContext>(configuration);
        services.AddSingleton<IValidateOptions<StripeOptions>, DryRunGuard>();

        // One fee setting: the price a buyer is shown and the fee the ledger charges come from Jobs:PlatformFeeBasisPoints.
        services.AddOptions<FeeOptions>().Bind(configuration.GetSection(FeeOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<PayoutsOptions>().PostConfigure<IOptions<FeeOptions>>((payouts, fee) => payouts.PlatformFeeBasisPoints = fee.Value.PlatformFeeBasisPoints);

        services.AddSingleton<HostJobStorage>();
        services.AddHangfire((provider, config) =>
        {
            config.SetDataCompatibilityLevel(CompatibilityLevel.Version_180).UseSimpleAssemblyNameTypeSerializer().UseRecommendedSerializerSettings()
                .UseLogProvider(new HostLogProvider(provider.GetRequiredService<ILoggerFactory>()));
            provider.GetRequiredService<HostJobStorage>().Storage = database.Provider switch
            {
                DatabaseProvider.Postgres => config.UsePostgreSqlStorage(o => o.UseNpgsqlConnection(database.ConnectionString)).Entry,
                DatabaseProvider.SqlServer => config.UseSqlServerStorage(database.ConnectionString).Entry,
                _ => config.UseInMemoryStorage().Entry,
            };
        });

        // Hangfire keeps "the" storage in a static (JobStorage.Current) and by default hands that to the host's client,
        // server and dashboard. With several hosts in one process (tests, the two-node scale-out test), one host
        // could pick up another's storage, enqueue into another database or into an in-memory store disposed with
        // its host. Each host uses the storage its own configuration made.
        services.Replace(ServiceDescriptor.Singleton<JobStorage>(provider =>
        {
            provider.GetRequiredService<IGlobalConfiguration>();
            return provider.GetRequiredService<HostJobStorage>().Storage
                ?? throw new InvalidOperationException("Hangfire's configuration did not make a job storage.");
        }));
        services.AddHangfireServer(o =>
        {
            o.WorkerCount = Math.Clamp(configuration.GetValue("Hangfire:Workers", 4), 1, 50);
            o.SchedulePollingInterval = TimeSpan.FromSeconds(Math.Clamp(configuration.GetValue("Hangfire:PollSeconds", 15), 1, 300));
        });
        services.AddScoped<MoneyJobs>();
        services.AddScoped<LabelEarnings>();
        services.AddScoped<FundingEvents>();
        services.AddScoped<JobPricing>();
        services.AddScoped<FundJob>();
        services.AddScoped<JobEscrow>();
        services.AddScoped<ContributorEarnings>();
        services.AddScoped<PayoutOnboarding>();
        services.AddScoped<PayoutOversight>();
        services.AddHostedService<MoneyStartup>();
        services.AddQuartz(q => q.ScheduleJob<ReleaseEarningsJob>(
            trigger => trigger.WithIdentity("release-earnings-trigger", "money").StartNow().WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromMinutes(5)).RepeatForever()),
            job => job.WithIdentity(ReleaseEarningsJob.Key)));
        return services;
    }

    /// <summary>Hangfire's dashboard, for admins only, at <c>/admin/hangfire</c>.</summary>
    public static IEndpointRouteBuilder MapHangfireDashboardForAdmins(this IEndpointRouteBuilder routes)
    {
        routes.MapHangfireDashboard("/admin/hangfire", new DashboardOptions
        {
            AsyncAuthorization = [new HangfireDashboardAuthorization()],
            DashboardTitle = "Marketplace jobs",
        });
        return routes;
    }
}
