namespace Marketplace.Web.Live;

/// <summary>SignalR group names: one per contributor, one per job, all contributors, admins.</summary>
public static class LiveGroups
{
    public const string Contributors = "contributors";

    public const string Admins = "admins";

    public static string Contributor(string userId) => $"contributor:{userId}";

    public static string Job(Guid jobId) => $"job:{jobId:N}";
}
