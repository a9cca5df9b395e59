using Marketplace.Payouts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Admin;

public class ReconciliationModel(ReconcileLedger reconcile, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public DateOnly? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public DateOnly? To { get; set; }

    public ReconciliationReport Report { get; private set; } = null!;

    public IReadOnlyList<ReconciliationLine> Unexplained => Report.Lines.Where(l => l.Status != ReconciliationStatus.Matched).ToList();

    public async Task OnGetAsync(CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        To ??= today;
        From ??= To.Value.AddDays(-30);
        Report = await reconcile.ExecuteAsync(From.Value.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), To.Value.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), ct);
    }
}
