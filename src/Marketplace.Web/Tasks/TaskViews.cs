using System.Text.Json;
using Marketplace.Web.Data;
using Marketplace.Web.Domain;
using Marketplace.Web.Jobs;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Tasks;

internal static class TaskViews
{
    public static async Task<TaskView> RenderAsync(MarketplaceDbContext db, Assignment assignment, Job job, CancellationToken ct)
    {
        var payload = await db.Items.AsNoTracking().Where(i => i.Id == assignment.ItemId).Select(i => i.Payload).SingleAsync(ct);
        using var document = JsonDocument.Parse(payload);
        return new TaskView(
            assignment.Id, job.Id, job.Title, job.TaskType, LabelsOf(job),
            InstructionsMarkdown.ToSafeHtml(job.Instructions), document.RootElement.Clone(),
            assignment.LeasedAt, assignment.LeaseExpiresAt, assignment.PayMinor, job.Currency, assignment.QualificationAttemptId);
    }

    public static IReadOnlyList<string> LabelsOf(Job job) => job.TaskType == TaskType.Pairwise ? TaskTypeSchemas.PairwiseLabels : job.Labels;
}
