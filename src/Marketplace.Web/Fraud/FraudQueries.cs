using System.Text.Json;
using Marketplace.Web.Data;
using Marketplace.Web.Domain;
using Marketplace.Web.Hosting;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Fraud;

public sealed record CaseSummary(
    Guid Id,
    string ContributorId,
    string Pseudonym,
    FraudCaseKind Kind,
    FraudCaseStatus Status,
    double Score,
    string Summary,
    DateTime OpenedAt,
    DateTime UpdatedAt,
    DateTime? ClosedAt,
    int Version,
    bool Appealed);

public sealed record CaseHistoryLine(FraudCaseActionKind Action, string ActorId, string ActorName, DateTime At, string? Reason, string? Details);

public sealed record CaseDetail(
    CaseSummary Case,
    CaseEvidence Evidence,
    IReadOnlyList<CaseHistoryLine> History,
    string? Appeal,
    DateTime? AppealedAt,
    DateTime? SuspendedAt,
    bool Banned,
    bool PayoutsHeld);

public sealed record CaseList(IReadOnlyList<CaseSummary> Cases, int Total, int Page, int PageSize);

/// <summary>What the list may be filtered by. <c>Status</c> is a status name or <c>undecided</c> (open or suspended).</summary>
public sealed record CaseFilter(string? Status = null, string? Kind = null, string? Contributor = null, int? Page = null);

/// <summary>A warning, suspension or ban as its contributor sees it: the reason, and whether they may still appeal.</summary>
public sealed record StandingCase(Guid CaseId, FraudCaseKind Kind, FraudCaseStatus Status, string Reason, DateTime DecidedAt, bool CanAppeal, string? Appeal, DateTime? AppealedAt);

public sealed record Standing(DateTime? SuspendedAt, bool Banned, IReadOnlyList<StandingCase> Cases);

/// <summary>Read side of fraud cases: the admin list and page, and a contributor's own standing.</summary>
public sealed class FraudQueries(MarketplaceDbContext db)
{
    public const int PageSize = 50;

    public const string Undecided = "undecided";

    /// <summary>The filtered list, most recently changed first; a bad filter value is refused, naming the filter.</summary>
    public async Task<Outcome<CaseList>> ListAsync(CaseFilter filter, CancellationToken ct)
    {
        var query = db.Set<FraudCase>().AsNoTracking();
        if (!string.IsNullOrWhiteSpace(filter.Status))
        {
            if (string.Equals(filter.Status.Trim(), Undecided, StringComparison.OrdinalIgnoreCase))
            {
                query = query.Where(c => c.Status == FraudCaseStatus.Open || c.Status == FraudCaseStatus.Suspended);
            }
            else if (Enum.TryParse<FraudCaseStatus>(filter.Status.Trim(), ignoreCase: true, out var status) && Enum.IsDefined(status))
            {
                query = query.Where(c => c.Status == status);
            }
            else
            {
                return InvalidFilter("status", $"Status is {Undecided} or one of: {string.Join(", ", Enum.GetNames<FraudCaseStatus>())}.");
            }
        }

        if (!string.IsNullOrWhiteSpace(filter.Kind))
        {
            if (!Enum.TryParse<FraudCaseKind>(filter.Kind.Trim(), ignoreCase: true, out var kind) || !Enum.IsDefined(kind))
            {
                return InvalidFilter("kind", $"Kind is one of: {string.Join(", ", Enum.GetNames<FraudCaseKind>())}.");
            }

            query = query.Where(c => c.Kind == kind);
        }

        if (!string.IsNullOrWhiteSpace(filter.Contributor))
        {
            var who = filter.Contributor.Trim();
            query = query.Where(c => c.ContributorId == who || db.ContributorProfiles.Any(p => p.UserId == c.ContributorId && p.Pseudonym == who));
        }

        if (filter.Page is < 1)
        {
            return InvalidFilter("page", "Pages count from 1.");
        }

        var page = filter.Page ?? 1;
        var total = await query.CountAsync(ct);
        var rows = await query.OrderByDescending(c => c.UpdatedAt).ThenByDescending(c => c.Id).Skip((page - 1) * PageSize).Take(PageSize).ToListAsync(ct);
        var pseudonyms = await Fingerprints.PseudonymsAsync(db, rows.Select(r => r.ContributorId).Distinct().ToList(), ct);
        return new CaseList(rows.Select(r => Summarize(r, pseudonyms)).ToList(), total, page, PageSize);
    }

    private static Failure InvalidFilter(string field, string detail) => Failure.Invalid(field, detail, "Invalid filter");

    public async Task<CaseDetail?> DetailAsync(Guid id, CancellationToken ct)
    {
        var fraudCase = await db.Set<FraudCase>().AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, ct);
        if (fraudCase is null)
        {
            return null;
        }

        var history = await db.Set<FraudCaseAction>().AsNoTracking().Where(a => a.CaseId == id).OrderBy(a => a.Id)
            .Select(a => new CaseHistoryLine(a.Action, a.ActorId, a.ActorName, a.At, a.Reason, a.Details)).ToListAsync(ct);
        var pseudonyms = await Fingerprints.PseudonymsAsync(db, [fraudCase.ContributorId], ct);
        var suspendedAt = await db.ContributorProfiles.AsNoTracking().Where(p => p.UserId == fraudCase.ContributorId).Select(p => p.SuspendedAt).SingleOrDefaultAsync(ct);
        var bannedAt = await db.Users.AsNoTracking().Where(u => u.Id == fraudCase.ContributorId).Select(u => u.BannedAt).SingleOrDefaultAsync(ct);
        var held = await db.PayoutAccounts.AsNoTracking().AnyAsync(p => p.ContributorId == fraudCase.ContributorId && p.OnHold, ct);
        var evidence = JsonSerializer.Deserialize<CaseEvidence>(fraudCase.Evidence, JsonSerializerOptions.Web)
            ?? throw new InvalidOperationException($"Case {id} has no evidence.");
        return new CaseDetail(Summarize(fraudCase, pseudonyms), evidence, history, fraudCase.AppealText, fraudCase.AppealedAt, suspendedAt,
            bannedAt is not null, held);
    }

    public async Task<Standing> StandingAsync(string userId, CancellationToken ct)
    {
        var suspendedAt = await db.ContributorProfiles.AsNoTracking().Where(p => p.UserId == userId).Select(p => p.SuspendedAt).SingleOrDefaultAsync(ct);
        var cases = await db.Set<FraudCase>().AsNoTracking()
            .Where(c => c.ContributorId == userId && (c.Status == FraudCaseStatus.Suspended || c.Status == FraudCaseStatus.Warned || c.Status == FraudCaseStatus.Banned))
            .OrderByDescending(c => c.UpdatedAt)
            .ToListAsync(ct);
        var ids = cases.Select(c => c.Id).ToList();
        var decisions = await db.Set<FraudCaseAction>().AsNoTracking()
            .Where(a => ids.Contains(a.CaseId) && (a.Action == FraudCaseActionKind.Suspend || a.Action == FraudCaseActionKind.Warn || a.Action == FraudCaseActionKind.Ban))
            .OrderBy(a => a.Id)
            .ToListAsync(ct);
        var lines = cases.Select(c =>
        {
            var decision = decisions.LastOrDefault(d => d.CaseId == c.Id);
            return new StandingCase(c.Id, c.Kind, c.Status, decision?.Reason ?? c.Summary, decision?.At ?? c.UpdatedAt,
                c.AppealedAt is null && c.Status is FraudCaseStatus.Suspended or FraudCaseStatus.Warned, c.AppealText, c.AppealedAt);
        }).ToList();
        return new Standing(suspendedAt, cases.Any(c => c.Status == FraudCaseStatus.Banned), lines);
    }

    private static CaseSummary Summarize(FraudCase c, IReadOnlyDictionary<string, string> pseudonyms) =>
        new(c.Id, c.ContributorId, pseudonyms.GetValueOrDefault(c.ContributorId, c.ContributorId), c.Kind, c.Status, c.Score, c.Summary, c.OpenedAt, c.UpdatedAt, c.ClosedAt, c.Version, c.AppealedAt is not null);
}
