using System.Security.Claims;
using Marketplace.Web.Data;
using Marketplace.Web.Domain;
using Marketplace.Web.Hosting;
using Marketplace.Web.Identity;
using Marketplace.Web.Quality;

namespace Marketplace.Web.Jobs;

/// <summary>A buyer posts a job for their organization: checked field by field, stored as a draft.</summary>
public sealed class CreateJob(MarketplaceDbContext db, JobAccess access, TierCatalog tiers, TimeProvider clock)
{
    public const int MaxRedundancy = 50;

    public async Task<Outcome<Job>> ExecuteAsync(ClaimsPrincipal user, CreateJobRequest request, CancellationToken ct)
    {
        var organizationId = await access.OrganizationOfAsync(user, ct);
        if (organizationId is null)
        {
            return Failure.Forbidden("No organization", "Only a buyer of an organization can post jobs.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var errors = JobRequestRules.Check(request, now);
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
            return Failure.Validation(errors);
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
            CreatedByUserId = user.UserId(),
            CreatedAt = now,
        };
        db.Jobs.Add(job);
        await db.SaveChangesAsync(ct);
        return job;
    }
}
