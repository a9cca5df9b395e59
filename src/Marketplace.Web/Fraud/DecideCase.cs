using System.Security.Claims;
using System.Text.Json;
using Marketplace.Payouts;
using Marketplace.Web.Audit;
using Marketplace.Web.Data;
using Marketplace.Web.Domain;
using Marketplace.Web.Hosting;
using Marketplace.Web.Jobs;
using Marketplace.Web.Live;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Fraud;

public sealed record CaseActionRequest(int? Version, string? Reason, DateTime? From = null, DateTime? To = null);

/// <summary>
/// An admin's decision on a case: dismiss, warn, suspend, ban, or reject a range of the contributor's labels. Each is
/// one transaction: the case row is locked first, its version checked, the effects applied, a history line and an
/// audit entry written, and all of it commits or none of it does.
/// </summary>
public sealed class DecideCase(
    MarketplaceDbContext db,
    WriteTransactions writes,
    ItemConsensus consensus,
    ReverseEarnings reverse,
    SetPayoutHold hold,
    UserManager<ApplicationUser> users,
    AuditLog audit,
    ILiveNotifier live,
    TimeProvider clock)
{
    public const int MaxReason = 2000;

    /// <summary>A ban locks the account until then: in effect for ever, and a date every provider stores.</summary>
    public static readonly DateTimeOffset BannedUntil = new(9999, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The URL segment of each admin action.</summary>
    public static readonly IReadOnlyDictionary<string, FraudCaseActionKind> Actions = new Dictionary<string, FraudCaseActionKind>(StringComparer.OrdinalIgnoreCase)
    {
        ["dismiss"] = FraudCaseActionKind.Dismiss,
        ["warn"] = FraudCaseActionKind.Warn,
        ["suspend"] = FraudCaseActionKind.Suspend,
        ["ban"] = FraudCaseActionKind.Ban,
        ["reject-labels"] = FraudCaseActionKind.RejectLabels,
    };

    public async Task<Failure?> ExecuteAsync(Guid id, FraudCaseActionKind action, CaseActionRequest request, ClaimsPrincipal admin, CancellationToken ct)
    {
        if (action is FraudCaseActionKind.Opened or FraudCaseActionKind.Appeal)
        {
            throw new ArgumentOutOfRangeException(nameof(action), action, "Not an admin's action.");
        }

        if (Check(action, request) is { } invalid)
        {
            return invalid;
        }

        var reason = request.Reason!.Trim();
        var now = clock.GetUtcNow().UtcDateTime;
        var touchedJobs = new HashSet<Guid>();
        await using (var transaction = await writes.BeginAsync(db, ct))
        {
            // Lock the case first: a second admin acting at once waits here, then finds the version moved on.
            await db.Set<FraudCase>().Where(c => c.Id == id).ExecuteUpdateAsync(s => s.SetProperty(c => c.Version, c => c.Version), ct);
            var fraudCase = await db.Set<FraudCase>().SingleOrDefaultAsync(c => c.Id == id, ct);
            if (fraudCase is null)
            {
                return AppealCase.CaseNotFound;
            }

            if (Refusal(fraudCase, action, request.Version!.Value) is { } refused)
            {
                return refused;
            }

            var details = await ApplyAsync(fraudCase, action, request, reason, now, touchedJobs, ct);
            fraudCase.Version++;
            fraudCase.UpdatedAt = now;
            var actor = AuditActor.From(admin);
            var json = details is null ? null : JsonSerializer.Serialize(details, JsonSerializerOptions.Web);
            db.Set<FraudCaseAction>().Add(new FraudCaseAction { CaseId = id, Action = action, ActorId = actor.Id, ActorName = actor.Name, At = now, Reason = reason, Details = json });
            audit.Record(actor, $"case.{Verb(action)}", "FraudCase", id.ToString(), reason, new { contributor = fraudCase.ContributorId, status = fraudCase.Status.ToString(), version = fraudCase.Version, details });
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                return StaleVersion("The case changed while you acted on it. Reload it and decide again.");
            }

            await transaction.CommitAsync(ct);
        }

        db.ChangeTracker.Clear();
        foreach (var job in touchedJobs)
        {
            live.JobProgressed(job);
        }

        return null;
    }

    /// <summary>The request's own faults: a version, a reason, and for rejecting labels a range.</summary>
    private static Failure? Check(FraudCaseActionKind action, CaseActionRequest request)
    {
        if (request.Version is null)
        {
            return Failure.Invalid("version", "The version of the case you decided on is required.");
        }

        var reason = request.Reason?.Trim();
        if (string.IsNullOrEmpty(reason))
        {
            return Failure.Invalid("reason", "Say why: the reason is recorded and, for a warning or suspension, shown to the contributor.");
        }

        if (reason.Length > MaxReason)
        {
            return Failure.Invalid("reason", $"The reason is at most {MaxReason} characters.");
        }

        if (action != FraudCaseActionKind.RejectLabels)
        {
            return null;
        }

        if (request.From is null)
        {
            return Failure.Invalid("from", "The start of the range of labels to reject is required.");
        }

        if (request.To is null)
        {
            return Failure.Invalid("to", "The end of the range of labels to reject is required.");
        }

        return Utc(request.To.Value) <= Utc(request.From.Value) ? Failure.Invalid("to", "The end of the range comes after its start.") : null;
    }

    /// <summary>Why the case, as it stands now, does not allow this decision.</summary>
    private static Failure? Refusal(FraudCase fraudCase, FraudCaseActionKind action, int version)
    {
        if (fraudCase.IsClosed)
        {
            return Failure.Conflict("Case closed", $"This case was closed ({fraudCase.Status}) on {fraudCase.ClosedAt:u}; nothing more can be done on it.");
        }

        if (fraudCase.Version != version)
        {
            return StaleVersion($"The case is at version {fraudCase.Version}, not {version}: it changed since you loaded it. Reload it and decide again.");
        }

        return action is FraudCaseActionKind.Warn or FraudCaseActionKind.Suspend && fraudCase.Status != FraudCaseStatus.Open
            ? Failure.Conflict("Already suspended", "The contributor is already suspended on this case: ban them, reject labels, or dismiss the case to lift the suspension.")
            : null;
    }

    private static Failure StaleVersion(string detail) => Failure.Conflict("Stale version", detail);

    /// <summary>The decision's effects on the contributor and the case; returns what to record of them.</summary>
    private async Task<object?> ApplyAsync(FraudCase fraudCase, FraudCaseActionKind action, CaseActionRequest request, string reason, DateTime now, HashSet<Guid> touchedJobs, CancellationToken ct)
    {
        var contributor = fraudCase.ContributorId;
        switch (action)
        {
            case FraudCaseActionKind.Dismiss:
                object? lifted = fraudCase.Status == FraudCaseStatus.Suspended ? new { suspensionLifted = await LiftSuspensionAsync(fraudCase, ct) } : null;
                Close(fraudCase, FraudCaseStatus.Dismissed, now);
                return lifted;
            case FraudCaseActionKind.Warn:
                Close(fraudCase, FraudCaseStatus.Warned, now);
                return null;
            case FraudCaseActionKind.Suspend:
                var suspended = new { leasesEnded = await SuspendAsync(contributor, reason, now, ct) };
                fraudCase.Status = FraudCaseStatus.Suspended;
                return suspended;
            case FraudCaseActionKind.Ban:
                var banned = new { leasesEnded = await SuspendAsync(contributor, reason, now, ct) };
                await LockAccountAsync(contributor, now, ct);
                Close(fraudCase, FraudCaseStatus.Banned, now);
                return banned;
            default:
                return await RejectLabelsAsync(contributor, Utc(request.From!.Value), Utc(request.To!.Value), reason, now, touchedJobs, ct);
        }
    }

    public static string Verb(FraudCaseActionKind action) => action switch
    {
        FraudCaseActionKind.RejectLabels => "reject-labels",
        _ => action.ToString().ToLowerInvariant(),
    };

    /// <summary>Times without a zone are UTC, as everything here is.</summary>
    private static DateTime Utc(DateTime value) => value.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(value, DateTimeKind.Utc) : value.ToUniversalTime();

    private static void Close(FraudCase fraudCase, FraudCaseStatus status, DateTime now)
    {
        fraudCase.Status = status;
        fraudCase.OpenKey = null;
        fraudCase.ClosedAt = now;
    }

    /// <summary>No new tasks (claims check the profile), payouts held, and the leases they hold end now so their slots go back.</summary>
    private async Task<int> SuspendAsync(string contributor, string reason, DateTime now, CancellationToken ct)
    {
        await db.ContributorProfiles.Where(p => p.UserId == contributor && p.SuspendedAt == null).ExecuteUpdateAsync(s => s.SetProperty(p => p.SuspendedAt, now), ct);
        await hold.ExecuteAsync(contributor, true, FraudScan.Truncate($"Fraud review: {reason}", 500), ct);
        return await db.Assignments.Where(a => a.ContributorId == contributor && a.Status == AssignmentStatus.Leased && a.LeaseExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.LeaseExpiresAt, now), ct);
    }

    /// <summary>Lifts the suspension unless another case still holds one; returns whether it did.</summary>
    private async Task<bool> LiftSuspensionAsync(FraudCase fraudCase, CancellationToken ct)
    {
        var contributor = fraudCase.ContributorId;
        if (await db.Set<FraudCase>().AnyAsync(c => c.ContributorId == contributor && c.Id != fraudCase.Id && (c.Status == FraudCaseStatus.Suspended || c.Status == FraudCaseStatus.Banned), ct))
        {
            return false;
        }

        await db.ContributorProfiles.Where(p => p.UserId == contributor).ExecuteUpdateAsync(s => s.SetProperty(p => p.SuspendedAt, (DateTime?)null), ct);
        await hold.ExecuteAsync(contributor, false, null, ct);
        return true;
    }

    /// <summary>
    /// A banned account cannot sign in, its API tokens stop working, and its sessions end at their next validation.
    /// <see cref="ApplicationUser.BannedAt"/> says so explicitly (tokens and password resets read it); the lockout
    /// to <see cref="BannedUntil"/> keeps Identity's own sign-in refusing it too.
    /// </summary>
    private async Task LockAccountAsync(string contributor, DateTime now, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var user = await users.FindByIdAsync(contributor) ?? throw new InvalidOperationException($"Contributor {contributor} has no account.");
        user.BannedAt ??= now;
        Check(await users.SetLockoutEnabledAsync(user, true));
        Check(await users.SetLockoutEndDateAsync(user, BannedUntil));
        Check(await users.UpdateSecurityStampAsync(user));

        static void Check(IdentityResult result)
        {
            if (!result.Succeeded)
            {
                throw new InvalidOperationException($"Could not lock the account: {string.Join(" ", result.Errors.Select(e => e.Description))}");
            }
        }
    }

    /// <summary>
    /// Rejects the contributor's labels submitted in [from, to): each assignment becomes Rejected, its item gives the
    /// slot back and is decided again from the labels that remain (so it re-opens unless those already settle it),
    /// and its earnings still on hold are reversed through the ledger. Released earnings are not touched here.
    /// </summary>
    private async Task<object> RejectLabelsAsync(string contributor, DateTime from, DateTime to, string reason, DateTime now, HashSet<Guid> touchedJobs, CancellationToken ct)
    {
        var candidates = await db.Assignments.AsNoTracking()
            .Where(a => a.ContributorId == contributor && a.Status == AssignmentStatus.Submitted && a.QualificationAttemptId == null && a.EndedAt >= from && a.EndedAt < to)
            .OrderBy(a => a.ItemId)
            .Select(a => new { a.Id, a.ItemId, a.JobId, a.Kind })
            .ToListAsync(ct);
        var reopened = new List<(Guid JobId, Guid ItemId)>();
        var amounts = new List<Money>();
        int rejected = 0, released = 0;
        foreach (var a in candidates)
        {
            if (a.Kind == AssignmentKind.Label)
            {
                // Item before assignment, the order submits take them in, so the two wait for each other instead of deadlocking.
                await db.Items.Where(i => i.Id == a.ItemId).ExecuteUpdateAsync(s => s.SetProperty(i => i.LabelsHeld, i => i.LabelsHeld), ct);
            }

            var moved = await db.Assignments.Where(x => x.Id == a.Id && x.Status == AssignmentStatus.Submitted)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, AssignmentStatus.Rejected), ct);
            if (moved == 0)
            {
                continue; // rejected by another case a moment ago
            }

            rejected++;
            touchedJobs.Add(a.JobId);
            if (a.Kind == AssignmentKind.Label)
            {
                await db.Items.Where(i => i.Id == a.ItemId).ExecuteUpdateAsync(
                    s => s.SetProperty(i => i.LabelsHeld, i => i.LabelsHeld - 1)
                        .SetProperty(i => i.LabelsSubmitted, i => i.LabelsSubmitted - 1)
                        .SetProperty(i => i.FinalizedAt, (DateTime?)null)
                        .SetProperty(i => i.ConsensusAnswer, (string?)null)
                        .SetProperty(i => i.Confidence, (double?)null),
                    ct);
                reopened.Add((a.JobId, a.ItemId));
            }

            var reversal = await reverse.ForAssignmentAsync(a.Id, FraudScan.Truncate(reason, 400), ct);
            amounts.AddRange(reversal.Amounts);
            released += reversal.PaidOrInPayout;
        }

        foreach (var group in reopened.GroupBy(r => r.JobId))
        {
            var job = await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == group.Key, ct);
            foreach (var (_, itemId) in group)
            {
                await consensus.DecideAsync(job, itemId, now, ct);
            }
        }

        return new
        {
            from,
            to,
            labelsRejected = rejected,
            itemsReopened = reopened.Count,
            reversedMinor = amounts.GroupBy(m => m.Currency).ToDictionary(g => g.Key, g => g.Sum(m => m.MinorUnits)),
            paidOrInPayoutNotReversed = released,
        };
    }
}
