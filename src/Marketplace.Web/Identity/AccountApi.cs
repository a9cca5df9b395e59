using System.Security.Claims;
using Marketplace.Web.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Web.Identity;

/// <summary>The signed-in user's own API, <c>/api/account</c>: who am I, and a buyer's or admin's personal API tokens.</summary>
public static class AccountApi
{
    public static IEndpointRouteBuilder MapAccountApi(this IEndpointRouteBuilder routes)
    {
        var account = routes.MapGroup("/api/account").WithTags("Account").RequireAuthorization();

        account.MapGet("/me", async Task<Results<Ok<MeResponse>, UnauthorizedHttpResult>> (ClaimsPrincipal user, AccountQueries queries, CancellationToken ct) =>
            await queries.MeAsync(user, ct) is { } me ? TypedResults.Ok(me) : TypedResults.Unauthorized());

        // A token must not mint or revoke tokens: a leaked one could otherwise outlive its own revocation.
        var tokens = account.MapGroup("/tokens").RequireAuthorization(Policies.ManageTokens);
        tokens.MapPost("/", async (CreateApiTokenRequest request, ClaimsPrincipal user, ApiTokenService tokens, CancellationToken ct) =>
            (await tokens.CreateAsync(user, request, ct)).ToResult(created => TypedResults.Created($"/api/account/tokens/{created.Id}", created)));
        tokens.MapGet("/", async (ClaimsPrincipal user, ApiTokenService tokens, CancellationToken ct) =>
            TypedResults.Ok(await tokens.ListAsync(user.UserId(), ct)));
        tokens.MapDelete("/{id:guid}", async (Guid id, ClaimsPrincipal user, ApiTokenService tokens, CancellationToken ct) =>
            (await tokens.RevokeAsync(user.UserId(), id, ct)).ToResult());
        return routes;
    }
}
