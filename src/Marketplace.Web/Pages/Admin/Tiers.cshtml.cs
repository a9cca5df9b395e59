using System.Text.RegularExpressions;
using Marketplace.Web.Hosting;
using Marketplace.Web.Quality;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Admin;

/// <summary>Edit the tiers (preview first, then save as the next version), see every version, and override one contributor's tier.</summary>
public partial class TiersModel(TierVersions versions, TierOverrides overrides, TimeProvider clock) : PageModel
{
    [BindProperty]
    public List<TierRow> Rows { get; set; } = [];

    [BindProperty]
    public int ExpectedVersion { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    [BindProperty]
    public OverrideInput Override { get; set; } = new();

    public TierPreview? Preview { get; private set; }

    public IReadOnlyList<TierSetView> Versions { get; private set; } = [];

    public IReadOnlyList<TierOverrideView> Overrides { get; private set; } = [];

    public string? Message { get; private set; }

    public async Task OnGetAsync(int? saved, CancellationToken ct)
    {
        await LoadAsync(ct);
        var current = Versions[0];
        ExpectedVersion = current.Version;
        Rows = [.. current.Tiers.Select(TierRow.From), new TierRow()];
        Message = saved is { } version ? $"Saved as version {version}. Contributors move at the next evaluation." : null;
        Override.ExpiresAt = clock.GetUtcNow().UtcDateTime.Date.AddDays(30);
    }

    public async Task<IActionResult> OnPostPreviewAsync(CancellationToken ct)
    {
        var (inputs, rows) = Inputs();
        var result = await versions.PreviewAsync(new PreviewTiersRequest(inputs), ct);
        if (result.Failure is { Errors: { } errors })
        {
            AddErrors(errors, rows);
        }
        else
        {
            Preview = result.Value;
        }

        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostSaveAsync(CancellationToken ct)
    {
        var (inputs, rows) = Inputs();
        var result = await versions.SaveAsync(User, new SaveTiersRequest(ExpectedVersion, Reason, inputs), ct);
        switch (result.Failure)
        {
            case null:
                return RedirectToPage(new { saved = result.Value!.Version });
            case { Errors: { } errors }:
                AddErrors(errors, rows);
                break;
            case var conflict:
                ModelState.AddModelError(nameof(ExpectedVersion), conflict.Detail);
                break;
        }

        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostOverrideAsync(CancellationToken ct)
    {
        var contributor = string.IsNullOrWhiteSpace(Override.Contributor) ? null : await overrides.FindContributorAsync(Override.Contributor, ct);
        if (contributor is null)
        {
            ModelState.AddModelError("Override.Contributor", $"No contributor has the id or pseudonym '{Override.Contributor}'.");
        }
        else
        {
            // The form's date and time are UTC, as the page says.
            var expires = Override.ExpiresAt is { } at ? DateTime.SpecifyKind(at, DateTimeKind.Utc) : (DateTime?)null;
            var result = await overrides.SetAsync(User, contributor, new TierOverrideRequest(Override.Tier, Override.Reason, expires), ct);
            switch (result.Failure)
            {
                case null:
                    return RedirectToPage();
                case { Errors: { } errors }:
                    foreach (var (field, messages) in errors)
                    {
                        ModelState.AddModelError($"Override.{char.ToUpperInvariant(field[0])}{field[1..]}", string.Join(" ", messages));
                    }

                    break;
                case { Kind: FailureKind.NotFound }:
                    ModelState.AddModelError("Override.Contributor", "That contributor has no profile.");
                    break;
                case var conflict:
                    ModelState.AddModelError("Override.Contributor", conflict.Detail);
                    break;
            }
        }

        await ReloadRowsAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRemoveOverrideAsync(string contributorId, string? removalReason, CancellationToken ct)
    {
        var failure = await overrides.RemoveAsync(User, contributorId, removalReason, ct);
        if (failure is null)
        {
            return RedirectToPage();
        }

        ModelState.AddModelError(string.Empty, failure.Kind == FailureKind.Invalid ? "Say why the override ends." : "That override is gone already.");
        await ReloadRowsAsync(ct);
        return Page();
    }

    private async Task ReloadRowsAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        ExpectedVersion = Versions[0].Version;
        Rows = [.. Versions[0].Tiers.Select(TierRow.From), new TierRow()];
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Versions = await versions.ListAsync(ct);
        Overrides = await overrides.ListAsync(ct);
    }

    /// <summary>The filled rows as the API's input, and which row each came from: a row with no name is no tier.</summary>
    private (List<TierInput?> Inputs, List<int> Rows) Inputs()
    {
        var inputs = new List<TierInput?>();
        var rows = new List<int>();
        for (var i = 0; i < Rows.Count; i++)
        {
            if (!string.IsNullOrWhiteSpace(Rows[i].Name))
            {
                inputs.Add(Rows[i].ToInput());
                rows.Add(i);
            }
        }

        return (inputs, rows);
    }

    private void AddErrors(IReadOnlyDictionary<string, string[]> errors, List<int> rows)
    {
        foreach (var (field, messages) in errors)
        {
            // tiers[i].x names the i-th filled row: say which row of the table that is.
            var label = TierIndex().Replace(field, m => $"row {rows[int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)] + 1}");
            foreach (var message in messages)
            {
                ModelState.AddModelError(string.Empty, $"{label}: {message}");
            }
        }
    }

    [GeneratedRegex(@"^tiers\[(\d+)\]")]
    private static partial Regex TierIndex();

    public sealed class TierRow
    {
        public string? Name { get; set; }

        public int? Order { get; set; }

        public int? MinGoldCount { get; set; }

        public double? MinLowerBound { get; set; }

        public decimal? PayMultiplier { get; set; }

        public int? HoldDays { get; set; }

        public double? GoldRateFactor { get; set; }

        /// <summary>Comma-separated; empty unlocks every task type.</summary>
        public string? TaskTypes { get; set; }

        public static TierRow From(TierLevel t) => new()
        {
            Name = t.Name,
            Order = t.Order,
            MinGoldCount = t.MinGoldCount,
            MinLowerBound = t.MinLowerBound,
            PayMultiplier = t.PayMultiplier,
            HoldDays = t.HoldDays,
            GoldRateFactor = t.GoldRateFactor,
            TaskTypes = string.Join(", ", t.TaskTypes),
        };

        public TierInput ToInput() => new(
            Name, Order, MinGoldCount, MinLowerBound, PayMultiplier, HoldDays, GoldRateFactor,
            (TaskTypes ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    public sealed class OverrideInput
    {
        public string? Contributor { get; set; }

        public string? Tier { get; set; }

        public string? Reason { get; set; }

        public DateTime? ExpiresAt { get; set; }
    }
}
