using System.Text.Json;
using Marketplace.Scoring.Aggregation;
using Marketplace.Web.Data;
using Marketplace.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Jobs;

/// <summary>
/// A pairwise job's answer is a ranking of everything compared in it: each label says which of an item's two
/// options (its payload's <c>a</c> and <c>b</c>) a contributor preferred, and Bradley-Terry (the scoring engine)
/// turns all of those judgements into strengths. An option is identified by its text, so the same response
/// compared in several items is one option.
/// </summary>
public sealed class PairwiseRanking(MarketplaceDbContext db)
{
    public async Task<IReadOnlyList<RankedOption>> RankAsync(Job job, CancellationToken ct)
    {
        var labels = await (
            from a in db.Assignments.AsNoTracking()
            join i in db.Items.AsNoTracking() on a.ItemId equals i.Id
            where a.JobId == job.Id && a.Kind == AssignmentKind.Label && a.Status == AssignmentStatus.Submitted && a.Answer != null
            select new { i.Payload, a.Answer, a.ContributorId }).ToListAsync(ct);
        var comparisons = new List<PairwiseComparison>(labels.Count);
        foreach (var label in labels)
        {
            using var payload = JsonDocument.Parse(label.Payload);
            var a = payload.RootElement.GetProperty("a").GetString()!;
            var b = payload.RootElement.GetProperty("b").GetString()!;
            var preferred = JsonSerializer.Deserialize<string>(label.Answer!);
            comparisons.Add(preferred == "A" ? new PairwiseComparison(a, b, label.ContributorId) : new PairwiseComparison(b, a, label.ContributorId));
        }

        return BradleyTerry.Rank(comparisons);
    }
}
