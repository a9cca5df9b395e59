using Marketplace.Web.Admin;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Admin.Contributors;

public class DetailsModel(AdminInsights insights) : PageModel
{
    public ContributorInspection Inspection { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken ct)
    {
        if (await insights.ContributorAsync(id, ct) is not { } found)
        {
            return NotFound();
        }

        Inspection = found;
        return Page();
    }
}
