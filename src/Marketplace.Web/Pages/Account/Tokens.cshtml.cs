using Marketplace.Web.Domain;
using Marketplace.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Account;

[Authorize(Policy = Policies.ManageTokens)]
public class TokensModel(ApiTokenService tokens) : PageModel
{
    public IReadOnlyList<ApiTokenResponse> Tokens { get; private set; } = [];

    public string? NewToken { get; private set; }

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public int? ExpiresInDays { get; set; } = 90;

    /// <summary>The scopes ticked; read is always given, so only write and admin are choices.</summary>
    [BindProperty]
    public List<string> Scopes { get; set; } = [];

    public bool MayChooseAdmin => User.IsInRole(Roles.Admin);

    public async Task OnGetAsync(CancellationToken ct) => Tokens = await tokens.ListAsync(User.UserId(), ct);

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        var outcome = await tokens.CreateAsync(User, new CreateApiTokenRequest(Name, ExpiresInDays, Scopes), ct);
        NewToken = outcome.Value?.Token;
        foreach (var (field, message) in outcome.Failure?.Messages ?? [])
        {
            ModelState.AddModelError(field switch { "expiresInDays" => nameof(ExpiresInDays), "scopes" => nameof(Scopes), _ => nameof(Name) }, message);
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
