namespace Marketplace.Web.Quality;

public static class QualityRegistrations
{
    public static IServiceCollection AddQuality(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<QualityOptions>().Bind(configuration.GetSection(QualityOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ContributorAccuracy>();
        services.AddSingleton<TierCatalog>();
        services.AddScoped<ContributorTiers>();
        services.AddScoped<GoldRecords>();
        services.AddScoped<TierVersions>();
        services.AddScoped<TierOverrides>();
        return services;
    }
}
