using Marketplace.Web.Domain;
using Microsoft.AspNetCore.SignalR;

namespace Marketplace.Web.Live;

/// <summary>The seam between what happened and who hears of it. Call it after the change has committed.</summary>
public interface ILiveNotifier
{
    Task JobStatusChangedAsync(Job job, CancellationToken ct);

    Task JobPayChangedAsync(Job job, CancellationToken ct);

    /// <summary>A job's numbers moved (a label, a finalized item): published coalesced, at most every <see cref="LiveOptions.ProgressIntervalMs"/>.</summary>
    void JobProgressed(Guid jobId);

    Task GoldScoredAsync(string contributorId, GoldNotice notice, CancellationToken ct);

    Task TierChangedAsync(string contributorId, TierNotice notice, CancellationToken ct);

    Task LeaseExpiringAsync(string contributorId, LeaseNotice notice, CancellationToken ct);

    Task EarningsChangedAsync(string contributorId, EarningsNotice notice, CancellationToken ct);

    Task PayoutChangedAsync(string contributorId, PayoutNotice notice, CancellationToken ct);

    Task FundingConfirmedAsync(FundingNotice notice, CancellationToken ct);

    Task PayoutRunProgressAsync(PayoutRunNotice notice, CancellationToken ct);

    Task FraudCaseOpenedAsync(FraudCaseNotice notice, CancellationToken ct);
}

internal sealed class SignalRLiveNotifier(IHubContext<LiveHub, ILiveClient> hub, JobProgressBoard progress) : ILiveNotifier
{
    public async Task JobStatusChangedAsync(Job job, CancellationToken ct)
    {
        await hub.Clients.Group(LiveGroups.Job(job.Id)).JobStatusChanged(new JobStatusNotice(job.Id, job.Status));
        var kind = job.Status == JobStatus.Active ? FeedChangeKind.Appeared : FeedChangeKind.Gone;
        await hub.Clients.Group(LiveGroups.Contributors).FeedChanged(new FeedChange(job.Id, kind, job.Title, job.TaskType, job.PayPerLabelMinor, job.Currency, null));
        progress.Touch(job.Id);
    }

    public Task JobPayChangedAsync(Job job, CancellationToken ct) =>
        job.Status == JobStatus.Active
            ? hub.Clients.Group(LiveGroups.Contributors).FeedChanged(new FeedChange(job.Id, FeedChangeKind.Changed, job.Title, job.TaskType, job.PayPerLabelMinor, job.Currency, null))
            : Task.CompletedTask;

    public void JobProgressed(Guid jobId) => progress.Touch(jobId);

    public Task GoldScoredAsync(string contributorId, GoldNotice notice, CancellationToken ct) =>
        hub.Clients.Group(LiveGroups.Contributor(contributorId)).GoldScored(notice);

    public Task TierChangedAsync(string contributorId, TierNotice notice, CancellationToken ct) =>
        hub.Clients.Group(LiveGroups.Contributor(contributorId)).TierChanged(notice);

    public Task LeaseExpiringAsync(string contributorId, LeaseNotice notice, CancellationToken ct) =>
        hub.Clients.Group(LiveGroups.Contributor(contributorId)).LeaseExpiring(notice);

    public Task EarningsChangedAsync(string contributorId, EarningsNotice notice, CancellationToken ct) =>
        hub.Clients.Group(LiveGroups.Contributor(contributorId)).EarningsChanged(notice);

    public Task PayoutChangedAsync(string contributorId, PayoutNotice notice, CancellationToken ct) =>
        hub.Clients.Group(LiveGroups.Contributor(contributorId)).PayoutChanged(notice);

    public Task FundingConfirmedAsync(FundingNotice notice, CancellationToken ct) =>
        hub.Clients.Group(LiveGroups.Job(notice.JobId)).FundingConfirmed(notice);

    public Task PayoutRunProgressAsync(PayoutRunNotice notice, CancellationToken ct) =>
        hub.Clients.Group(LiveGroups.Admins).PayoutRunProgress(notice);

    public Task FraudCaseOpenedAsync(FraudCaseNotice notice, CancellationToken ct) =>
        hub.Clients.Group(LiveGroups.Admins).FraudCaseOpened(notice);
}
