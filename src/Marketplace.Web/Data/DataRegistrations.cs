using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Marketplace.Web.Data;

public static class DataRegistrations
{
    /// <summary>
    /// The DbContext for the configured provider, with every <see cref="IInterceptor"/> other features register (the
    /// audit trail's), and the write transactions.
    /// </summary>
    /// <remarks>
    /// Outside Production, a query that limits rows (Skip, Take, First) without ordering them throws instead of logging a
    /// warning: which rows it returns would depend on the plan, and a test should say so at once.
    /// </remarks>
    public static IServiceCollection AddData(this IServiceCollection services, DatabaseOptions database, IHostEnvironment environment)
    {
        services.AddSingleton(database);
        services.AddSingleton<WriteTransactions>();
        var strict = !environment.IsProduction();
        void Configure(IServiceProvider sp, DbContextOptionsBuilder o)
        {
            o.AddInterceptors(sp.GetServices<IInterceptor>());
            if (strict)
            {
                o.ConfigureWarnings(w => w.Throw(CoreEventId.RowLimitingOperationWithoutOrderByWarning, CoreEventId.FirstWithoutOrderByAndFilterWarning));
            }
        }

        switch (database.Provider)
        {
            case DatabaseProvider.Sqlite:
                services.AddDbContext<MarketplaceDbContext, SqliteMarketplaceDbContext>((sp, o) => Configure(sp, o.UseSqlite(database.ConnectionString)));
                break;
            case DatabaseProvider.Postgres:
                services.AddDbContext<MarketplaceDbContext, PostgresMarketplaceDbContext>((sp, o) => Configure(sp, o.UseNpgsql(database.ConnectionString)));
                break;
            case DatabaseProvider.SqlServer:
                services.AddDbContext<MarketplaceDbContext, SqlServerMarketplaceDbContext>((sp, o) => Configure(sp, o.UseSqlServer(database.ConnectionString)));
                break;
        }

        return services;
    }
}
