using Marketplace.Web.Audit;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Admin;

public class AuditModel(AuditLog audit) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Action { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Actor { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? TargetKind { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? TargetId { get; set; }

    [BindProperty(SupportsGet = true)]
    public DateTime? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public DateTime? To { get; set; }

    [BindProperty(SupportsGet = true)]
    public long? Before { get; set; }

    public AuditPage Results { get; private set; } = new([], null);

    /// <summary>The current filter as a query string, for the export link and the next page.</summary>
    public string Query => QueryString.Create(new Dictionary<string, string?>
    {
        ["action"] = Action,
        ["actor"] = Actor,
        ["targetKind"] = TargetKind,
        ["targetId"] = TargetId,
        ["from"] = From?.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        ["to"] = To?.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
    }.Where(p => !string.IsNullOrWhiteSpace(p.Value))).ToUriComponent();

    public async Task OnGetAsync(CancellationToken ct) =>
        Results = await audit.SearchAsync(new AuditFilter(Action, Actor, TargetKind, TargetId, From, To), Before, ct);
}
