using Marketplace.Web.Fraud;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Work;

/// <summary>Takes an appeal from the contributor home's form; a refusal is shown here with the form again.</summary>
public class AppealModel(FraudCases cases) : PageModel
{
    [BindProperty]
    public Guid? CaseId { get; set; }

    [BindProperty]
    public string? Text { get; set; }

    public int StatusCodeShown { get; private set; }

    public IActionResult OnGet() => RedirectToPage("/Work/Index");

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var outcome = await cases.AppealAsync(User, new AppealRequest(CaseId, Text), ct);
        switch (outcome.Status)
        {
            case CaseOutcomeStatus.Done:
                return RedirectToPage("/Work/Index");
            case CaseOutcomeStatus.NotFound:
                return NotFound();
            case CaseOutcomeStatus.Invalid:
                ModelState.AddModelError(outcome.Field == "text" ? nameof(Text) : nameof(CaseId), outcome.Detail!);
                StatusCodeShown = StatusCodes.Status400BadRequest;
                break;
            default:
                ModelState.AddModelError("", $"{outcome.Title}: {outcome.Detail}");
                StatusCodeShown = StatusCodes.Status409Conflict;
                break;
        }

        Response.StatusCode = StatusCodeShown;
        return Page();
    }
}
