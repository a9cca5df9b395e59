using Marketplace.Web.Fraud;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Admin.Cases;

public class DetailsModel(FraudQueries queries, FraudCases cases) : PageModel
{
    public CaseDetail? Case { get; private set; }

    [BindProperty]
    public CaseActionInput Input { get; set; } = new();

    [TempData]
    public string? Done { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        Case = await queries.DetailAsync(id, ct);
        if (Case is null)
        {
            return NotFound();
        }

        Input = new CaseActionInput { Version = Case.Case.Version };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        if (!FraudCases.Actions.TryGetValue(Input.Action ?? "", out var action))
        {
            ModelState.AddModelError("Input.Action", "Choose what to do.");
        }
        else
        {
            var outcome = await cases.ActAsync(id, action, new CaseActionRequest(Input.Version, Input.Reason, Input.From, Input.To), User, ct);
            switch (outcome.Status)
            {
                case CaseOutcomeStatus.Done:
                    Done = $"Recorded: {FraudCases.Verb(action)}.";
                    return RedirectToPage(new { id });
                case CaseOutcomeStatus.NotFound:
                    return NotFound();
                case CaseOutcomeStatus.Invalid:
                    ModelState.AddModelError($"Input.{char.ToUpperInvariant(outcome.Field![0])}{outcome.Field[1..]}", outcome.Detail!);
                    break;
                default:
                    ModelState.AddModelError("", $"{outcome.Title}: {outcome.Detail}");
                    break;
            }
        }

        Case = await queries.DetailAsync(id, ct);
        return Case is null ? NotFound() : Page();
    }
}

public sealed class CaseActionInput
{
    public string? Action { get; set; }

    public string? Reason { get; set; }

    public int? Version { get; set; }

    /// <summary>For rejecting labels: the range, in UTC.</summary>
    public DateTime? From { get; set; }

    public DateTime? To { get; set; }
}
