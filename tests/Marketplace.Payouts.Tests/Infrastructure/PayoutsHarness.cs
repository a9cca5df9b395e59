using Marketplace.StripeFake;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;

namespace Marketplace.Payouts.Tests.Infrastructure;

/// <summary>
/// The Payouts library wired the way the host will wire it (AddPayouts with a DbContext implementing IPayoutsDb),
/// over a real database and, unless dry-run, the real Stripe.net client talking HTTP to <see cref="FakeStripeServer"/>.
/// </summary>
public sealed class PayoutsHarness : IAsyncDisposable
{
    public const string Currency = "USD";

    private PayoutsHarness(TestDatabase database, FakeStripeServer? stripe, ManualClock clock, ServiceProvider services)
    {
        Database = database;
        Stripe = stripe;
        Clock = clock;
        Services = services;
    }

    public TestDatabase Database { get; }

    public FakeStripeServer? Stripe { get; }

    public FakeStripeServer Fake => Stripe ?? throw new InvalidOperationException("This harness is a dry run.");

    public ManualClock Clock { get; }

    public ServiceProvider Services { get; }

    public static async Task<PayoutsHarness> CreateAsync(DatabaseKind kind, bool dryRun = false, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
    {
        var clock = new ManualClock();
        var database = await TestDatabase.CreateAsync(kind);
        var stripe = dryRun ? null : await FakeStripeServer.StartAsync();
        if (stripe is not null)
        {
            stripe.Now = clock.GetUtcNow;
        }

        var values = new Dictionary<string, string?>
        {
            ["Payouts:HoldDays"] = "7",
            ["Payouts:MinimumPayoutMinor"] = "1000",
            ["Payouts:PlatformFeeBasisPoints"] = "2000",
            ["Stripe:RetryBaseDelay"] = "00:00:00.010",
            ["Stripe:RequestTimeout"] = "00:00:10",
            ["Stripe:MaxAttempts"] = "4",
        };
        if (stripe is not null)
        {
            values["Stripe:SecretKey"] = FakeStripeServer.SecretKey;
            values["Stripe:WebhookSecret"] = FakeStripeServer.WebhookSecret;
            values["Stripe:ApiBase"] = stripe.BaseUrl.ToString();
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(clock);
        services.AddScoped(_ => database.CreateContext());
        services.AddPayouts<TestPayoutsDb>(configuration);
        configure?.Invoke(services);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
        return new PayoutsHarness(database, stripe, clock, provider);
    }

    /// <summary>One unit of work, like one request or one Hangfire job.</summary>
    public async Task<T> InScopeAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    public Task<T> Use<TService, T>(Func<TService, Task<T>> work)
        where TService : notnull =>
        InScopeAsync(sp => work(sp.GetRequiredService<TService>()));

    public Task<long> BalanceAsync(LedgerAccountId account, string currency = Currency) =>
        Use<Ledger, long>(async ledger => (await ledger.BalanceAsync(account, currency)).MinorUnits);

    public Task<T> QueryAsync<T>(Func<TestPayoutsDb, Task<T>> query) =>
        InScopeAsync(sp => query(sp.GetRequiredService<TestPayoutsDb>()));

    public static Money Usd(long minor) => new(minor, Currency);

    /// <summary>A confirmed payment into the job's escrow, as the payment_intent.succeeded webhook would post it.</summary>
    public Task<FundingResult> FundAsync(Guid jobId, long amount, string? paymentIntentId = null) =>
        Use<FundEscrow, FundingResult>(f => f.ExecuteAsync(new PaymentConfirmation(paymentIntentId ?? $"pi_test_{Guid.NewGuid():N}", jobId, Usd(amount))));

    public Task<AccrualResult> AccrueAsync(Guid jobId, string contributorId, long pay, decimal multiplier = 1m, string? tier = null, Guid? assignmentId = null) =>
        Use<AccrueEarnings, AccrualResult>(a => a.ExecuteAsync(new EarningRequest(assignmentId ?? Guid.NewGuid(), jobId, contributorId, Usd(pay), multiplier, tier)));

    /// <summary>A contributor with a payout account (at the fake Stripe, or a dry-run id), enabled or not.</summary>
    public async Task<string> ConnectAsync(string contributorId, bool payoutsEnabled = true)
    {
        var accountId = Stripe?.CreateConnectedAccount(payoutsEnabled) ?? $"dryrun_acct_{contributorId}";
        await QueryAsync(async db =>
        {
            var account = new PayoutAccount(contributorId, accountId, Clock.GetUtcNow().UtcDateTime);
            account.ApplyStatus(payoutsEnabled, payoutsEnabled, Clock.GetUtcNow().UtcDateTime);
            db.PayoutAccounts.Add(account);
            return await db.SaveChangesAsync();
        });
        return accountId;
    }

    /// <summary>Gives a contributor an available balance: funds a job, accrues one label of this pay, waits out the hold, releases.</summary>
    public async Task<Guid> GiveAvailableAsync(string contributorId, long pay)
    {
        var jobId = Guid.NewGuid();
        await FundAsync(jobId, pay * 2);
        Assert.Equal(AccrualStatus.Accrued, (await AccrueAsync(jobId, contributorId, pay)).Status);
        Clock.Advance(TimeSpan.FromDays(8));
        await Use<ReleaseEarnings, int>(r => r.ExecuteAsync());
        return jobId;
    }

    public Task<Payout> PayoutAsync(Guid payoutId) =>
        QueryAsync(db => db.Payouts.AsNoTracking().SingleAsync(p => p.Id == payoutId));

    /// <summary>Debits minus credits per currency: zero everywhere when the books balance.</summary>
    public async Task AssertBooksBalanceAsync()
    {
        var trial = await Use<Ledger, IReadOnlyDictionary<string, long>>(l => l.TrialBalanceAsync());
        Assert.All(trial, pair => Assert.Equal(0, pair.Value));
        var drift = await Use<Ledger, IReadOnlyList<(LedgerAccountId Account, string Currency, long Running, long Entries)>>(l => l.RunningBalanceDriftAsync());
        Assert.Empty(drift);
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        if (Stripe is not null)
        {
            await Stripe.DisposeAsync();
        }

        await Database.DisposeAsync();
    }
}
