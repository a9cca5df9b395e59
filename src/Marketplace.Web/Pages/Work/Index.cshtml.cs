using Marketplace.Web.Identity;
using Marketplace.Web.Tasks;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Work;

public class IndexModel(ContributorQueries queries, Fraud.FraudQueries fraud, Marketplace.Payouts.PayoutQueries payouts) : PageModel
{
    public Dashboard? Dashboard { get; private set; }

    public IReadOnlyList<FeedEntry> Feed { get; private set; } = [];

    public Fraud.Standing? Standing { get; private set; }

    public IReadOnlyList<Payments.PayoutLine> Payouts { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var userId = AccountApi.UserId(User);
        Dashboard = await queries.DashboardAsync(userId, ct);
        Feed = await queries.FeedAsync(userId, ct);
        Standing = await fraud.StandingAsync(userId, ct);
        Payouts = await Payments.PaymentsApi.PayoutLinesAsync(payouts, userId, ct);
    }
}
