using System.Security.Claims;
using Marketplace.Payouts;
using Marketplace.Web.Domain;
using Marketplace.Web.Fraud;
using Marketplace.Web.Hosting;
using Marketplace.Web.Identity;
using Marketplace.Web.Payments;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Web.Tasks;

/// <summary>
/// The contributor's API, everything under <c>/api/work</c>: feed and dashboard, qualification tests, claim, submit and
/// release, earnings and the payout account, standing and appeals.
/// </summary>
public static class TasksApi
{
    public static IEndpointRouteBuilder MapTasksApi(this IEndpointRouteBuilder routes)
    {
        var work = routes.MapGroup("/api/work").WithTags("Work").RequireAuthorization(Roles.Contributor);

        work.MapGet("/feed", (ClaimsPrincipal user, TaskFeed feed, CancellationToken ct) => feed.ReadAsync(user.UserId(), ct));
        work.MapGet("/dashboard", async Task<Results<Ok<Dashboard>, NotFound>> (ClaimsPrincipal user, ContributorDashboard dashboard, CancellationToken ct) =>
            await dashboard.ReadAsync(user.UserId(), ct) is { } found ? TypedResults.Ok(found) : TypedResults.NotFound());

        work.MapGet("/qualifications", (ClaimsPrincipal user, QualificationTests tests, CancellationToken ct) => tests.SummariesAsync(user.UserId(), ct));
        work.MapPost("/qualifications/{taskType:tasktype}", async (TaskType taskType, ClaimsPrincipal user, QualificationTests tests, CancellationToken ct) =>
            (await tests.StartAsync(user.UserId(), taskType, ct)).ToResult(TypedResults.Ok));
        work.MapGet("/qualifications/{taskType:tasktype}", async Task<Results<Ok<QualificationResult>, NotFound>> (TaskType taskType, ClaimsPrincipal user, QualificationTests tests, CancellationToken ct) =>
            await tests.LatestAsync(user.UserId(), taskType, ct) is { } result ? TypedResults.Ok(result) : TypedResults.NotFound());

        // Claim the next task of one job, or of any job this contributor may do (in the order of Eligibility.Rank); 204 when none is left.
        work.MapPost("/jobs/{jobId:guid}/claim", async (Guid jobId, ClaimsPrincipal user, ClaimTask claim, CancellationToken ct) =>
            Claimed(await claim.ExecuteAsync(user.UserId(), jobId, ct)));
        work.MapPost("/claim", async (ClaimsPrincipal user, ClaimTask claim, CancellationToken ct) =>
            Claimed(await claim.ExecuteAsync(user.UserId(), null, ct)));

        work.MapGet("/assignments/{id:guid}", async Task<Results<Ok<TaskView>, NotFound>> (Guid id, ClaimsPrincipal user, TaskViews views, CancellationToken ct) =>
            await views.FindOpenAsync(user.UserId(), id, ct) is { } view ? TypedResults.Ok(view) : TypedResults.NotFound());
        work.MapPost("/assignments/{id:guid}/submit", async (Guid id, SubmitRequest request, ClaimsPrincipal user, SubmitAnswer submit, CancellationToken ct) =>
            (await submit.ExecuteAsync(user.UserId(), id, request, ct)).ToResult(TypedResults.Ok));
        work.MapPost("/assignments/{id:guid}/release", async (Guid id, ClaimsPrincipal user, ReleaseTask release, CancellationToken ct) =>
            (await release.ExecuteAsync(user.UserId(), id, ct)).ToResult());

        work.MapGet("/earnings", async (ClaimsPrincipal user, ContributorEarnings earnings, CancellationToken ct) =>
            TypedResults.Ok(await earnings.ReadAsync(user.UserId(), ct)));
        work.MapPost("/payout-account", async (ClaimsPrincipal user, PublicLinks links, PayoutOnboarding onboarding, CancellationToken ct) =>
            TypedResults.Ok<OnboardingLink>(await onboarding.StartAsync(user.UserId(), links.For("/Work"), ct)));

        work.MapGet("/standing", async (ClaimsPrincipal user, FraudQueries queries, CancellationToken ct) =>
            TypedResults.Ok(await queries.StandingAsync(user.UserId(), ct)));
        work.MapPost("/appeals", async (AppealRequest request, ClaimsPrincipal user, AppealCase appeal, FraudQueries queries, CancellationToken ct) =>
            await appeal.ExecuteAsync(user, request, ct) is { } failure
                ? (Results<Ok<Standing>, ProblemHttpResult>)failure.ToProblem()
                : TypedResults.Ok(await queries.StandingAsync(user.UserId(), ct)));
        return routes;
    }

    private static Results<Ok<TaskView>, NoContent, ProblemHttpResult> Claimed(Outcome<TaskView?> outcome) => outcome switch
    {
        { Failure: { } failure } => failure.ToProblem(),
        { Value: { } task } => TypedResults.Ok(task),
        _ => TypedResults.NoContent(),
    };
}
