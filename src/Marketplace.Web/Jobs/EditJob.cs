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
        void Add(string field, string? message)
        {
            if (message is not null)
            {
                errors[field] = [message];
            }
        }

        Add("title", request.Title is { } title ? JobRequestRules.Title(title) : null);
        Add("instructions", request.Instructions is { } instructions ? JobRequestRules.Instructions(instructions) : null);
        if (request.PayPerLabelMinor is { } pay)
        {
            Add("payPerLabelMinor", JobRequestRules.Pay(pay) ?? (job.IsLaunched && pay < job.PayPerLabelMinor ? $"After launch pay may only rise (now {job.PayPerLabelMinor})." : null));
        }

        if (request.Redundancy is { } redundancy)
        {
            Add("redundancy", JobRequestRules.Redundancy(redundancy) ?? (job.IsLaunched && redundancy < job.Redundancy ? $"After launch redundancy may only rise (now {job.Redundancy})." : null));
        }

        if (request.TargetConfidence is { } target)
        {
            Add("targetConfidence", JobRequestRules.TargetConfidence(target) ?? (job.IsLaunched && target < job.TargetConfidence ? "After launch the target confidence may only rise." : null));
        }

        Add("deadline", request.Deadline is { } deadline ? JobRequestRules.Deadline(deadline, now) : null);
        Add("budgetMinor", request.BudgetMinor is { } budget ? JobRequestRules.Budget(budget) : null);
        return errors;
    }
}
