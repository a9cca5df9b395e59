namespace Marketplace.Web.Fraud;

/// <summary>What a case rests on, as stored with it and shown to admins.</summary>
/// <param name="Signal">The scoring engine's signal and its own words.</param>
/// <param name="Answers">The contributor's latest answers, oldest first, with the time each took.</param>
/// <param name="GoldFailures">Gold answers among them that were wrong.</param>
/// <param name="Partners">Accounts suspected with this one, and what links them.</param>
/// <param name="Notes">Further findings (per job, for the spammer score).</param>
public sealed record CaseEvidence(
    EvidenceSignal Signal,
    IReadOnlyList<EvidenceAnswer> Answers,
    IReadOnlyList<EvidenceAnswer> GoldFailures,
    IReadOnlyList<EvidencePartner> Partners,
    IReadOnlyList<string> Notes);

public sealed record EvidenceSignal(string Kind, double Score, string Explanation);

public sealed record EvidenceAnswer(Guid AssignmentId, Guid JobId, Guid ItemId, string Answer, double Seconds, bool Gold, bool? Correct, DateTime At);

/// <summary>A suspected partner account. The agreement figures are there for collusion, from the jobs both labelled.</summary>
public sealed record EvidencePartner(
    string ContributorId,
    string Pseudonym,
    IReadOnlyList<EvidenceLink> Links,
    int? SharedItems = null,
    int? Agreements = null,
    double? ExpectedAgreements = null,
    int? SharedWrongGold = null);

/// <summary>What links two accounts: <c>Ip</c>, <c>Device</c> or <c>PayoutAccount</c>, and the shared value.</summary>
public sealed record EvidenceLink(string Kind, string Value);
