using Marketplace.Web.Data;
using Marketplace.Web.Identity;

namespace Marketplace.Web.Cli;

/// <summary>
/// Runs before the server listens: migrates the embedded SQLite database (servers are migrated with the
/// explicit <c>migrate</c> command) and creates the configured first admin if there is none.
/// </summary>
internal sealed class StartupTasks(IServiceProvider services, DatabaseOptions database, IConfiguration configuration, ILogger<StartupTasks> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (database.Provider == DatabaseProvider.Sqlite)
        {
            var applied = await DatabaseMigrator.MigrateAsync(services, cancellationToken);
            if (applied.Count > 0)
            {
                logger.LogInformation("Applied {Count} migrations to the embedded SQLite database", applied.Count);
            }
        }

        var email = configuration["Bootstrap:AdminEmail"];
        var password = configuration["Bootstrap:AdminPassword"];
        if (!string.IsNullOrWhiteSpace(email) && !string.IsNullOrEmpty(password))
        {
            await using var scope = services.CreateAsyncScope();
            var result = await scope.ServiceProvider.GetRequiredService<AdminBootstrap>().EnsureAdminAsync(email, password, cancellationToken);
            logger.LogInformation("First admin from configuration: {Result}", result);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
