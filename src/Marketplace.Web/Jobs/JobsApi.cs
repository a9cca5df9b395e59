using System.Security.Claims;
using Marketplace.Web.Data;
using Marketplace.Web.Domain;
using Marketplace.Web.Identity;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Marketplace.Web.Jobs;

public sealed record JobSummary(Guid Id, string Title, TaskType TaskType, JobStatus Status, long PayPerLabelMinor, string Currency, int Redundancy, long BudgetMinor, int Items, int GoldItems, int FinalizedItems, DateTime CreatedAt);

/// <summary>What the job's aggregation estimates of one contributor on it, by pseudonym only.</summary>
public sealed record ContributorOnJob(string Pseudonym, int Labels, double Accuracy, string Method, DateTime UpdatedAt);

public sealed record ImportSummary(int Imported, bool Gold, int TotalItems, int TotalGoldItems);

/// <summary>The jobs a user may see: a buyer their organization's, an admin all.</summary>
public sealed class JobQueries(MarketplaceDbContext db)
{
    public async Task<List<JobSummary>> VisibleJobsAsync(ClaimsPrincipal user, CancellationToken ct)
    {
        var jobs = db.Jobs.AsNoTracking();
        if (!user.IsInRole(Roles.Admin))
        {
            var userId = AccountApi.UserId(user);
            var organizationId = await db.Users.Where(u => u.Id == userId).Select(u => u.OrganizationId).SingleOrDefaultAsync(ct);
            jobs = jobs.Where(j => j.OrganizationId == organizationId);
        }

        return await jobs
            .OrderByDescending(j => j.CreatedAt)
            .Select(j => new JobSummary(
                j.Id, j.Title, j.TaskType, j.Status, j.PayPerLabelMinor, j.Currency, j.Redundancy, j.BudgetMinor,
                db.Items.Count(i => i.JobId == j.Id && !i.IsGold),
                db.Items.Count(i => i.JobId == j.Id && i.IsGold),
                db.Items.Count(i => i.JobId == j.Id && !i.IsGold && i.FinalizedAt != null),
                j.CreatedAt))
            .ToListAsync(ct);
    }

    /// <summary>The job's contributors as its last re-aggregation estimated them, most labels first.</summary>
    public Task<List<ContributorOnJob>> ContributorsAsync(Guid jobId, CancellationToken ct) =>
        (from e in db.JobContributorEstimates.AsNoTracking()
         join p in db.ContributorProfiles.AsNoTracking() on e.ContributorId equals p.UserId
         where e.JobId == jobId
         orderby e.Labels descending, p.Pseudonym
         select new ContributorOnJob(p.Pseudonym, e.Labels, e.Accuracy, e.Method, e.UpdatedAt)).ToListAsync(ct);
}

public static class JobsApi
{
    public static IEndpointRouteBuilder MapJobsEndpoints(this IEndpointRouteBuilder routes, IHostEnvironment environment)
    {
        var jobs = routes.MapGroup("/api/jobs").WithTags("Jobs").RequireAuthorization(Policies.BuyerOrAdmin);

        jobs.MapGet("/", async (ClaimsPrincipal user, JobQueries queries, CancellationToken ct) =>
            TypedResults.Ok(await queries.VisibleJobsAsync(user, ct)));

        jobs.MapPost("/", (CreateJobRequest request, ClaimsPrincipal user, JobService service, CancellationToken ct) =>
            service.CreateAsync(user, request, ct)).RequireAuthorization(Roles.Buyer);

        jobs.MapGet("/{id:guid}", async Task<Results<Ok<JobDetails>, NotFound>> (Guid id, ClaimsPrincipal user, JobService service, CancellationToken ct) =>
            await service.FindVisibleAsync(user, id, ct) is { } job ? TypedResults.Ok(await service.DetailsAsync(job, ct)) : TypedResults.NotFound());

        jobs.MapPatch("/{id:guid}", (Guid id, UpdateJobRequest request, ClaimsPrincipal user, JobService service, CancellationToken ct) =>
            service.UpdateAsync(user, id, request, ct));

        jobs.MapPost("/{id:guid}/items", (Guid id, HttpContext context, JobService service, ItemImport import, IOptions<JobsOptions> options, CancellationToken ct) =>
            ImportAsync(id, gold: false, context, service, import, options.Value, ct));
        jobs.MapPost("/{id:guid}/gold", (Guid id, HttpContext context, JobService service, ItemImport import, IOptions<JobsOptions> options, CancellationToken ct) =>
            ImportAsync(id, gold: true, context, service, import, options.Value, ct));

        jobs.MapGet("/{id:guid}/contributors", async Task<Results<Ok<List<ContributorOnJob>>, NotFound>> (Guid id, ClaimsPrincipal user, JobService service, JobQueries queries, CancellationToken ct) =>
            await service.FindVisibleAsync(user, id, ct) is { } job ? TypedResults.Ok(await queries.ContributorsAsync(job.Id, ct)) : TypedResults.NotFound());

        jobs.MapGet("/{id:guid}/ranking", async Task<Results<Ok<IReadOnlyList<Scoring.Aggregation.RankedOption>>, NotFound, Conflict<ProblemDetails>>> (Guid id, ClaimsPrincipal user, JobService service, PairwiseRanking ranking, CancellationToken ct) =>
        {
            var job = await service.FindVisibleAsync(user, id, ct);
            if (job is null)
            {
                return TypedResults.NotFound();
            }

            return job.TaskType == TaskType.Pairwise
                ? TypedResults.Ok(await ranking.RankAsync(job, ct))
                : TypedResults.Conflict(new ProblemDetails { Status = StatusCodes.Status409Conflict, Title = "Only pairwise jobs rank.", Detail = $"This is a {job.TaskType} job; its results are at /api/jobs/{id}/results." });
        });

        jobs.MapGet("/{id:guid}/results", async Task<Results<PushStreamHttpResult, NotFound, ProblemHttpResult>> (Guid id, string? format, ClaimsPrincipal user, JobService service, ResultsExport export, CancellationToken ct) =>
        {
            if (ResultsExport.FormatOf(format) is not { } chosen)
            {
                return TypedResults.Problem(new ProblemDetails
                {
                    Status = StatusCodes.Status400BadRequest,
                    Title = "Unknown export format.",
                    Detail = "format must be csv or jsonl.",
                    Extensions = { ["errors"] = new Dictionary<string, string[]> { ["format"] = ["Must be csv or jsonl."] } },
                });
            }

            var job = await service.FindVisibleAsync(user, id, ct);
            return job is null
                ? TypedResults.NotFound()
                : TypedResults.Stream(stream => export.WriteAsync(job, chosen, stream, ct), ResultsExport.ContentType(chosen), ResultsExport.FileName(job, chosen));
        });

        foreach (var (action, status) in new[] { ("launch", JobStatus.Active), ("pause", JobStatus.Paused), ("resume", JobStatus.Active), ("complete", JobStatus.Completed), ("cancel", JobStatus.Cancelled) })
        {
            jobs.MapPost($"/{{id:guid}}/{action}", async (Guid id, ClaimsPrincipal user, JobService service, CancellationToken ct) =>
                    await ActAsync(action, status, id, user, service, ct))
                .WithName($"{char.ToUpperInvariant(action[0])}{action[1..]}Job");
        }

        // Until Stripe funding lands (money issue), an admin can mark a job funded, in Development only.
        if (environment.IsDevelopment())
        {
            jobs.MapPost("/{id:guid}/mark-funded", (Guid id, ClaimsPrincipal user, JobService service, CancellationToken ct) =>
                service.TransitionAsync(user, id, JobStatus.Funded, ct)).RequireAuthorization(Roles.Admin);
        }

        return routes;
    }

    private static async Task<Results<Ok<JobDetails>, NotFound, Conflict<ProblemDetails>>> ActAsync(string action, JobStatus status, Guid id, ClaimsPrincipal user, JobService service, CancellationToken ct)
    {
        // "resume" and "launch" both lead to Active, but each only from its own state.
        if (action is "resume" or "launch" && await service.FindVisibleAsync(user, id, ct) is { } job
            && job.Status != (action == "resume" ? JobStatus.Paused : JobStatus.Funded))
        {
            return TypedResults.Conflict(new ProblemDetails
            {
                Status = StatusCodes.Status409Conflict,
                Title = "Not allowed in the job's current state.",
                Detail = action == "resume" ? $"Only a paused job can resume; this one is {job.Status}." : $"Only a funded job can launch; this one is {job.Status}.",
            });
        }

        return (await service.TransitionAsync(user, id, status, ct)).Result switch
        {
            Ok<JobDetails> ok => ok,
            NotFound notFound => notFound,
            Conflict<ProblemDetails> conflict => conflict,
            var other => throw new InvalidOperationException($"Unexpected result {other}."),
        };
    }

    private static async Task<IResult> ImportAsync(Guid id, bool gold, HttpContext context, JobService service, ItemImport import, JobsOptions options, CancellationToken ct)
    {
        var request = context.Request;
        if (request.ContentLength > options.MaxImportBytes)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Upload too large.", detail: $"Uploads are limited to {options.MaxImportBytes:N0} bytes; split the file.");
        }

        // Kestrel's default body limit (30 MB) is for ordinary requests; imports get their own, enforced while streaming.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = options.MaxImportBytes;
        }

        var job = await service.FindVisibleAsync(context.User, id, ct);
        if (job is null)
        {
            return TypedResults.NotFound();
        }

        if (job.IsClosed)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Not allowed in the job's current state.", detail: $"A {job.Status} job takes no more items.");
        }

        var format = ItemImport.FormatOf(request.ContentType, null);
        if (format is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported upload format.", detail: "Send text/csv or application/jsonl (one JSON object per line).");
        }

        var outcome = await import.ImportAsync(job, request.Body, format.Value, gold, ct);
        if (!outcome.Succeeded)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status400BadRequest,
                title: "The upload has errors; nothing was imported.",
                detail: $"{outcome.Errors.Count}{(outcome.Truncated ? "+" : "")} problem(s), first at row {outcome.Errors[0].Row}: {outcome.Errors[0].Field} {outcome.Errors[0].Message}",
                extensions: new Dictionary<string, object?> { ["errors"] = outcome.Errors });
        }

        var details = await service.DetailsAsync(job, ct);
        return TypedResults.Ok(new ImportSummary(outcome.Imported, gold, details.Items, details.GoldItems));
    }
}
