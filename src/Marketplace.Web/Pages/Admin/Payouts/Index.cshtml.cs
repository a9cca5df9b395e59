using Marketplace.Web.Payments;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Admin.Payouts;

public class IndexModel(PayoutOversight oversight) : PageModel
{
    public IReadOnlyList<RunRow> Runs { get; private set; } = [];

    [TempData]
    public string? Message { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => Runs = await oversight.RunSummariesAsync(ct);

    public async Task<IActionResult> OnPostTriggerAsync(CancellationToken ct)
    {
        Message = $"Run {await oversight.TriggerRunAsync(User, ct)} is being planned; it appears here in a moment.";
        return RedirectToPage();
    }
}
