using Marketplace.Web.Data;
using Marketplace.Web.Identity;

namespace Marketplace.Web.Cli;

/// <summary>Where a command reads and writes: the process's console and environment, or a test's.</summary>
public sealed record CommandConsole(TextWriter Out, TextWriter Error, TextReader In, Func<string, string?> Environment)
{
    public static CommandConsole Process => new(Console.Out, Console.Error, Console.In, System.Environment.GetEnvironmentVariable);
}

/// <summary>
/// <c>dotnet run --project src/Marketplace.Web -- COMMAND</c>: migrate | seed-demo | create-admin --email EMAIL [--promote-existing].
/// </summary>
public static class CommandLine
{
    public const string PromoteExisting = "--promote-existing";

    private static readonly string[] Commands = ["migrate", "seed-demo", "create-admin"];

    public static bool IsCommand(string[] args) => args.Length > 0 && Commands.Contains(args[0], StringComparer.Ordinal);

    public static Task<int> RunAsync(WebApplication app, string[] args) => RunAsync(app.Services, args, CommandConsole.Process, app.Lifetime.ApplicationStopping);

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, CommandConsole console, CancellationToken ct)
    {
        switch (args[0])
        {
            case "migrate":
                var applied = await DatabaseMigrator.MigrateAsync(services, ct);
                await console.Out.WriteLineAsync(applied.Count == 0 ? "The database is up to date." : $"Applied: {string.Join(", ", applied)}");
                return 0;

            case "seed-demo":
                await MigrateEmbeddedAsync(services, ct);
                await using (var scope = services.CreateAsyncScope())
                {
                    var seeder = scope.ServiceProvider.GetRequiredService<DemoSeeder>();
                    await console.Out.WriteLineAsync(await seeder.SeedAsync(Option(args, "--password"), ct));
                }

                return 0;

            case "create-admin":
                return await CreateAdminAsync(services, args, console, ct);

            default:
                return 2;
        }
    }

    /// <summary>
    /// A new admin. An address that already has an account is refused unless <c>--promote-existing</c> says to take
    /// that account over: then its password becomes the one given here, its sessions end and its API tokens are revoked.
    /// </summary>
    private static async Task<int> CreateAdminAsync(IServiceProvider services, string[] args, CommandConsole console, CancellationToken ct)
    {
        var email = Option(args, "--email");
        if (string.IsNullOrWhiteSpace(email))
        {
            await console.Error.WriteLineAsync($"Usage: create-admin --email EMAIL [{PromoteExisting}] (password from MARKETPLACE_ADMIN_PASSWORD or standard input)");
            return 2;
        }

        var password = console.Environment("MARKETPLACE_ADMIN_PASSWORD");
        if (string.IsNullOrEmpty(password))
        {
            await console.Out.WriteAsync("Password: ");
            password = await console.In.ReadLineAsync(ct);
        }

        if (string.IsNullOrEmpty(password))
        {
            await console.Error.WriteLineAsync("No password given.");
            return 2;
        }

        await MigrateEmbeddedAsync(services, ct);
        await using var scope = services.CreateAsyncScope();
        var bootstrap = scope.ServiceProvider.GetRequiredService<AdminBootstrap>();
        var outcome = args.Contains(PromoteExisting, StringComparer.Ordinal)
            ? await bootstrap.PromoteExistingAsync(email, password, ct)
            : await bootstrap.CreateAsync(email, password, ct);
        if (outcome.Failure is { } failure)
        {
            await console.Error.WriteLineAsync($"{failure.Title}: {failure.Detail}");
            return 1;
        }

        await console.Out.WriteLineAsync(outcome.Value);
        return 0;
    }

    private static async Task MigrateEmbeddedAsync(IServiceProvider services, CancellationToken ct)
    {
        if (services.GetRequiredService<DatabaseOptions>().Provider == DatabaseProvider.Sqlite)
        {
            await DatabaseMigrator.MigrateAsync(services, ct);
        }
    }

    private static string? Option(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }
}
