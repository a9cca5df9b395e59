using Marketplace.Web.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Account;

public class TokensModel(ApiTokenService tokens) : PageModel
{
    public IReadOnlyList<ApiTokenResponse> Tokens { get; private set; } = [];

    public string? NewToken { get; private set; }

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public int? ExpiresInDays { get; set; } = 90;

    public async Task OnGetAsync(CancellationToken ct) => Tokens = await tokens.ListAsync(User.UserId(), ct);

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        var outcome = await tokens.CreateAsync(User.UserId(), new CreateApiTokenRequest(Name, ExpiresInDays), ct);
        NewToken = outcome.Value?.Token;
        foreach (var (field, message) in outcome.Failure?.Messages ?? [])
        {
            ModelState.AddModelError(field == "expiresInDays" ? nameof(ExpiresInDays) : nameof(Name), message);
        }

        Tokens = await tokens.ListAsync(User.UserId(), ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(Guid id, CancellationToken ct)
    {
        await tokens.RevokeAsync(User.UserId(), id, ct);
        return RedirectToPage();
    }
}
