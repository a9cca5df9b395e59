using Marketplace.Web.Admin;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Admin.Jobs;

public class DetailsModel(AdminInsights insights) : PageModel
{
    public JobInspection Inspection { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await insights.JobAsync(id, ct) is not { } found)
        {
            return NotFound();
        }

        Inspection = found;
        return Page();
    }
}
