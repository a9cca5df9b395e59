using Marketplace.Web.Data;
using Marketplace.Web.Identity;

namespace Marketplace.Web.Cli;

/// <summary>
/// <c>dotnet run --project src/Marketplace.Web -- COMMAND</c>: migrate | seed-demo | create-admin --email EMAIL.
/// </summary>
public static class CommandLine
{
    private static readonly string[] Commands = ["migrate", "seed-demo", "create-admin"];

    public static bool IsCommand(string[] args) => args.Length > 0 && Commands.Contains(args[0], StringComparer.Ordinal);

    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        var ct = app.Lifetime.ApplicationStopping;
        switch (args[0])
        {
            case "migrate":
                var applied = await DatabaseMigrator.MigrateAsync(app.Services, ct);
                Console.WriteLine(applied.Count == 0 ? "The database is up to date." : $"Applied: {string.Join(", ", applied)}");
                return 0;

            case "seed-demo":
                await MigrateEmbeddedAsync(app, ct);
                await using (var scope = app.Services.CreateAsyncScope())
                {
                    var seeder = scope.ServiceProvider.GetRequiredService<DemoSeeder>();
                    Console.WriteLine(await seeder.SeedAsync(Option(args, "--password"), ct));
                }

                return 0;

            case "create-admin":
                var email = Option(args, "--email");
                if (string.IsNullOrWhiteSpace(email))
                {
                    await Console.Error.WriteLineAsync("Usage: create-admin --email EMAIL (password from MARKETPLACE_ADMIN_PASSWORD or standard input)");
                    return 2;
                }

                var password = Environment.GetEnvironmentVariable("MARKETPLACE_ADMIN_PASSWORD");
                if (string.IsNullOrEmpty(password))
                {
                    Console.Write("Password: ");
                    password = Console.ReadLine();
                }

                if (string.IsNullOrEmpty(password))
                {
                    await Console.Error.WriteLineAsync("No password given.");
                    return 2;
                }

                await MigrateEmbeddedAsync(app, ct);
                await using (var scope = app.Services.CreateAsyncScope())
                {
                    Console.WriteLine(await scope.ServiceProvider.GetRequiredService<AdminBootstrap>().EnsureAdminAsync(email, password, ct));
                }

                return 0;

            default:
                return 2;
        }
    }

    private static async Task MigrateEmbeddedAsync(WebApplication app, CancellationToken ct)
    {
        if (app.Services.GetRequiredService<DatabaseOptions>().Provider == DatabaseProvider.Sqlite)
        {
            await DatabaseMigrator.MigrateAsync(app.Services, ct);
        }
    }

    private static string? Option(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }
}
