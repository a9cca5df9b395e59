using System.Security.Claims;
using Marketplace.Web.Data;
using Marketplace.Web.Domain;
using Marketplace.Web.Hosting;
using Marketplace.Web.Identity;
using Marketplace.Web.Live;

namespace Marketplace.Web.Jobs;

/// <summary>
/// A buyer edits a job within the rules: anything before launch; after it, pay, redundancy and the confidence bar may
/// only rise, so nobody's leased task becomes worth less and no finished item is reopened by a lower bar.
/// </summary>
public sealed class EditJob(MarketplaceDbContext db, JobAccess access, ILiveNotifier live, TimeProvider clock)
{
    public async Task<Outcome<Job>> ExecuteAsync(ClaimsPrincipal user, Guid id, UpdateJobRequest request, CancellationToken ct)
    {
        var job = await access.FindVisibleAsync(user, id, ct);
        if (job is null)
        {
            return Failure.NotFound;
        }

        if (job.IsClosed)
        {
            return Failure.Conflict(ChangeJobStatus.NotAllowedTitle, $"A {job.Status} job cannot be edited.");
        }

        var errors = Check(job, request, clock.GetUtcNow().UtcDateTime);
        if (errors.Count > 0)
        {
            return Failure.Validation(errors);
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

        return job;
    }

    private static Dictionary<string, string[]> Check(Job job, UpdateJobRequest request, DateTime now)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Title is not null && (string.IsNullOrWhiteSpace(request.Title) || request.Title.Trim().Length > 200))
        {
            errors["title"] = ["1 to 200 characters."];
        }

        if (request.Instructions is { Length: > 20_000 })
        {
            errors["instructions"] = ["At most 20,000 characters."];
        }

        if (request.PayPerLabelMinor is { } pay && (pay <= 0 || (job.IsLaunched && pay < job.PayPerLabelMinor)))
        {
            errors["payPerLabelMinor"] = [job.IsLaunched ? $"After launch pay may only rise (now {job.PayPerLabelMinor})." : "Must be positive."];
        }

        if (request.Redundancy is { } redundancy && (redundancy is < 1 or > CreateJob.MaxRedundancy || (job.IsLaunched && redundancy < job.Redundancy)))
        {
            errors["redundancy"] = [job.IsLaunched ? $"After launch redundancy may only rise (now {job.Redundancy})." : $"Between 1 and {CreateJob.MaxRedundancy}."];
        }

        if (request.TargetConfidence is { } target && (target is <= 0.5 or >= 1 || (job.IsLaunched && job.TargetConfidence is { } current && target < current)))
        {
            errors["targetConfidence"] = [job.IsLaunched ? "After launch the target confidence may only rise." : "Between 0.5 and 1, exclusive."];
        }

        if (request.Deadline is { } deadline && deadline.ToUniversalTime() <= now)
        {
            errors["deadline"] = ["Must be in the future."];
        }

        if (request.BudgetMinor is < 0)
        {
            errors["budgetMinor"] = ["Must not be negative."];
        }

        return errors;
    }
}
