using Marketplace.Web.Data;
using Marketplace.Web.Identity;

namespace Marketplace.Web.Cli;

/// <summary>
/// Runs before the server listens: migrates the embedded SQLite database (servers are migrated with the
/// explicit <c>migrate</c> command) and creates the configured first admin if there is none. An address that
/// already has an account is never promoted here: only <c>create-admin --promote-existing</c> does that.
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
            var outcome = await scope.ServiceProvider.GetRequiredService<AdminBootstrap>().CreateAsync(email, password, cancellationToken);
            if (outcome.Failure is { } failure)
            {
                logger.LogWarning("First admin from configuration not made: {Detail}", failure.Detail);
            }
            else
            {
                logger.LogInformation("First admin from configuration: {Result}", outcome.Value);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
