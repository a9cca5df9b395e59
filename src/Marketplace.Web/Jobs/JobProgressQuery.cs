using Marketplace.Payouts;
using Marketplace.Web.Data;
using Marketplace.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Jobs;

/// <summary>A job's progress, from the database: any node computes the same figures.</summary>
public static class JobProgressQuery
{
    /// <summary>The pace behind the estimated completion is measured over this window.</summary>
    public static readonly TimeSpan PaceWindow = TimeSpan.FromHours(1);

    /// <remarks>
    /// Estimated accuracy is the mean posterior confidence of the finalized items' consensus answers: if each
    /// confidence is calibrated, that is the expected share of them that are right. Spend counts every paid
    /// task submitted (gold tasks are paid too, as contributors cannot tell them apart) plus the platform fee.
    /// Labels still needed is an upper bound: items that reach their target confidence early need fewer.
    /// </remarks>
    public static async Task<JobProgress> ForAsync(MarketplaceDbContext db, Job job, int feeBasisPoints, DateTime now, CancellationToken ct)
    {
        var items = db.Items.AsNoTracking().Where(i => i.JobId == job.Id && !i.IsGold);
        var counts = await items
            .GroupBy(_ => 1)
            .Select(g => new
            {
                Total = g.Count(),
                Finalized = g.Count(i => i.FinalizedAt != null),
                Accuracy = g.Where(i => i.FinalizedAt != null && i.Confidence != null).Average(i => i.Confidence),
                ExpectedCorrect = g.Where(i => i.FinalizedAt != null && i.Confidence != null).Sum(i => i.Confidence),
                Needed = g.Where(i => i.FinalizedAt == null).Sum(i => i.LabelsSubmitted < job.Redundancy ? job.Redundancy - i.LabelsSubmitted : 0),
            })
            .SingleOrDefaultAsync(ct);

        var paid = db.Assignments.AsNoTracking().Where(a => a.JobId == job.Id && a.Status == AssignmentStatus.Submitted && a.Kind != AssignmentKind.Qualification);
        var labels = await paid.CountAsync(a => a.Kind == AssignmentKind.Label, ct);
        var paidMinor = await paid.SumAsync(a => (long?)a.PayMinor, ct) ?? 0;
        var spent = new Money(paidMinor, job.Currency);
        var since = now - PaceWindow;
        var recent = await paid.CountAsync(a => a.Kind == AssignmentKind.Label && a.EndedAt > since, ct);
        var perHour = recent / PaceWindow.TotalHours;
        var needed = counts?.Needed ?? 0;
        DateTime? eta = needed == 0 ? null : perHour > 0 ? now.AddHours(needed / perHour) : null;
        var total = (spent + spent.PercentOf(feeBasisPoints)).MinorUnits;

        // JobEconomics.CostPerCorrectLabel's rule, summed in the database: spend over the expected number of right answers.
        double? perCorrect = counts?.ExpectedCorrect is > 0 and var expected ? total / expected : null;
        return new JobProgress(counts?.Total ?? 0, counts?.Finalized ?? 0, labels, total, job.BudgetMinor, counts?.Accuracy, perHour, needed, eta, perCorrect);
    }
}
