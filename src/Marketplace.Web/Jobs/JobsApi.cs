using System.Security.Claims;
using Marketplace.Scoring.Aggregation;
using Marketplace.Web.Domain;
using Marketplace.Web.Hosting;
using Marketplace.Web.Identity;
using Marketplace.Web.Payments;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Extensions.Options;

namespace Marketplace.Web.Jobs;

public sealed record FundJobRequest(long? AmountMinor);

public sealed record FundingView(string PaymentIntentId, string? ClientSecret, long AmountMinor, string Currency, bool DryRun, bool FundedNow, JobStatus Status);

/// <summary>
/// The buyer's API, everything under <c>/api/jobs</c>: jobs, their items and gold, their lifecycle, funding and escrow,
/// and their results. A job of another organization is a 404.
/// </summary>
public static class JobsApi
{
    public static IEndpointRouteBuilder MapJobsApi(this IEndpointRouteBuilder routes)
    {
        var jobs = routes.MapGroup("/api/jobs").WithTags("Jobs").RequireAuthorization(Policies.BuyerOrAdmin);

        jobs.MapGet("/", async (ClaimsPrincipal user, JobQueries queries, CancellationToken ct) =>
            TypedResults.Ok(await queries.VisibleJobsAsync(user, ct)));
        jobs.MapPost("/", CreateAsync).RequireAuthorization(Roles.Buyer);
        jobs.MapGet("/{id:guid}", async Task<Results<Ok<JobDetails>, NotFound>> (Guid id, ClaimsPrincipal user, JobQueries queries, CancellationToken ct) =>
            await queries.DetailsAsync(user, id, ct) is { } details ? TypedResults.Ok(details) : TypedResults.NotFound());
        jobs.MapPatch("/{id:guid}", async (Guid id, UpdateJobRequest request, ClaimsPrincipal user, EditJob edit, JobQueries queries, CancellationToken ct) =>
            await DetailsOrProblemAsync(await edit.ExecuteAsync(user, id, request, ct), queries, ct));

        jobs.MapPost("/{id:guid}/items", (Guid id, HttpContext context, JobAccess access, ItemImport import, JobQueries queries, IOptions<JobsOptions> options, CancellationToken ct) =>
            ImportAsync(id, gold: false, context, access, import, queries, options.Value, ct))
            .Accepts<string>("text/csv", "application/jsonl").Produces(StatusCodes.Status413PayloadTooLarge).Produces(StatusCodes.Status415UnsupportedMediaType);
        jobs.MapPost("/{id:guid}/gold", (Guid id, HttpContext context, JobAccess access, ItemImport import, JobQueries queries, IOptions<JobsOptions> options, CancellationToken ct) =>
            ImportAsync(id, gold: true, context, access, import, queries, options.Value, ct))
            .Accepts<string>("text/csv", "application/jsonl").Produces(StatusCodes.Status413PayloadTooLarge).Produces(StatusCodes.Status415UnsupportedMediaType);

        foreach (var transition in new[] { JobTransition.Launch, JobTransition.Pause, JobTransition.Resume, JobTransition.Complete, JobTransition.Cancel })
        {
            jobs.MapPost($"/{{id:guid}}/{transition.Name}", async (Guid id, ClaimsPrincipal user, ChangeJobStatus change, JobQueries queries, CancellationToken ct) =>
                    await DetailsOrProblemAsync(await change.ExecuteAsync(user, id, transition, ct), queries, ct))
                .WithName($"{char.ToUpperInvariant(transition.Name[0])}{transition.Name[1..]}Job");
        }

        jobs.MapPost("/{id:guid}/fund", FundAsync).RequireAuthorization(Roles.Buyer);
        jobs.MapGet("/{id:guid}/escrow", async Task<Results<Ok<EscrowView>, NotFound>> (Guid id, ClaimsPrincipal user, JobAccess access, JobEscrow escrow, CancellationToken ct) =>
            await access.FindVisibleAsync(user, id, ct) is { } job ? TypedResults.Ok(await escrow.ReadAsync(job, ct)) : TypedResults.NotFound());

        jobs.MapGet("/{id:guid}/contributors", async Task<Results<Ok<List<ContributorOnJob>>, NotFound>> (Guid id, ClaimsPrincipal user, JobAccess access, JobQueries queries, CancellationToken ct) =>
            await access.CanSeeAsync(user, id, ct) ? TypedResults.Ok(await queries.ContributorsAsync(id, ct)) : TypedResults.NotFound());
        jobs.MapGet("/{id:guid}/ranking", RankingAsync);
        jobs.MapGet("/{id:guid}/results", ResultsAsync);
        return routes;
    }

    private static async Task<Results<Created<JobDetails>, ProblemHttpResult>> CreateAsync(CreateJobRequest request, ClaimsPrincipal user, CreateJob create, JobQueries queries, CancellationToken ct)
    {
        var outcome = await create.ExecuteAsync(user, request, ct);
        return outcome.Failure is { } failure ? failure.ToProblem() : TypedResults.Created($"/api/jobs/{outcome.Value!.Id}", await queries.DetailsAsync(outcome.Value, ct));
    }

    private static async Task<Results<Ok<JobDetails>, ProblemHttpResult>> DetailsOrProblemAsync(Outcome<Job> outcome, JobQueries queries, CancellationToken ct) =>
        outcome.Failure is { } failure ? failure.ToProblem() : TypedResults.Ok(await queries.DetailsAsync(outcome.Value!, ct));

    private static async Task<Results<Ok<FundingView>, ProblemHttpResult>> FundAsync(Guid id, FundJobRequest? request, ClaimsPrincipal user, JobAccess access, FundJob fund, CancellationToken ct)
    {
        var job = await access.FindVisibleAsync(user, id, ct);
        if (job is null)
        {
            return Failure.NotFound.ToProblem();
        }

        var outcome = await fund.ExecuteAsync(job, request?.AmountMinor, ct);
        if (outcome.Failure is { } failure)
        {
            return failure.ToProblem();
        }

        var (amount, intent, status) = outcome.Value!;
        return TypedResults.Ok(new FundingView(intent.PaymentIntentId, intent.ClientSecret, amount.MinorUnits, job.Currency, intent.DryRun, intent.FundedNow, status));
    }

    private static async Task<Results<Ok<IReadOnlyList<RankedOption>>, ProblemHttpResult>> RankingAsync(Guid id, ClaimsPrincipal user, JobAccess access, PairwiseRanking ranking, CancellationToken ct)
    {
        var job = await access.FindVisibleAsync(user, id, ct);
        if (job is null)
        {
            return Failure.NotFound.ToProblem();
        }

        return job.TaskType == TaskType.Pairwise
            ? TypedResults.Ok(await ranking.RankAsync(job, ct))
            : Failure.Conflict("Only pairwise jobs rank.", $"This is a {job.TaskType} job; its results are at /api/jobs/{id}/results.").ToProblem();
    }

    private static async Task<Results<PushStreamHttpResult, ProblemHttpResult>> ResultsAsync(Guid id, string? format, ClaimsPrincipal user, JobAccess access, ResultsExport export, CancellationToken ct)
    {
        if (ResultsExport.FormatOf(format) is not { } chosen)
        {
            return Failure.Invalid("format", "Must be csv or jsonl.", "Unknown export format.").ToProblem();
        }

        var job = await access.FindVisibleAsync(user, id, ct);
        return job is null
            ? Failure.NotFound.ToProblem()
            : TypedResults.Stream(stream => export.WriteAsync(job, chosen, stream, ct), ResultsExport.ContentType(chosen), ResultsExport.FileName(job, chosen));
    }

    private static async Task<Results<Ok<ImportSummary>, ProblemHttpResult>> ImportAsync(Guid id, bool gold, HttpContext context, JobAccess access, ItemImport import, JobQueries queries, JobsOptions options, CancellationToken ct)
    {
        var request = context.Request;
        if (request.ContentLength > options.MaxImportBytes)
        {
            return new Failure(FailureKind.PayloadTooLarge, "Upload too large.", $"Uploads are limited to {options.MaxImportBytes:N0} bytes; split the file.").ToProblem();
        }

        // Kestrel's default body limit (30 MB) is for ordinary requests; imports get their own, enforced while streaming,
        // and a floor on the upload's rate, so a trickle is cut off instead of holding the connection.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = options.MaxImportBytes;
        }

        if (context.Features.Get<IHttpMinRequestBodyDataRateFeature>() is { } rate && options.MinUploadBytesPerSecond > 0)
        {
            rate.MinDataRate = new MinDataRate(options.MinUploadBytesPerSecond, TimeSpan.FromSeconds(10));
        }

        var job = await access.FindVisibleAsync(context.User, id, ct);
        if (job is null)
        {
            return Failure.NotFound.ToProblem();
        }

        if (job.IsClosed)
        {
            return Failure.Conflict(ChangeJobStatus.NotAllowedTitle, $"A {job.Status} job takes no more items.").ToProblem();
        }

        if (ItemImport.FormatOf(request.ContentType, null) is not { } format)
        {
            return new Failure(FailureKind.UnsupportedMediaType, "Unsupported upload format.", "Send text/csv or application/jsonl (one JSON object per line).").ToProblem();
        }

        var outcome = await import.ImportAsync(job, request.Body, format, gold, ct);
        if (outcome.TooLarge)
        {
            return new Failure(FailureKind.PayloadTooLarge, "Upload too large.", outcome.Errors[0].Message).ToProblem();
        }

        if (!outcome.Succeeded)
        {
            var first = outcome.Errors[0];
            return (new Failure(FailureKind.Invalid, "The upload has errors; nothing was imported.", $"{outcome.Errors.Count}{(outcome.Truncated ? "+" : "")} problem(s), first at row {first.Row}: {first.Field} {first.Message}")
            {
                Extensions = new Dictionary<string, object?> { ["errors"] = outcome.Errors },
            }).ToProblem();
        }

        var details = await queries.DetailsAsync(job, ct);
        return TypedResults.Ok(new ImportSummary(outcome.Imported, gold, details.Items, details.GoldItems));
    }
}
