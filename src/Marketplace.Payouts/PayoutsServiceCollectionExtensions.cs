using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Marketplace.Payouts;

public static class PayoutsServiceCollectionExtensions
{
    /// <summary>
    /// Payouts with the host's DbContext as <see cref="IPayoutsDb"/> (it must be registered, scoped, as <typeparamref name="TDb"/>).
    /// </summary>
    public static IServiceCollection AddPayouts<TDb>(this IServiceCollection services, IConfiguration configuration)
        where TDb : class, IPayoutsDb
    {
        services.AddScoped<IPayoutsDb>(sp => sp.GetRequiredService<TDb>());
        return services.AddPayouts(configuration);
    }

    /// <summary>Options, gateway and use cases. The host registers <see cref="IPayoutsDb"/> (or calls the generic overload).</summary>
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
        services.TryAddScoped<IPayoutsObserver, NoPayoutsObserver>();
        services.TryAddSingleton<DryRunPaymentsGateway>();
        services.TryAddSingleton<IPaymentsGateway>(sp =>
        {
            var stripe = sp.GetRequiredService<IOptions<StripeOptions>>().Value;
            return stripe.IsDryRun
                ? sp.GetRequiredService<DryRunPaymentsGateway>()
                : new StripePaymentsGateway(StripeClientFactory.Create(stripe, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>()));
        });

        services.AddScoped<Ledger>();
        services.AddScoped<FundEscrow>();
        services.AddScoped<StartJobFunding>();
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
        services.AddScoped<ResolvePayout>();
        services.AddScoped<PayoutQueries>();
        services.AddScoped<ReceiveStripeWebhook>();
        services.AddScoped<ProcessStripeEvent>();
        services.AddScoped<ReconcileLedger>();
        return services;
    }
}
