using Marketplace.Web.Fraud;
using Marketplace.Web.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Admin.Cases;

public class DetailsModel(FraudQueries queries, DecideCase decide) : PageModel
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
        if (!DecideCase.Actions.TryGetValue(Input.Action ?? "", out var action))
        {
            ModelState.AddModelError("Input.Action", "Choose what to do.");
        }
        else
        {
            switch (await decide.ExecuteAsync(id, action, new CaseActionRequest(Input.Version, Input.Reason, Input.From, Input.To), User, ct))
            {
                case null:
                    Done = $"Recorded: {DecideCase.Verb(action)}.";
                    return RedirectToPage(new { id });
                case { Kind: FailureKind.NotFound }:
                    return NotFound();
                case { Errors: { } errors } failure:
                    var field = errors.Keys.First();
                    ModelState.AddModelError($"Input.{char.ToUpperInvariant(field[0])}{field[1..]}", failure.Detail);
                    break;
                case var failure:
                    ModelState.AddModelError("", $"{failure.Title}: {failure.Detail}");
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
