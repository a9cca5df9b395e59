using Marketplace.Web.Admin;
using Marketplace.Web.Domain;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Admin.Jobs;

public class IndexModel(AdminInsights insights) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true)]
    public JobStatus? Status { get; set; }

    public IReadOnlyList<JobRow> Found { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Found = await insights.SearchJobsAsync(Q, Status, ct);
}
