using System.Security.Claims;
using Hangfire;
using Marketplace.Payouts;
using Marketplace.Web.Data;
using Marketplace.Web.Domain;
using Marketplace.Web.Identity;
using Marketplace.Web.Jobs;
using Marketplace.Web.Tasks;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Payments;

public sealed record FundJobRequest(long? AmountMinor);

public sealed record ReturnPayoutRequest(string? Reason);

/// <summary><c>ClawbackId</c>: one per decision, so retrying the request cannot take twice (generated when absent).</summary>
public sealed record ClawbackPayoutRequest(Guid? ClawbackId, long? AmountMinor, string? Reason, Guid? CreditJobId);

public sealed record FundingView(string PaymentIntentId, string? ClientSecret, long AmountMinor, string Currency, bool DryRun, bool FundedNow, JobStatus Status);

public sealed record EscrowView(long BalanceMinor, string Currency, long NeededMinor, bool DryRun, IReadOnlyList<FundingLine> Fundings, IReadOnlyList<RefundLine> Refunds);

public sealed record FundingLine(string PaymentIntentId, long AmountMinor, DateTime At, bool DryRun);

public sealed record RefundLine(long AmountMinor, string State, DateTime At);

/// <summary><c>ClawedBackMinor</c>: what an admin took back after it was paid, with <c>Clawbacks</c> saying why.</summary>
public sealed record PayoutLine(Guid Id, long AmountMinor, string Currency, PayoutState State, DateTime CreatedAt, bool DryRun, long ClawedBackMinor = 0, IReadOnlyList<string>? Clawbacks = null);

public sealed record EarningsView(IReadOnlyList<ContributorBalance> Balances, IReadOnlyList<PayoutLine> Payouts, bool DryRun);

/// <summary>Money at the edges: funding a job, Stripe's webhook, a contributor's earnings and payout account, an admin's payout runs.</summary>
public static class PaymentsApi
{
    public static IEndpointRouteBuilder MapPaymentsEndpoints(this IEndpointRouteBuilder routes)
    {
        var jobs = routes.MapGroup("/api/jobs").WithTags("Funding").RequireAuthorization(Policies.BuyerOrAdmin);
        jobs.MapPost("/{id:guid}/fund", FundAsync).RequireAuthorization(Roles.Buyer);
        jobs.MapGet("/{id:guid}/escrow", EscrowAsync);

        // Stripe calls this; the signature, not a session, is what authenticates it.
        routes.MapPost("/stripe/webhook", ReceiveWebhookAsync).AllowAnonymous().DisableAntiforgery().WithTags("Stripe");

        var work = routes.MapGroup("/api/work").WithTags("Earnings").RequireAuthorization(Roles.Contributor);
        work.MapGet("/earnings", EarningsAsync);
        work.MapPost("/payout-account", ConnectAsync);

        var admin = routes.MapGroup("/api/admin/payouts").WithTags("Payouts").RequireAuthorization(Roles.Admin);
        admin.MapPost("/runs", async (ClaimsPrincipal user, PayoutOversight oversight, CancellationToken ct) =>
            TypedResults.Accepted((string?)null, new { runKey = await oversight.TriggerRunAsync(user, ct) }));
        admin.MapGet("/runs", async (MarketplaceDbContext db, CancellationToken ct) =>
            TypedResults.Ok(await db.PayoutRuns.AsNoTracking().OrderByDescending(r => r.PlannedAt).Take(50).Select(r => new { r.Id, r.RunKey, r.PlannedAt, r.Paused }).ToListAsync(ct)));
        admin.MapGet("/runs/{id:guid}", async Task<Results<Ok<object>, NotFound>> (Guid id, PayoutQueries queries, CancellationToken ct) =>
            await queries.RunAsync(id, ct) is { } run ? TypedResults.Ok<object>(new { run, payouts = (await queries.PayoutsOfRunAsync(id, ct)).Select(Line) }) : TypedResults.NotFound());
        admin.MapPost("/runs/{id:guid}/pause", async (Guid id, ClaimsPrincipal user, PayoutOversight oversight, CancellationToken ct) =>
            Outcome(await oversight.SetPausedAsync(user, id, true, ct), "This run"));
        admin.MapPost("/runs/{id:guid}/resume", async (Guid id, ClaimsPrincipal user, PayoutOversight oversight, CancellationToken ct) =>
            Outcome(await oversight.SetPausedAsync(user, id, false, ct), "This run"));
        admin.MapPost("/{id:guid}/retry", async (Guid id, ClaimsPrincipal user, PayoutOversight oversight, CancellationToken ct) =>
            Outcome(await oversight.RetryAsync(user, id, ct), "Only a failed payout can be retried; this one"));
        admin.MapPost("/{id:guid}/return", async (Guid id, ReturnPayoutRequest? request, ClaimsPrincipal user, PayoutOversight oversight, CancellationToken ct) =>
            string.IsNullOrWhiteSpace(request?.Reason)
                ? Problem(StatusCodes.Status400BadRequest, "Reason required", "Say why the money goes back to the contributor.", "reason")
                : Outcome(await oversight.ReturnAsync(user, id, request.Reason.Trim(), ct), "Only a failed payout can be returned; this one"));
        admin.MapPost("/{id:guid}/clawback", ClawBackAsync);
        admin.MapGet("/reconciliation", async (DateTime? from, DateTime? to, ReconcileLedger reconcile, TimeProvider clock, CancellationToken ct) =>
        {
            var end = to?.ToUniversalTime() ?? clock.GetUtcNow().UtcDateTime;
            return TypedResults.Ok(await reconcile.ExecuteAsync(from?.ToUniversalTime() ?? end.AddDays(-30), end, ct));
        });
        return routes;
    }

    private static async Task<IResult> ClawBackAsync(Guid id, ClawbackPayoutRequest? request, ClaimsPrincipal user, PayoutOversight oversight, MarketplaceDbContext db, CancellationToken ct)
    {
        if (request?.AmountMinor is not { } amount || amount <= 0)
        {
            return Problem(StatusCodes.Status400BadRequest, "Amount required", "How much to take back, in minor units, more than zero.", "amountMinor");
        }

        if (string.IsNullOrWhiteSpace(request.Reason))
        {
            return Problem(StatusCodes.Status400BadRequest, "Reason required", "Say why the money is taken back: the contributor is told.", "reason");
        }

        if (request.CreditJobId is { } jobId && !await db.Jobs.AnyAsync(j => j.Id == jobId, ct))
        {
            return Problem(StatusCodes.Status400BadRequest, "No such job", $"Job {jobId} does not exist; name the job whose escrow gets the money, or none.", "creditJobId");
        }

        var result = await oversight.ClawBackAsync(user, new ClawbackRequest(request.ClawbackId ?? Guid.NewGuid(), id, amount, request.Reason.Trim(), request.CreditJobId), ct);
        return result.Status switch
        {
            ClawbackStatus.Done or ClawbackStatus.AlreadyDone => TypedResults.Ok(new { status = result.Status.ToString(), amountMinor = amount, clawedBackMinor = result.ClawedBackSoFar?.MinorUnits, reversalId = result.ReversalId }),
            ClawbackStatus.NotFound => TypedResults.NotFound(),
            ClawbackStatus.TooMuch => Problem(StatusCodes.Status400BadRequest, "Too much", result.Message!, "amountMinor"),
            ClawbackStatus.Declined => Problem(StatusCodes.Status502BadGateway, "Stripe refused the reversal", result.Message ?? "The processor refused."),
            _ => Problem(StatusCodes.Status409Conflict, "Not paid", result.Message ?? "Only a paid payout can be clawed back."),
        };
    }

    private static IResult Outcome(OversightResult result, string what) => result switch
    {
        OversightResult.Done => TypedResults.NoContent(),
        OversightResult.NotFound => TypedResults.NotFound(),
        _ => Problem(StatusCodes.Status409Conflict, "Not allowed now", $"{what} is not in a state that allows it."),
    };

    private static async Task<Results<Ok<FundingView>, NotFound, ProblemHttpResult>> FundAsync(
        Guid id, FundJobRequest? request, ClaimsPrincipal user, JobService service, FundJob fund, MarketplaceDbContext db, CancellationToken ct)
    {
        var job = await service.FindVisibleAsync(user, id, ct);
        if (job is null)
        {
            return TypedResults.NotFound();
        }

        var result = await fund.ExecuteAsync(job, request?.AmountMinor, ct);
        switch (result.Outcome)
        {
            case FundJobOutcome.Closed:
                return Problem(StatusCodes.Status409Conflict, "Job closed", $"A {job.Status} job takes no more money.");
            case FundJobOutcome.NothingToFund:
                return Problem(StatusCodes.Status400BadRequest, "Nothing to fund", $"Escrow already holds {result.Escrow}, enough for the job's price of {result.Price}: send amountMinor to top up.", "amountMinor");
            case FundJobOutcome.Declined:
                return Problem(StatusCodes.Status402PaymentRequired, "Payment not started", result.Intent!.DeclineMessage!);
        }

        var intent = result.Intent!;
        var status = await db.Jobs.AsNoTracking().Where(j => j.Id == id).Select(j => j.Status).SingleAsync(ct);
        return TypedResults.Ok(new FundingView(intent.PaymentIntentId, intent.ClientSecret, result.Amount.MinorUnits, job.Currency, intent.DryRun, intent.FundedNow, status));
    }

    private static async Task<Results<Ok<EscrowView>, NotFound>> EscrowAsync(Guid id, ClaimsPrincipal user, JobService service, EscrowQueries escrow, IPaymentsGateway gateway, CancellationToken ct)
    {
        var job = await service.FindVisibleAsync(user, id, ct);
        if (job is null)
        {
            return TypedResults.NotFound();
        }

        var details = await service.DetailsAsync(job, ct);
        var balance = await escrow.BalanceAsync(job.Id, job.Currency, ct);
        var fundings = (await escrow.FundingsAsync(job.Id, ct)).Select(f => new FundingLine(f.PaymentIntentId, f.AmountMinor, f.FundedAt, f.DryRun)).ToList();
        var refunds = (await escrow.RefundsAsync(job.Id, ct)).Select(r => new RefundLine(r.AmountMinor, r.State.ToString(), r.CreatedAt)).ToList();
        return TypedResults.Ok(new EscrowView(balance.MinorUnits, job.Currency, details.Price.TotalMinor, gateway.IsDryRun, fundings, refunds));
    }

    private static async Task<IResult> ReceiveWebhookAsync(HttpRequest request, ReceiveStripeWebhook receive, IBackgroundJobClient background, CancellationToken ct)
    {
        // The signature covers the exact bytes Stripe sent: read them unmodified.
        using var reader = new StreamReader(request.Body);
        var payload = await reader.ReadToEndAsync(ct);
        var receipt = await receive.ExecuteAsync(payload, request.Headers["Stripe-Signature"], ct);
        switch (receipt.Status)
        {
            case WebhookReceiptStatus.Accepted:
                var eventId = receipt.EventId!;
                background.Enqueue<MoneyJobs>(j => j.ProcessEventAsync(eventId, CancellationToken.None));
                return Results.Ok();
            case WebhookReceiptStatus.Duplicate:
                return Results.Ok();
            case WebhookReceiptStatus.NotConfigured:
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Webhooks are not configured", detail: "No Stripe webhook secret is set: this server runs in dry-run mode.");
            default:
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad signature", detail: "The Stripe-Signature header does not verify against this endpoint's secret.");
        }
    }

    private static async Task<Ok<EarningsView>> EarningsAsync(ClaimsPrincipal user, PayoutQueries queries, IPaymentsGateway gateway, CancellationToken ct)
    {
        var userId = AccountApi.UserId(user);
        return TypedResults.Ok(new EarningsView(await queries.BalancesAsync(userId, ct), await PayoutLinesAsync(queries, userId, ct), gateway.IsDryRun));
    }

    private static async Task<Ok<OnboardingLink>> ConnectAsync(ClaimsPrincipal user, HttpRequest request, ConnectPayoutAccount connect, SetPayoutHold hold, MarketplaceDbContext db, CancellationToken ct)
    {
        var userId = AccountApi.UserId(user);
        var email = await db.Users.Where(u => u.Id == userId).Select(u => u.Email).SingleAsync(ct);
        var back = new Uri($"{request.Scheme}://{request.Host}/Work");
        var link = await connect.ExecuteAsync(userId, email, null, back, back, ct);

        // A suspension holds payouts; an account connected after it must not slip past that hold.
        if (await db.ContributorProfiles.AnyAsync(p => p.UserId == userId && p.SuspendedAt != null, ct))
        {
            await hold.ExecuteAsync(userId, true, "Contributor is suspended", ct);
        }

        return TypedResults.Ok(link);
    }

    private static PayoutLine Line(Payout p) => new(p.Id, p.AmountMinor, p.Currency, p.State, p.CreatedAt, p.DryRun);

    /// <summary>A contributor's payouts, newest first, each with anything clawed back from it: never silent.</summary>
    public static async Task<IReadOnlyList<PayoutLine>> PayoutLinesAsync(PayoutQueries queries, string contributorId, CancellationToken ct)
    {
        var payouts = await queries.PayoutsOfContributorAsync(contributorId, ct: ct);
        var clawbacks = await queries.ClawbacksAsync([.. payouts.Select(p => p.Id)], ct);
        return payouts.Select(p => clawbacks.TryGetValue(p.Id, out var c) ? Line(p) with { ClawedBackMinor = c.AmountMinor, Clawbacks = c.Memos } : Line(p)).ToList();
    }

    private static ProblemHttpResult Problem(int status, string title, string detail, string? field = null) =>
        WorkService.Problem(status, title, detail, field);
}
