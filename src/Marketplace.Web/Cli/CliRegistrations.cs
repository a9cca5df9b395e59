namespace Marketplace.Web.Cli;

public static class CliRegistrations
{
    /// <summary>The commands (<c>migrate</c>, <c>seed-demo</c>, <c>create-admin</c>) and what runs before the server listens.</summary>
    public static IServiceCollection AddCommands(this IServiceCollection services)
    {
        services.AddScoped<DemoSeeder>();
        services.AddHostedService<StartupTasks>();
        return services;
    }
}
