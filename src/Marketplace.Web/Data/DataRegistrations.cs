using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Marketplace.Web.Data;

public static class DataRegistrations
{
    /// <summary>
    /// The DbContext for the configured provider, with every <see cref="IInterceptor"/> other features register (the
    /// audit trail's), and the write transactions.
    /// </summary>
    public static IServiceCollection AddData(this IServiceCollection services, DatabaseOptions database)
    {
        services.AddSingleton(database);
        services.AddSingleton<WriteTransactions>();
        switch (database.Provider)
        {
            case DatabaseProvider.Sqlite:
                services.AddDbContext<MarketplaceDbContext, SqliteMarketplaceDbContext>((sp, o) => o.UseSqlite(database.ConnectionString).AddInterceptors(sp.GetServices<IInterceptor>()));
                break;
            case DatabaseProvider.Postgres:
                services.AddDbContext<MarketplaceDbContext, PostgresMarketplaceDbContext>((sp, o) => o.UseNpgsql(database.ConnectionString).AddInterceptors(sp.GetServices<IInterceptor>()));
                break;
            case DatabaseProvider.SqlServer:
                services.AddDbContext<MarketplaceDbContext, SqlServerMarketplaceDbContext>((sp, o) => o.UseSqlServer(database.ConnectionString).AddInterceptors(sp.GetServices<IInterceptor>()));
                break;
        }

        return services;
    }
}
