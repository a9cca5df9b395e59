using System.ComponentModel.DataAnnotations;
using Marketplace.Web.Domain;
using Marketplace.Web.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Account;

public class SignInModel(PasswordSignIn signIn, UserManager<ApplicationUser> users) : PageModel
{
    public const string RefusedMessage = "Email or password is wrong. After 5 wrong tries an account is locked for 15 minutes; if you forgot your password, reset it.";

    [BindProperty]
    public SignInInput Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    /// <summary>Set after a confirmed address or a new password, so the form says what just happened.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Notice { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var (verdict, user) = await signIn.ExecuteAsync(Input.Email, Input.Password, Input.RememberMe);
        if (verdict == SignInVerdict.EmailNotConfirmed)
        {
            ModelState.AddModelError("", "Confirm your email address first: we have just sent you a new link.");
            return Page();
        }

        if (verdict != SignInVerdict.SignedIn)
        {
            // One message for an unknown email, a wrong password and a locked account, so sign-in does not reveal who has an account.
            ModelState.AddModelError("", RefusedMessage);
            return Page();
        }

        if (!string.IsNullOrEmpty(ReturnUrl) && Url.IsLocalUrl(ReturnUrl))
        {
            return LocalRedirect(ReturnUrl);
        }

        var roles = await users.GetRolesAsync(user!);
        return LocalRedirect(roles.Contains(Roles.Admin) ? "/Admin" : roles.Contains(Roles.Buyer) ? "/Buyer" : "/Work");
    }
}

public sealed class SignInInput
{
    [Required(ErrorMessage = "Enter your email.")]
    [EmailAddress(ErrorMessage = "That is not an email address.")]
    public string Email { get; set; } = "";

    [Required(ErrorMessage = "Enter your password.")]
    [DataType(DataType.Password)]
    public string Password { get; set; } = "";

    public bool RememberMe { get; set; }
}
