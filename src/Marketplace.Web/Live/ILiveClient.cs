using Marketplace.Web.Domain;

namespace Marketplace.Web.Live;

/// <summary>What the server pushes to browsers and API clients connected to <see cref="LiveHub"/>.</summary>
public interface ILiveClient
{
    /// <summary>Contributors: a job appeared in the marketplace, ran out of work, changed pay or moved on.</summary>
    Task FeedChanged(FeedChange change);

    /// <summary>One contributor: their lease on a task ends soon.</summary>
    Task LeaseExpiring(LeaseNotice notice);

    /// <summary>One contributor: a gold answer was scored; their accuracy moved.</summary>
    Task GoldScored(GoldNotice notice);

    /// <summary>One contributor: their tier changed.</summary>
    Task TierChanged(TierNotice notice);

    /// <summary>One contributor: earnings moved (pending became available, or a payout took them).</summary>
    Task EarningsChanged(EarningsNotice notice);

    /// <summary>One contributor: one of their payouts changed state.</summary>
    Task PayoutChanged(PayoutNotice notice);

    /// <summary>A job's watchers: money arrived in its escrow.</summary>
    Task FundingConfirmed(FundingNotice notice);

    /// <summary>Admins: a payout run was planned, or one of its payouts moved.</summary>
    Task PayoutRunProgress(PayoutRunNotice notice);

    /// <summary>Admins: the fraud scan opened a case.</summary>
    Task FraudCaseOpened(FraudCaseNotice notice);

    /// <summary>A job's watchers (its organization's buyers, admins): progress, at most a few times a second.</summary>
    Task JobProgress(JobProgressNotice notice);

    /// <summary>A job's watchers: launched, paused (for example for budget), resumed, completed, cancelled.</summary>
    Task JobStatusChanged(JobStatusNotice notice);
}

public enum FeedChangeKind
{
    /// <summary>A job became active: there may be work for you.</summary>
    Appeared,

    /// <summary>A job stopped offering work (paused, completed, cancelled).</summary>
    Gone,

    /// <summary>Pay or items left changed.</summary>
    Changed,
}

public sealed record FeedChange(Guid JobId, FeedChangeKind Kind, string Title, TaskType TaskType, long PayMinor, string Currency, int? ItemsLeft);

public sealed record LeaseNotice(Guid AssignmentId, Guid JobId, DateTime LeaseExpiresAt, int SecondsLeft);

public sealed record GoldNotice(TaskType TaskType, bool Correct, AccuracyView Accuracy);

public sealed record TierNotice(string From, string To);

public sealed record EarningsNotice(IReadOnlyList<Marketplace.Payouts.ContributorBalance> Balances);

public sealed record PayoutNotice(Guid PayoutId, Marketplace.Payouts.PayoutState State, long AmountMinor, string Currency, bool DryRun);

public sealed record FundingNotice(Guid JobId, long AmountMinor, string Currency, long EscrowMinor);

public sealed record PayoutRunNotice(Guid? RunId, string? RunKey, int? Payouts, Guid? PayoutId, Marketplace.Payouts.PayoutState? State, string? ContributorId);

public sealed record FraudCaseNotice(Guid CaseId, string ContributorId, string Pseudonym, string Kind, double Score, string Summary, DateTime OpenedAt);

public sealed record JobProgressNotice(Guid JobId, JobStatus Status, JobProgress Progress);

public sealed record JobStatusNotice(Guid JobId, JobStatus Status);
