using System.Security.Claims;
using Marketplace.Web.Audit;
using Marketplace.Web.Data;
using Marketplace.Web.Domain;
using Marketplace.Web.Hosting;
using Marketplace.Web.Identity;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Fraud;

public sealed record AppealRequest(Guid? CaseId, string? Text);

/// <summary>A contributor appeals a warning or suspension of theirs, once; the case keeps the appeal for an admin to read.</summary>
public sealed class AppealCase(MarketplaceDbContext db, WriteTransactions writes, AuditLog audit, TimeProvider clock)
{
    public static readonly Failure CaseNotFound = Failure.Missing("No such case", "There is no such case.");

    public async Task<Failure?> ExecuteAsync(ClaimsPrincipal user, AppealRequest request, CancellationToken ct)
    {
        var userId = user.UserId();
        if (request.CaseId is not { } id)
        {
            return Failure.Invalid("caseId", "Which case you appeal is required.");
        }

        var text = request.Text?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return Failure.Invalid("text", "Say why the decision is wrong.");
        }

        if (text.Length > DecideCase.MaxReason)
        {
            return Failure.Invalid("text", $"An appeal is at most {DecideCase.MaxReason} characters.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await writes.BeginAsync(db, ct);
        var fraudCase = await db.Set<FraudCase>().AsNoTracking()
            .SingleOrDefaultAsync(c => c.Id == id && c.ContributorId == userId && (c.Status == FraudCaseStatus.Suspended || c.Status == FraudCaseStatus.Warned), ct);
        if (fraudCase is null)
        {
            return CaseNotFound;
        }

        var appealed = await db.Set<FraudCase>().Where(c => c.Id == id && c.AppealedAt == null).ExecuteUpdateAsync(
            s => s.SetProperty(c => c.AppealText, text).SetProperty(c => c.AppealedAt, now).SetProperty(c => c.Version, c => c.Version + 1).SetProperty(c => c.UpdatedAt, now),
            ct);
        if (appealed == 0)
        {
            return Failure.Conflict("Already appealed", "A decision can be appealed once, and this one was.");
        }

        var actor = AuditActor.From(user);
        db.Set<FraudCaseAction>().Add(new FraudCaseAction { CaseId = id, Action = FraudCaseActionKind.Appeal, ActorId = actor.Id, ActorName = actor.Name, At = now, Reason = text });
        audit.Record(actor, "case.appeal", "FraudCase", id.ToString(), text, new { status = fraudCase.Status.ToString() });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return null;
    }

}
