namespace Marketplace.Web.Domain;

/// <summary>What a case is about: the scoring engine's fraud signal that opened it.</summary>
public enum FraudCaseKind
{
    TooFast,
    GoldFailureStreak,
    ConstantAnswers,
    SpammerScore,
    Collusion,
}

public enum FraudCaseStatus
{
    /// <summary>Opened by the scan; nobody has decided yet.</summary>
    Open,

    /// <summary>The contributor is suspended; an admin may still ban, reject labels, or dismiss (lifting it).</summary>
    Suspended,

    Dismissed,

    /// <summary>Closed with a warning the contributor sees.</summary>
    Warned,

    /// <summary>Closed with a permanent suspension and a locked account.</summary>
    Banned,
}

/// <summary>A line of a case's history.</summary>
public enum FraudCaseActionKind
{
    Opened,
    Dismiss,
    Warn,
    Suspend,
    Ban,
    RejectLabels,
    Appeal,
}

/// <summary>
/// A suspicion about one contributor, of one kind, with its evidence. At most one is open per (contributor, kind):
/// <see cref="OpenKey"/> is set while the case is open or suspended and a unique index refuses a second one, so a
/// scan on another node updates the open case instead of doubling it.
/// </summary>
public class FraudCase
{
    public Guid Id { get; set; }

    public required string ContributorId { get; set; }

    public FraudCaseKind Kind { get; set; }

    public FraudCaseStatus Status { get; set; }

    /// <summary><c>{contributor}/{kind}</c> while the case is undecided or suspended; null once closed.</summary>
    public string? OpenKey { get; set; }

    public double Score { get; set; }

    public required string Summary { get; set; }

    /// <summary>JSON of the Fraud feature's <c>CaseEvidence</c>, replaced by each scan that still flags the contributor.</summary>
    public required string Evidence { get; set; }

    public DateTime OpenedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    public DateTime? ClosedAt { get; set; }

    /// <summary>Bumped by every change; an action names the version it was decided on, so nobody acts on a page gone stale.</summary>
    public int Version { get; set; }

    public string? AppealText { get; set; }

    public DateTime? AppealedAt { get; set; }

    public bool IsClosed => Status is FraudCaseStatus.Dismissed or FraudCaseStatus.Warned or FraudCaseStatus.Banned;

    public static string KeyOf(string contributorId, FraudCaseKind kind) => $"{contributorId}/{kind}";
}

/// <summary>Who did what to a case, when and why.</summary>
public class FraudCaseAction
{
    public long Id { get; set; }

    public Guid CaseId { get; set; }

    public FraudCaseActionKind Action { get; set; }

    public required string ActorId { get; set; }

    public required string ActorName { get; set; }

    public DateTime At { get; set; }

    public string? Reason { get; set; }

    /// <summary>JSON of what the action did (labels rejected, money reversed).</summary>
    public string? Details { get; set; }
}

public enum FingerprintKind
{
    Ip,
    Device,
}

/// <summary>A network address or device seen with a contributor at sign-in, claim or submit: what links accounts.</summary>
public class ContributorFingerprint
{
    public long Id { get; set; }

    public required string UserId { get; set; }

    public FingerprintKind Kind { get; set; }

    public required string Value { get; set; }

    public DateTime FirstSeenAt { get; set; }

    public DateTime LastSeenAt { get; set; }

    public int Seen { get; set; }
}
