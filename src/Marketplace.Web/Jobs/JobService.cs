using System.Security.Claims;
using Hangfire;
using Marketplace.Payouts;
using Marketplace.Web.Data;
using Marketplace.Web.Domain;
using Marketplace.Web.Identity;
using Marketplace.Web.Quality;
using Marketplace.Web.Tasks;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Marketplace.Web.Jobs;

/// <summary>A buyer's jobs: create, read, edit within the rules, and move through the lifecycle.</summary>
public sealed class JobService(MarketplaceDbContext db, Live.ILiveNotifier live, IBackgroundJobClient background, TimeProvider clock, IOptions<JobsOptions> options, IOptions<WorkOptions> work, TierCatalog tiers)
{
    public const int MaxRedundancy = 50;

    public async Task<Results<Created<JobDetails>, ValidationProblem, ForbidHttpResult>> CreateAsync(ClaimsPrincipal user, CreateJobRequest request, CancellationToken ct)
    {
        var organizationId = await OrganizationOfAsync(user, ct);
        if (organizationId is null)
        {
            return TypedResults.Forbid();
        }

        var errors = Validate(request, clock.GetUtcNow().UtcDateTime);
        string? minimumTier = null;
        if (!string.IsNullOrWhiteSpace(request.MinimumTier) && !errors.ContainsKey("minimumTier"))
        {
            // A name no tier has would leave the job open to everyone (below every tier): refuse it, and store the
            // tier's own spelling.
            var tierSet = await tiers.CurrentAsync(db, ct);
            if (tierSet.Find(request.MinimumTier.Trim()) is { } level)
            {
                minimumTier = level.Name;
            }
            else
            {
                errors["minimumTier"] = [$"No tier is called \"{request.MinimumTier.Trim()}\"; the tiers are {string.Join(", ", tierSet.Tiers.Select(t => t.Name))}."];
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var type = request.TaskType!.Value;
        var job = new Job
        {
            Id = Guid.CreateVersion7(),
            OrganizationId = organizationId.Value,
            Title = request.Title!.Trim(),
            Instructions = request.Instructions?.Trim() ?? "",
            TaskType = type,
            Labels = type == TaskType.Pairwise ? [.. TaskTypeSchemas.PairwiseLabels] : [.. request.Labels ?? []],
            PayPerLabelMinor = request.PayPerLabelMinor!.Value,
            Currency = request.Currency!.ToUpperInvariant(),
            Redundancy = request.Redundancy ?? 3,
            TargetConfidence = request.TargetConfidence,
            GoldRate = request.GoldRate ?? 0.1,
            AggregationMethod = request.AggregationMethod ?? AggregationMethod.Auto,
            MinimumTier = minimumTier,
            RequiredSkills = [.. (request.RequiredSkills ?? []).Select(s => s.Trim().ToLowerInvariant()).Where(s => s.Length > 0).Distinct()],
            Languages = [.. (request.Languages ?? []).Select(s => s.Trim().ToLowerInvariant()).Where(s => s.Length > 0).Distinct()],
            Deadline = request.Deadline?.ToUniversalTime(),
            BudgetMinor = request.BudgetMinor ?? 0,
            Status = JobStatus.Draft,
            CreatedByUserId = AccountApi.UserId(user),
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.Jobs.Add(job);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/jobs/{job.Id}", await DetailsAsync(job, ct));
    }

    /// <summary>The job if this user may see it: their organization's, or any for an admin. Otherwise null (404, never 403, so ids leak nothing).</summary>
    public async Task<Job?> FindVisibleAsync(ClaimsPrincipal user, Guid id, CancellationToken ct)
    {
        var job = await db.Jobs.SingleOrDefaultAsync(j => j.Id == id, ct);
        if (job is null || user.IsInRole(Roles.Admin))
        {
            return job;
        }

        return job.OrganizationId == await OrganizationOfAsync(user, ct) ? job : null;
    }

    public async Task<JobDetails> DetailsAsync(Job job, CancellationToken ct)
    {
        var items = await db.Items.CountAsync(i => i.JobId == job.Id && !i.IsGold, ct);
        var gold = await db.Items.CountAsync(i => i.JobId == job.Id && i.IsGold, ct);
        return new JobDetails(
            job.Id, job.Title, job.Instructions, job.TaskType, job.Labels, job.PayPerLabelMinor, job.Currency, job.Redundancy,
            job.TargetConfidence, job.GoldRate, job.AggregationMethod, job.AggregatedAt, job.AggregationSummary, job.MinimumTier, job.RequiredSkills, job.Languages, job.Deadline, job.BudgetMinor,
            job.Status, items, gold, Price(job, items), await QuoteAsync(job, items, ct),
            await JobProgressQuery.ForAsync(db, job, options.Value.PlatformFeeBasisPoints, clock.GetUtcNow().UtcDateTime, ct),
            job.CreatedAt);
    }

    /// <summary>The scoring engine's quote for a categorical job, from the gold accuracies of contributors qualified for its task type.</summary>
    private async Task<JobQuoteView?> QuoteAsync(Job job, int items, CancellationToken ct)
    {
        if (!JobAggregation.IsCategorical(job.TaskType))
        {
            return null;
        }

        var prior = work.Value.Prior;
        var pool = await db.Qualifications.AsNoTracking()
            .Where(q => q.TaskType == job.TaskType && q.Status == QualificationStatus.Passed)
            .OrderByDescending(q => q.UpdatedAt).Take(2_000)
            .Select(q => new { q.GoldCorrect, q.GoldWrong }).ToListAsync(ct);
        var accuracies = pool.Select(q => Scoring.Quality.BetaPosterior.From(q.GoldCorrect, q.GoldWrong, prior).Mean).ToList();
        // Without a target confidence every item takes its full redundancy: a target above 1 is never reached.
        var request = new Scoring.Economics.QuoteRequest(items, JobAggregation.Classes(job).Count, job.TargetConfidence ?? 2.0, job.Redundancy, job.PayPerLabelMinor, accuracies);
        var quote = Scoring.Economics.JobEconomics.Quote(request, seed: job.Id.GetHashCode());
        return new JobQuoteView(quote.ExpectedLabelsPerItem, quote.ExpectedLabels, quote.ExpectedCostMinor, quote.ExpectedAccuracy, accuracies.Count, quote.Note);
    }

    public PriceBreakdown Price(Job job, int items)
    {
        var labels = new Money(job.PayPerLabelMinor, job.Currency) * ((long)items * job.Redundancy);
        var fee = labels.PercentOf(options.Value.PlatformFeeBasisPoints);
        return new PriceBreakdown(items, job.Redundancy, job.PayPerLabelMinor, labels.MinorUnits, options.Value.PlatformFeeBasisPoints, fee.MinorUnits, (labels + fee).MinorUnits, job.Currency);
    }

    public async Task<Results<Ok<JobDetails>, NotFound, ValidationProblem, Conflict<ProblemDetails>>> UpdateAsync(ClaimsPrincipal user, Guid id, UpdateJobRequest request, CancellationToken ct)
    {
        var job = await FindVisibleAsync(user, id, ct);
        if (job is null)
        {
            return TypedResults.NotFound();
        }

        if (job.IsClosed)
        {
            return Conflict($"A {job.Status} job cannot be edited.");
        }

        var errors = new Dictionary<string, string[]>();
        if (request.Title is not null && (string.IsNullOrWhiteSpace(request.Title) || request.Title.Trim().Length > 200))
        {
            errors["title"] = ["1 to 200 characters."];
        }

        if (request.Instructions is { Length: > 20_000 })
        {
            errors["instructions"] = ["At most 20,000 characters."];
        }

        // Once contributors are working, pay, redundancy and the confidence bar may only rise:
        // nobody's leased task becomes worth less, and no finished item is reopened by a lower bar.
        if (request.PayPerLabelMinor is { } pay && (pay <= 0 || (job.IsLaunched && pay < job.PayPerLabelMinor)))
        {
            errors["payPerLabelMinor"] = [job.IsLaunched ? $"After launch pay may only rise (now {job.PayPerLabelMinor})." : "Must be positive."];
        }

        if (request.Redundancy is { } redundancy && (redundancy is < 1 or > MaxRedundancy || (job.IsLaunched && redundancy < job.Redundancy)))
        {
            errors["redundancy"] = [job.IsLaunched ? $"After launch redundancy may only rise (now {job.Redundancy})." : $"Between 1 and {MaxRedundancy}."];
        }

        if (request.TargetConfidence is { } target && (target is <= 0.5 or >= 1 || (job.IsLaunched && job.TargetConfidence is { } current && target < current)))
        {
            errors["targetConfidence"] = [job.IsLaunched ? "After launch the target confidence may only rise." : "Between 0.5 and 1, exclusive."];
        }

        if (request.Deadline is { } deadline && deadline.ToUniversalTime() <= clock.GetUtcNow().UtcDateTime)
        {
            errors["deadline"] = ["Must be in the future."];
        }

        if (request.BudgetMinor is < 0)
        {
            errors["budgetMinor"] = ["Must not be negative."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var payRises = request.PayPerLabelMinor is { } newPay && newPay != job.PayPerLabelMinor;
        job.Title = request.Title?.Trim() ?? job.Title;
        job.Instructions = request.Instructions?.Trim() ?? job.Instructions;
        job.PayPerLabelMinor = request.PayPerLabelMinor ?? job.PayPerLabelMinor;
        job.Redundancy = request.Redundancy ?? job.Redundancy;
        job.TargetConfidence = request.TargetConfidence ?? job.TargetConfidence;
        job.Deadline = request.Deadline?.ToUniversalTime() ?? job.Deadline;
        job.BudgetMinor = request.BudgetMinor ?? job.BudgetMinor;
        await db.SaveChangesAsync(ct);
        if (payRises)
        {
            await live.JobPayChangedAsync(job, ct);
        }

        return TypedResults.Ok(await DetailsAsync(job, ct));
    }

    public async Task<Results<Ok<JobDetails>, NotFound, Conflict<ProblemDetails>>> TransitionAsync(ClaimsPrincipal user, Guid id, JobStatus next, CancellationToken ct)
    {
        var job = await FindVisibleAsync(user, id, ct);
        if (job is null)
        {
            return TypedResults.NotFound();
        }

        if (next == JobStatus.Active && job.Status == JobStatus.Funded && !await db.Items.AnyAsync(i => i.JobId == job.Id && !i.IsGold, ct))
        {
            return Conflict("A job needs items before it can launch: upload them first.");
        }

        if (job.TransitionTo(next) is { } error)
        {
            return Conflict(error);
        }

        await db.SaveChangesAsync(ct);
        await live.JobStatusChangedAsync(job, ct);
        if (job.IsClosed)
        {
            // Unspent escrow goes back to the buyer, once (the refund is keyed on the job).
            background.Enqueue<Payments.MoneyJobs>(j => j.RefundAsync(job.Id, CancellationToken.None));
        }

        return TypedResults.Ok(await DetailsAsync(job, ct));
    }

    private async Task<Guid?> OrganizationOfAsync(ClaimsPrincipal user, CancellationToken ct)
    {
        var userId = AccountApi.UserId(user);
        return await db.Users.Where(u => u.Id == userId).Select(u => u.OrganizationId).SingleOrDefaultAsync(ct);
    }

    private static Conflict<ProblemDetails> Conflict(string detail) =>
        TypedResults.Conflict(new ProblemDetails { Status = StatusCodes.Status409Conflict, Title = "Not allowed in the job's current state.", Detail = detail });

    private static Dictionary<string, string[]> Validate(CreateJobRequest r, DateTime now)
    {
        var errors = new Dictionary<string, string[]>();
        void Add(string field, string message) => errors[field] = [message];

        if (string.IsNullOrWhiteSpace(r.Title) || r.Title.Trim().Length > 200)
        {
            Add("title", "1 to 200 characters.");
        }

        if (r.Instructions is { Length: > 20_000 })
        {
            Add("instructions", "At most 20,000 characters.");
        }

        if (r.TaskType is null)
        {
            Add("taskType", $"One of: {string.Join(", ", Enum.GetNames<TaskType>())}.");
        }
        else if (TaskTypeSchemas.ValidateLabels(r.TaskType.Value, r.Labels ?? []) is { } labelError)
        {
            Add("labels", labelError);
        }

        if (r.PayPerLabelMinor is null or <= 0)
        {
            Add("payPerLabelMinor", "Pay per accepted label, in minor units (cents), must be positive.");
        }

        if (r.Currency is null || r.Currency.Length != 3 || !r.Currency.All(char.IsAsciiLetter))
        {
            Add("currency", "A three-letter ISO 4217 code, e.g. USD.");
        }

        if (r.Redundancy is < 1 or > MaxRedundancy)
        {
            Add("redundancy", $"Between 1 and {MaxRedundancy} labels per item.");
        }

        if (r.TargetConfidence is <= 0.5 or >= 1)
        {
            Add("targetConfidence", "Between 0.5 and 1, exclusive.");
        }

        if (r.GoldRate is < 0 or > 0.5)
        {
            Add("goldRate", "Between 0 and 0.5 of served tasks.");
        }

        if (r.AggregationMethod is { } method && r.TaskType is { } taskType && method != AggregationMethod.Auto && !JobAggregation.IsCategorical(taskType))
        {
            Add("aggregationMethod", $"{taskType} answers are combined by matching, not voting: leave it Auto.");
        }

        if (r.Deadline is { } deadline && deadline.ToUniversalTime() <= now)
        {
            Add("deadline", "Must be in the future.");
        }

        if (r.BudgetMinor is < 0)
        {
            Add("budgetMinor", "Must not be negative.");
        }

        if (r.MinimumTier is { Length: > 40 })
        {
            Add("minimumTier", "At most 40 characters.");
        }

        return errors;
    }
}
