using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Marketplace.Web.Audit;

public static class AuditRegistrations
{
    /// <summary>The audit log, and the interceptor that keeps append-only tables append-only and audits every ledger transaction.</summary>
    public static IServiceCollection AddAudit(this IServiceCollection services)
    {
        services.AddSingleton<AuditTrailInterceptor>();
        services.AddSingleton<IInterceptor>(sp => sp.GetRequiredService<AuditTrailInterceptor>());
        services.AddScoped<AuditLog>();
        return services;
    }
}
