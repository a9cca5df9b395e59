using Marketplace.Web.Domain;
using Marketplace.Web.Jobs;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Buyer.Jobs;

public class NewModel(CreateJob create) : PageModel
{
    [BindProperty]
    public NewJobInput Input { get; set; } = new();

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var labels = (Input.Labels ?? "").Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var request = new CreateJobRequest(
            Input.Title, Input.Instructions, Input.TaskType, labels, Input.PayPerLabelMinor, Input.Currency, Input.Redundancy,
            Input.TargetConfidence, Input.GoldRate, Input.MinimumTier, List(Input.RequiredSkills), List(Input.Languages),
            Input.Deadline is { } deadline ? DateTime.SpecifyKind(deadline, DateTimeKind.Utc) : null, Input.BudgetMinor, Input.AggregationMethod);

        // The page and the API share one use case, so the rules cannot drift apart.
        var outcome = await create.ExecuteAsync(User, request, ct);
        switch (outcome.Failure)
        {
            case null:
                return RedirectToPage("/Buyer/Jobs/Details", new { id = outcome.Value!.Id });
            case { Errors: { } errors }:
                foreach (var (field, messages) in errors)
                {
                    ModelState.AddModelError($"{nameof(Input)}.{char.ToUpperInvariant(field[0])}{field[1..]}", string.Join(" ", messages));
                }

                return Page();
            default:
                return Forbid();
        }
    }

    private static string[] List(string? commaSeparated) =>
        (commaSeparated ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}

public sealed class NewJobInput
{
    public string? Title { get; set; }

    public string? Instructions { get; set; }

    public TaskType? TaskType { get; set; } = Marketplace.Web.Domain.TaskType.SingleChoice;

    public string? Labels { get; set; }

    public long? PayPerLabelMinor { get; set; } = 10;

    public string? Currency { get; set; } = "USD";

    public int? Redundancy { get; set; } = 3;

    public double? TargetConfidence { get; set; }

    public double? GoldRate { get; set; } = 0.1;

    public string? MinimumTier { get; set; }

    public string? RequiredSkills { get; set; }

    public string? Languages { get; set; }

    public AggregationMethod? AggregationMethod { get; set; } = Marketplace.Web.Domain.AggregationMethod.Auto;

    public DateTime? Deadline { get; set; }

    public long? BudgetMinor { get; set; }
}
