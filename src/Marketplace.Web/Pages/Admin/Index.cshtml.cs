using Marketplace.Web.Admin;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Admin;

public class IndexModel(AdminInsights insights) : PageModel
{
    public PoolCounts Counts { get; private set; } = new(0, 0, 0, 0);

    public async Task OnGetAsync(CancellationToken ct) => Counts = await insights.CountsAsync(ct);
}
