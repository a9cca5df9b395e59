using Marketplace.Web.Domain;
using Marketplace.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace Marketplace.Web.Live;

/// <summary>
/// The one hub. It holds no logic: services push through <see cref="ILiveNotifier"/>. A connection joins only
/// groups its user may see: contributors their own group and the public feed, admins the admin group, and a
/// buyer a job's group only after <see cref="WatchJob"/> has checked the job is their organization's.
/// </summary>
[Authorize]
public sealed class LiveHub(JobAccess jobs) : Hub<ILiveClient>
{
    public const string Path = "/hubs/live";

    public override async Task OnConnectedAsync()
    {
        var user = Context.User!;
        if (user.IsInRole(Roles.Contributor))
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, LiveGroups.Contributor(user.UserId()));
            await Groups.AddToGroupAsync(Context.ConnectionId, LiveGroups.Contributors);
        }

        if (user.IsInRole(Roles.Admin))
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, LiveGroups.Admins);
        }

        await base.OnConnectedAsync();
    }

    /// <summary>Receive a job's progress and status. Only its organization's buyers and admins may; anyone else hears "no such job".</summary>
    public async Task WatchJob(Guid jobId)
    {
        var user = Context.User!;
        if (!user.IsInRole(Roles.Buyer) && !user.IsInRole(Roles.Admin) || !await jobs.CanSeeAsync(user, jobId, Context.ConnectionAborted))
        {
            throw new HubException("No such job.");
        }

        await Groups.AddToGroupAsync(Context.ConnectionId, LiveGroups.Job(jobId));
    }

    public Task UnwatchJob(Guid jobId) => Groups.RemoveFromGroupAsync(Context.ConnectionId, LiveGroups.Job(jobId));
}
