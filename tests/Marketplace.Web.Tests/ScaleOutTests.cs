using System.Net.Http.Headers;
using System.Net.Http.Json;
using Marketplace.Web.Data;
using Marketplace.Web.Domain;
using Marketplace.Web.Live;
using Marketplace.Web.Tasks;
using Marketplace.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Marketplace.Web.Tests;

/// <summary>
/// Two app nodes on loopback ports sharing one PostgreSQL database and one Redis server: a client connected to
/// node A hears what a request to node B caused. Redis comes from <c>MARKETPLACE_TEST_REDIS</c> (test.sh starts one);
/// a missing server fails the test, it never skips.
/// </summary>
public sealed class ScaleOutTests : IAsyncLifetime
{
    public const string RedisVariable = "MARKETPLACE_TEST_REDIS";
    private readonly string _database = $"marketplace_scaleout_{Guid.NewGuid():N}";
    private Node? _a;
    private Node? _b;

    private static string Redis => Environment.GetEnvironmentVariable(RedisVariable) is { Length: > 0 } value ? value : "127.0.0.1:6379";

    public async Task InitializeAsync()
    {
        try
        {
            using var probe = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync($"{Redis},connectTimeout=3000");
            await probe.GetDatabase().PingAsync();
        }
        catch (StackExchange.Redis.RedisConnectionException e)
        {
            throw new InvalidOperationException($"Redis is not reachable at {Redis} ({e.Message}). Run ./test.sh, which installs and starts it, or set {RedisVariable}.", e);
        }

        await using (var admin = new NpgsqlConnection(PostgresAppFactory.AdminConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{_database}\"", admin);
            await create.ExecuteNonQueryAsync();
        }

        var connection = new NpgsqlConnectionStringBuilder(PostgresAppFactory.AdminConnectionString) { Database = _database, MaxPoolSize = 20 }.ConnectionString;
        _a = Node.Start(connection, Redis);
        await DatabaseMigrator.MigrateAsync(_a.Services);
        _b = Node.Start(connection, Redis);
    }

    public async Task DisposeAsync()
    {
        foreach (var node in new[] { _a, _b })
        {
            if (node is not null)
            {
                await node.DisposeAsync();
            }
        }

        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(PostgresAppFactory.AdminConnectionString);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task AClientOnNodeA_HearsProgressCausedByALabelSubmittedToNodeB()
    {
        var (a, b) = (_a!, _b!);
        Assert.NotEqual(a.Address, b.Address);
        var owner = await a.CreateUserAsync(Roles.Buyer, await a.CreateOrganizationAsync());
        var job = await a.ActiveJobAsync(items: 3, organizationId: owner.OrganizationId);
        var contributor = await a.ContributorAsync();

        var buyerToken = await a.CreateApiTokenAsync(owner.Id);
        await using var watcher = new HubConnectionBuilder()
            .WithUrl($"{a.Address}{LiveHub.Path}", o => o.AccessTokenProvider = () => Task.FromResult<string?>(buyerToken))
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()))
            .Build();
        var heard = new TaskCompletionSource<JobProgressNotice>(TaskCreationOptions.RunContinuationsAsynchronously);
        watcher.On<JobProgressNotice>(nameof(ILiveClient.JobProgress), notice =>
        {
            if (notice.Progress.Labels == 1)
            {
                heard.TrySetResult(notice);
            }
        });
        await watcher.StartAsync();
        await watcher.InvokeAsync(nameof(LiveHub.WatchJob), job.Id);

        // The contributor works through node B's REST API.
        using var api = new HttpClient { BaseAddress = new Uri(b.Address) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await b.CreateApiTokenAsync(contributor));
        var claim = await api.PostAsync($"/api/work/jobs/{job.Id}/claim", null);
        claim.EnsureSuccessStatusCode();
        var task = (await claim.Content.ReadFromJsonAsync<TaskView>(ApiJson.Options))!;
        (await api.PostAsJsonAsync($"/api/work/assignments/{task.AssignmentId}/submit", new { answer = "cat" })).EnsureSuccessStatusCode();

        var notice = await heard.Task.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(job.Id, notice.JobId);
        Assert.Equal(3, notice.Progress.Items);
    }

    /// <summary>One node: the real app on Kestrel at 127.0.0.1 with the Redis backplane.</summary>
    private sealed class Node(string connectionString, string redis) : MarketplaceAppFactory
    {
        public override DatabaseProvider Provider => DatabaseProvider.Postgres;

        public string Address { get; private set; } = "";

        protected override string ConnectionString => connectionString;

        public static Node Start(string connectionString, string redis)
        {
            var node = new Node(connectionString, redis);
            node.UseKestrel(0);
            node.StartServer();
            node.Address = node.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            return node;
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Redis:Connection", redis);
        }
    }
}
