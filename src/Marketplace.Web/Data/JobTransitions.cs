using Marketplace.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Data;

public static class JobTransitions
{
    /// <summary>
    /// Makes the move in the database, in one conditional update, if the job is still in a state the move starts from.
    /// For moves that several requests or nodes may race to make (completing a finished job, pausing one whose escrow
    /// ran out): exactly one of them makes it, and it returns true to that one only.
    /// </summary>
    public static async Task<bool> TryApplyAsync(this DbSet<Job> jobs, Guid jobId, JobTransition transition, CancellationToken ct)
    {
        var from = transition.From.ToArray();
        var to = transition.To;
        return await jobs.Where(j => j.Id == jobId && from.Contains(j.Status)).ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, to), ct) > 0;
    }
}
