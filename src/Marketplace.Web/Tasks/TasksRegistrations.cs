using Marketplace.Web.Data;
using Quartz;

namespace Marketplace.Web.Tasks;

public static class TasksRegistrations
{
    /// <summary>The work loop (claim, submit, release, leases), qualification tests, the feed and dashboard, and the lease sweep.</summary>
    public static IServiceCollection AddTasks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TasksOptions>().Bind(configuration.GetSection(TasksOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IClaimQuery>(sp => sp.GetRequiredService<DatabaseOptions>().Provider switch
        {
            DatabaseProvider.Postgres => new PostgresClaimQuery(),
            DatabaseProvider.SqlServer => new SqlServerClaimQuery(),
            _ => new SqliteClaimQuery(),
        });
        services.AddScoped<ClaimTask>();
        services.AddScoped<SubmitAnswer>();
        services.AddScoped<ReleaseTask>();
        services.AddScoped<Leases>();
        services.AddScoped<ExpireLeases>();
        services.AddScoped<TaskViews>();
        services.AddScoped<QualificationTests>();
        services.AddScoped<TaskFeed>();
        services.AddScoped<ContributorDashboard>();

        var sweepSeconds = Math.Max(1, configuration.GetValue($"{TasksOptions.Section}:{nameof(TasksOptions.SweepSeconds)}", new TasksOptions().SweepSeconds));
        services.AddQuartz(q => q.ScheduleJob<LeaseSweepJob>(
            trigger => trigger.WithIdentity("lease-sweep-trigger", "work").StartNow().WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromSeconds(sweepSeconds)).RepeatForever()),
            job => job.WithIdentity(LeaseSweepJob.Key)));
        return services;
    }
}
