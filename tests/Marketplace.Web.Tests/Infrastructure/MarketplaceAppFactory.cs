using Marketplace.Testing;
using Marketplace.Web.Data;
using Marketplace.Web.Domain;
using Marketplace.Web.Identity;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Marketplace.Web.Tests.Infrastructure;

/// <summary>The real app over a real database; one subclass per provider.</summary>
public abstract class MarketplaceAppFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public abstract DatabaseProvider Provider { get; }

    protected abstract string ConnectionString { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:Provider", Provider.ToString());
        builder.UseSetting("ConnectionStrings:Marketplace", ConnectionString);
        // Tests claim far faster than a person; the limits have their own test.
        builder.UseSetting("Work:ClaimsPerMinute", "100000");
        builder.UseSetting("Work:ClaimsPerDay", "10000000");
        // Tests re-aggregate by calling the service; a background pass in the middle of another test would race it.
        builder.UseSetting("Work:ReaggregateSeconds", "86400");
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            services.AddSingleton<IEmailSender>(Emails);
        });
    }

    /// <summary>Every email the app sends (sign-up confirmations, password resets), for tests to read the links in.</summary>
    public CapturedEmails Emails { get; } = new();

    /// <summary>The app's clock; tests move it forward to expire leases.</summary>
    public AdjustableClock Clock { get; } = new();

    public virtual Task InitializeAsync() => Task.CompletedTask;

    Task IAsyncLifetime.DisposeAsync() => DisposeDatabaseAsync();

    protected virtual Task DisposeDatabaseAsync() => Task.CompletedTask;

    /// <summary>
    /// A browser with the site's scripts: it sends <see cref="ApiRequestRules.ScriptHeader"/> as they do on every API
    /// call, or, with <paramref name="asScripts"/> false, a bare browser such as another site's form posts from.
    /// </summary>
    public HttpClient CreateBrowserClient(bool asScripts = true)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true, BaseAddress = ClientOptions.BaseAddress });
        return asScripts ? AsPageScripts(client) : client;
    }

    /// <summary>The client sends <see cref="ApiRequestRules.ScriptHeader"/> on every request, as the pages' scripts do.</summary>
    public static HttpClient AsPageScripts(HttpClient client)
    {
        client.DefaultRequestHeaders.Add(ApiRequestRules.ScriptHeader, "XMLHttpRequest");
        return client;
    }

    public async Task<T> WithDbAsync<T>(Func<MarketplaceDbContext, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<MarketplaceDbContext>());
    }

    public async Task<T> WithServiceAsync<TService, T>(Func<TService, Task<T>> work)
        where TService : notnull
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<TService>());
    }

    /// <summary>A personal API token for the user, as <c>/Account/Tokens</c> makes one (every scope unless told); returns the secret.</summary>
    public async Task<string> CreateApiTokenAsync(string userId, ApiTokenScopes scopes = ApiTokenScopes.Read | ApiTokenScopes.Write | ApiTokenScopes.Admin)
    {
        var secret = ApiToken.NewSecret();
        await WithDbAsync(db =>
        {
            db.ApiTokens.Add(new ApiToken { Id = Guid.NewGuid(), UserId = userId, Name = "test", Prefix = secret[..8], Hash = ApiToken.HashOf(secret), CreatedAt = DateTime.UtcNow, Scopes = scopes });
            return db.SaveChangesAsync();
        });
        return secret;
    }

    public Task<Guid> CreateOrganizationAsync() => this.Arrange().OrganizationAsync();

    /// <summary>A browser signed in as a new user of the role; a buyer gets an organization of their own.</summary>
    public async Task<(ApplicationUser User, BrowserSession Browser)> SignedInAsync(string role)
    {
        var organization = role == Roles.Buyer ? await CreateOrganizationAsync() : (Guid?)null;
        var user = await CreateUserAsync(role, organization, BrowserSession.Password);
        var browser = new BrowserSession(CreateBrowserClient());
        var response = await browser.SignInAsync(user.Email!);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, response.StatusCode);
        return (user, browser);
    }

    /// <summary>Creates a user directly (no page), for arranging a test.</summary>
    public Task<ApplicationUser> CreateUserAsync(string role, Guid? organizationId = null, string? password = null) =>
        this.Arrange().UserAsync(role, organizationId, password);
}

/// <summary>A fresh SQLite file per test class; the app migrates it at start-up like the embedded default does.</summary>
public class SqliteAppFactory : MarketplaceAppFactory
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"marketplace-test-{Guid.NewGuid():N}.db");

    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    protected override string ConnectionString => $"Data Source={_path}";

    protected override Task DisposeDatabaseAsync()
    {
        // Pooled connections keep the file open; let them go before deleting it.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            File.Delete(file);
        }

        return Task.CompletedTask;
    }
}

/// <summary>
/// A real PostgreSQL database made for this test run and dropped after it, migrated with the same code as
/// the <c>migrate</c> command. A missing server fails the tests: they never skip.
/// </summary>
public sealed class PostgresAppFactory : MarketplaceAppFactory
{
    public const string AdminConnectionVariable = "MARKETPLACE_TEST_POSTGRES";
    private const string DefaultAdminConnection = "Host=127.0.0.1;Port=5432;Username=marketplace;Password=marketplace;Database=postgres";
    private readonly string _database = $"marketplace_test_{Guid.NewGuid():N}";

    public override DatabaseProvider Provider => DatabaseProvider.Postgres;

    public static string AdminConnectionString => Environment.GetEnvironmentVariable(AdminConnectionVariable) is { Length: > 0 } value ? value : DefaultAdminConnection;

    /// <summary>The pool stays well under the server's 100 connections, which parallel test classes share.</summary>
    protected override string ConnectionString => new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = _database, MaxPoolSize = 40 }.ConnectionString;

    public override async Task InitializeAsync()
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        try
        {
            await connection.OpenAsync();
        }
        catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            throw new InvalidOperationException(
                $"PostgreSQL is not reachable ({e.Message}). Run ./test.sh, which installs and starts it, or set {AdminConnectionVariable}.", e);
        }

        await using (var create = new NpgsqlCommand($"CREATE DATABASE \"{_database}\"", connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        await DatabaseMigrator.MigrateAsync(Services);
    }

    protected override async Task DisposeDatabaseAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresAppFactory>
{
    public const string Name = "PostgreSQL";
}

/// <summary>
/// Stress tests (hundreds of concurrent workers) run alone, after every parallel collection, each class on its own
/// database: on two cores, a neighbour's CPU load would otherwise stretch every lock they queue on and measure the
/// neighbours instead of the code.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class StressCollection
{
    public const string Name = "Stress";
}
