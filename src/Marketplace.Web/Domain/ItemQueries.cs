namespace Marketplace.Web.Domain;

public static class ItemQueries
{
    /// <summary>The job's items that still take labels: not gold, not finalized, slots free (what the claim query reserves from).</summary>
    public static IQueryable<Item> WithOpenSlots(this IQueryable<Item> items, Job job) =>
        items.Where(i => i.JobId == job.Id && !i.IsGold && i.FinalizedAt == null && i.LabelsHeld < job.Redundancy);
}
