using System.ComponentModel.DataAnnotations;
using Marketplace.Web.Domain;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Account;

public class SignInModel(SignInManager<ApplicationUser> signIn) : PageModel
{
    [BindProperty]
    public SignInInput Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var result = await signIn.PasswordSignInAsync(Input.Email.Trim(), Input.Password, Input.RememberMe, lockoutOnFailure: true);
        if (result.IsLockedOut)
        {
            ModelState.AddModelError("", "Too many failed attempts: this account is locked for 15 minutes.");
            return Page();
        }

        if (!result.Succeeded)
        {
            // One message for an unknown email and a wrong password, so sign-in does not reveal who has an account.
            ModelState.AddModelError("", "Email or password is wrong.");
            return Page();
        }

        if (!string.IsNullOrEmpty(ReturnUrl) && Url.IsLocalUrl(ReturnUrl))
        {
            return LocalRedirect(ReturnUrl);
        }

        var user = await signIn.UserManager.FindByEmailAsync(Input.Email.Trim());
        var roles = user is null ? [] : await signIn.UserManager.GetRolesAsync(user);
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
