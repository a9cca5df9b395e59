using Hangfire;
using Hangfire.PostgreSql;
using Marketplace.Payouts;
using Marketplace.Web.Data;
using Marketplace.Web.Jobs;
using Microsoft.Extensions.Options;

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
        services.AddPayouts<MarketplaceDbContext>(configuration);

        // One fee setting: the price a buyer is shown and the fee the ledger charges come from Jobs:PlatformFeeBasisPoints.
        services.AddOptions<PayoutsOptions>().PostConfigure<IOptions<JobsOptions>>((payouts, jobs) => payouts.PlatformFeeBasisPoints = jobs.Value.PlatformFeeBasisPoints);

        services.AddHangfire((provider, config) =>
        {
            config.SetDataCompatibilityLevel(CompatibilityLevel.Version_180).UseSimpleAssemblyNameTypeSerializer().UseRecommendedSerializerSettings()
                .UseLogProvider(new HostLogProvider(provider.GetRequiredService<ILoggerFactory>()));
            switch (database.Provider)
            {
                case DatabaseProvider.Postgres:
                    config.UsePostgreSqlStorage(o => o.UseNpgsqlConnection(database.ConnectionString));
                    break;
                case DatabaseProvider.SqlServer:
                    config.UseSqlServerStorage(database.ConnectionString);
                    break;
                default:
                    config.UseInMemoryStorage();
                    break;
            }
        });
        services.AddHangfireServer(o =>
        {
            o.WorkerCount = Math.Clamp(configuration.GetValue("Hangfire:Workers", 4), 1, 50);
            o.SchedulePollingInterval = TimeSpan.FromSeconds(Math.Clamp(configuration.GetValue("Hangfire:PollSeconds", 15), 1, 300));
        });
        services.AddScoped<MoneyJobs>();
        services.AddScoped<LabelEarnings>();
        services.AddScoped<FundingEvents>();
        services.AddScoped<FundJob>();
        services.AddHostedService<MoneyStartup>();
        return services;
    }

    public static WebApplication UsePayments(this WebApplication app)
    {
        app.MapHangfireDashboard("/admin/hangfire", new DashboardOptions
        {
            AsyncAuthorization = [new HangfireDashboardAuthorization()],
            DashboardTitle = "Marketplace jobs",
        });
        app.MapPaymentsEndpoints();
        return app;
    }
}
