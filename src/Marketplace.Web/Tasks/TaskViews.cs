using System.Text.Json;
using Marketplace.Web.Data;
using Marketplace.Web.Domain;
using Marketplace.Web.Jobs;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Tasks;

/// <summary>A task as its contributor sees it: gold and ordinary items alike.</summary>
public sealed class TaskViews(MarketplaceDbContext db, TimeProvider clock)
{
    public async Task<TaskView> RenderAsync(Assignment assignment, Job job, CancellationToken ct)
    {
        var payload = await db.Items.AsNoTracking().Where(i => i.Id == assignment.ItemId).Select(i => i.Payload).SingleAsync(ct);
        using var document = JsonDocument.Parse(payload);
        return new TaskView(
            assignment.Id, job.Id, job.Title, job.TaskType, job.Classes,
            InstructionsMarkdown.ToSafeHtml(job.Instructions), document.RootElement.Clone(),
            assignment.LeasedAt, assignment.LeaseExpiresAt, assignment.PayMinor, job.Currency, assignment.QualificationAttemptId);
    }

    /// <summary>The contributor's live lease on a task, so a reloaded page can carry on; null when it is not theirs or no longer live.</summary>
    public async Task<TaskView?> FindOpenAsync(string userId, Guid assignmentId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var assignment = await db.Assignments.AsNoTracking()
            .SingleOrDefaultAsync(a => a.Id == assignmentId && a.ContributorId == userId && a.Status == AssignmentStatus.Leased && a.LeaseExpiresAt > now, ct);
        if (assignment is null)
        {
            return null;
        }

        var job = await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == assignment.JobId, ct);
        return await RenderAsync(assignment, job, ct);
    }
}
