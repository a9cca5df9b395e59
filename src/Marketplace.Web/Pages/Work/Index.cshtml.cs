using Marketplace.Web.Fraud;
using Marketplace.Web.Identity;
using Marketplace.Web.Payments;
using Marketplace.Web.Tasks;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Work;

public class IndexModel(ContributorDashboard dashboard, TaskFeed feed, FraudQueries fraud, ContributorEarnings earnings) : PageModel
{
    public Dashboard? Dashboard { get; private set; }

    public IReadOnlyList<FeedEntry> Feed { get; private set; } = [];

    public Standing? Standing { get; private set; }

    public IReadOnlyList<PayoutLine> Payouts { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var userId = User.UserId();
        Dashboard = await dashboard.ReadAsync(userId, ct);
        Feed = await feed.ReadAsync(userId, ct);
        Standing = await fraud.StandingAsync(userId, ct);
        Payouts = await earnings.PayoutsAsync(userId, ct);
    }
}
