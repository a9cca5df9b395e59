using Marketplace.Web.Admin;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Admin.Contributors;

public class IndexModel(AdminInsights insights) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool Suspended { get; set; }

    public IReadOnlyList<ContributorRow> Found { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Found = await insights.SearchContributorsAsync(Q, Suspended, ct);
}
