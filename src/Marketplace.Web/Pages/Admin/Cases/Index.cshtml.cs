using Marketplace.Web.Fraud;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Admin.Cases;

public class IndexModel(FraudQueries queries) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; } = FraudQueries.Undecided;

    [BindProperty(SupportsGet = true)]
    public string? Kind { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Contributor { get; set; }

    [BindProperty(Name = "p", SupportsGet = true)]
    public int? PageNumber { get; set; }

    public CaseList? List { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var outcome = await queries.ListAsync(new CaseFilter(Status, Kind, Contributor, PageNumber), ct);
        foreach (var (field, message) in outcome.Failure?.Messages ?? [])
        {
            ModelState.AddModelError(field, message);
        }

        List = outcome.Value;
    }
}
