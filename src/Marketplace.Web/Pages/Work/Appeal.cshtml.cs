using Marketplace.Web.Fraud;
using Marketplace.Web.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Work;

/// <summary>Takes an appeal from the contributor home's form; a refusal is shown here with the form again.</summary>
public class AppealModel(AppealCase appeal) : PageModel
{
    [BindProperty]
    public Guid? CaseId { get; set; }

    [BindProperty]
    public string? Text { get; set; }

    public int StatusCodeShown { get; private set; }

    public IActionResult OnGet() => RedirectToPage("/Work/Index");

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        switch (await appeal.ExecuteAsync(User, new AppealRequest(CaseId, Text), ct))
        {
            case null:
                return RedirectToPage("/Work/Index");
            case { Kind: FailureKind.NotFound }:
                return NotFound();
            case { Errors: { } errors } failure:
                ModelState.AddModelError(errors.ContainsKey("text") ? nameof(Text) : nameof(CaseId), failure.Detail);
                StatusCodeShown = StatusCodes.Status400BadRequest;
                break;
            case var failure:
                ModelState.AddModelError("", $"{failure.Title}: {failure.Detail}");
                StatusCodeShown = StatusCodes.Status409Conflict;
                break;
        }

        Response.StatusCode = StatusCodeShown;
        return Page();
    }
}
