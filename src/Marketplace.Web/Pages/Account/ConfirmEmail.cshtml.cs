using Marketplace.Web.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Account;

/// <summary>
/// The link in the sign-up email. It confirms the address and sends the person to sign in; it does not sign them in
/// itself, so a link that leaks (a mail scanner opening it, say) opens no session.
/// </summary>
public class ConfirmEmailModel(ConfirmEmail confirm) : PageModel
{
    public async Task<IActionResult> OnGetAsync(string? user, string? code) =>
        user is not null && code is not null && await confirm.ExecuteAsync(user, code)
            ? RedirectToPage("/Account/SignIn", new { notice = "confirmed" })
            : Page();
}
