using Marketplace.Web.Quality;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Quartz;

namespace Marketplace.Web.Jobs;

public static class JobsRegistrations
{
    /// <summary>The buyer's jobs and their results, with the schedules that complete them, re-aggregate them and publish their progress.</summary>
    public static IServiceCollection AddJobs(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<JobsOptions>().Bind(configuration.GetSection(JobsOptions.Section)).ValidateDataAnnotations().ValidateOnStart();

        // The job page takes uploads as forms: the same configured limit as the API, not MVC's defaults.
        services.AddOptions<RazorPagesOptions>().Configure<IOptions<JobsOptions>>((pages, jobs) =>
            pages.Conventions.AddPageApplicationModelConvention("/Buyer/Jobs/Details", page =>
            {
                page.Filters.Add(new RequestSizeLimitAttribute(jobs.Value.MaxImportBytes));
                page.Filters.Add(new RequestFormLimitsAttribute { MultipartBodyLengthLimit = jobs.Value.MaxImportBytes });
            }));
        services.AddScoped<CreateJob>();
        services.AddScoped<EditJob>();
        services.AddScoped<ChangeJobStatus>();
        services.AddScoped<JobLifecycle>();
        services.AddScoped<JobQueries>();
        services.AddScoped<JobQuote>();
        services.AddScoped<ItemImport>();
        services.AddScoped<ItemConsensus>();
        services.AddScoped<JobAggregation>();
        services.AddScoped<ResultsExport>();
        services.AddScoped<PairwiseRanking>();
        services.AddSingleton<JobProgressPublisher>();
        services.AddHostedService(sp => sp.GetRequiredService<JobProgressPublisher>());

        var reaggregateSeconds = Math.Max(10, configuration.GetValue($"{QualityOptions.Section}:{nameof(QualityOptions.ReaggregateSeconds)}", new QualityOptions().ReaggregateSeconds));
        services.AddQuartz(q =>
        {
            q.ScheduleJob<JobCompletionSweep>(
                trigger => trigger.WithIdentity("job-completion-trigger", "jobs").StartNow().WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromMinutes(1)).RepeatForever()),
                job => job.WithIdentity(JobCompletionSweep.Key));
            q.ScheduleJob<ReaggregationJob>(
                trigger => trigger.WithIdentity("reaggregation-trigger", "quality").StartAt(DateTimeOffset.UtcNow.AddSeconds(reaggregateSeconds)).WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromSeconds(reaggregateSeconds)).RepeatForever()),
                job => job.WithIdentity(ReaggregationJob.Key));
        });
        return services;
    }
}
