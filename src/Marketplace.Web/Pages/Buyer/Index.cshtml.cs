using Marketplace.Web.Jobs;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Buyer;

public class IndexModel(JobQueries queries) : PageModel
{
    public IReadOnlyList<JobSummary> Jobs { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Jobs = await queries.VisibleJobsAsync(User, ct);
}
