namespace Marketplace.Web.Admin;

public static class AdminRegistrations
{
    public static IServiceCollection AddAdmin(this IServiceCollection services) => services.AddScoped<AdminInsights>();
}
