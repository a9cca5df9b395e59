using Marketplace.Payouts;
using Marketplace.Web.Data;
using Marketplace.Web.Payments;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Pages.Admin.Payouts;

public sealed record RunRow(Guid Id, string RunKey, DateTime PlannedAt, bool Paused, IReadOnlyDictionary<PayoutState, int> Counts, IReadOnlyList<Money> Totals);

public class IndexModel(MarketplaceDbContext db, PayoutOversight oversight) : PageModel
{
    public IReadOnlyList<RunRow> Runs { get; private set; } = [];

    [TempData]
    public string? Message { get; set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var runs = await db.PayoutRuns.AsNoTracking().OrderByDescending(r => r.PlannedAt).Take(50).ToListAsync(ct);
        var ids = runs.Select(r => r.Id).ToList();
        var counts = await db.Payouts.AsNoTracking().Where(p => ids.Contains(p.RunId))
            .GroupBy(p => new { p.RunId, p.State, p.Currency })
            .Select(g => new { g.Key.RunId, g.Key.State, g.Key.Currency, Count = g.Count(), Amount = g.Sum(p => p.AmountMinor) })
            .ToListAsync(ct);
        Runs = runs.Select(r =>
        {
            var mine = counts.Where(c => c.RunId == r.Id).ToList();
            return new RunRow(r.Id, r.RunKey, r.PlannedAt, r.Paused,
                mine.GroupBy(c => c.State).ToDictionary(g => g.Key, g => g.Sum(c => c.Count)),
                mine.GroupBy(c => c.Currency).Select(g => new Money(g.Sum(c => c.Amount), g.Key)).ToList());
        }).ToList();
    }

    public async Task<IActionResult> OnPostTriggerAsync(CancellationToken ct)
    {
        Message = $"Run {await oversight.TriggerRunAsync(User, ct)} is being planned; it appears here in a moment.";
        return RedirectToPage();
    }
}
