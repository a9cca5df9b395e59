using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Marketplace.Payouts;

public static class PayoutsServiceCollectionExtensions
{
    /// <summary>
    /// Everything: options, the gateway, and the use cases over the host's DbContext as <see cref="IPayoutsDb"/>
    /// (<typeparamref name="TDb"/> must be registered, scoped, as itself, which AddDbContext does).
    /// </summary>
    public static IServiceCollection AddPayouts<TDb>(this IServiceCollection services, IConfiguration configuration)
        where TDb : class, IPayoutsDb
    {
        services.AddPayouts(configuration);
        services.TryAddScoped<IPayoutsDb>(sp => sp.GetRequiredService<TDb>());
        services.TryAddScoped<IPayoutsObserver, NoPayoutsObserver>();
        services.TryAddScoped<IEscrowFundingPolicy, NoEscrowFundingPolicy>();
        services.AddScoped<Ledger>();
        services.AddScoped<FundEscrow>();
        services.AddScoped<StartJobFunding>();
        services.AddScoped<CreditReceivedPayment>();
        services.AddScoped<EscrowQueries>();
        services.AddScoped<RefundUnspentEscrow>();
        services.AddScoped<AccrueEarnings>();
        services.AddScoped<ReleaseEarnings>();
        services.AddScoped<ReverseEarnings>();
        services.AddScoped<ConnectPayoutAccount>();
        services.AddScoped<SetPayoutHold>();
        services.AddScoped<PlanPayoutRun>();
        services.AddScoped<PausePayoutRun>();
        services.AddScoped<ExecutePayout>();
        services.AddScoped<SettlePayout>();
        services.AddScoped<ResolvePayout>();
        services.AddScoped<ClawBackPayout>();
        services.AddScoped<PayoutQueries>();
        services.AddScoped<ReceiveStripeWebhook>();
        services.AddScoped<ProcessStripeEvent>();
        services.AddScoped<ReconcileLedger>();
        return services;
    }

    /// <summary>
    /// Options (validated on start) and the payments gateway only: no database. Use cases come with
    /// <see cref="AddPayouts{TDb}"/>, once the host's DbContext implements <see cref="IPayoutsDb"/>; until then
    /// registering them would fail the host's ValidateOnBuild.
    /// </summary>
    public static IServiceCollection AddPayouts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StripeOptions>()
            .Bind(configuration.GetSection(StripeOptions.Section))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<StripeOptions>, StripeOptionsValidator>();
        services.AddOptions<PayoutsOptions>()
            .Bind(configuration.GetSection(PayoutsOptions.Section))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<PayoutsOptions>, PayoutsOptionsValidator>();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<DryRunPaymentsGateway>();
        services.TryAddSingleton<IPaymentsGateway>(sp =>
        {
            var stripe = sp.GetRequiredService<IOptions<StripeOptions>>().Value;
            return stripe.IsDryRun
                ? sp.GetRequiredService<DryRunPaymentsGateway>()
                : new StripePaymentsGateway(StripeClientFactory.Create(stripe, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>()));
        });

        return services;
    }
}
