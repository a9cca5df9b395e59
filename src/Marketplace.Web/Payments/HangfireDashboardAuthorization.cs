using Hangfire.Dashboard;
using Marketplace.Web.Domain;

namespace Marketplace.Web.Payments;

/// <summary>The Hangfire dashboard is for admins only: never anonymous users, buyers or contributors.</summary>
internal sealed class HangfireDashboardAuthorization : IDashboardAsyncAuthorizationFilter
{
    public Task<bool> AuthorizeAsync(DashboardContext context) =>
        Task.FromResult(context.GetHttpContext().User is { Identity.IsAuthenticated: true } user && user.IsInRole(Roles.Admin));
}
