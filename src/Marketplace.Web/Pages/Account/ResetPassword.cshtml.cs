using System.ComponentModel.DataAnnotations;
using Marketplace.Web.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Account;

/// <summary>The reset link's page: the user and code from the link, and the new password twice.</summary>
public class ResetPasswordModel(ResetPassword reset) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "user")]
    public string UserId { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public string Code { get; set; } = "";

    [BindProperty]
    [Required(ErrorMessage = "Choose a password.")]
    [StringLength(128, MinimumLength = 12, ErrorMessage = "Use 12 to 128 characters.")]
    [DataType(DataType.Password)]
    public string Password { get; set; } = "";

    [BindProperty]
    [Compare(nameof(Password), ErrorMessage = "The passwords do not match.")]
    [DataType(DataType.Password)]
    public string ConfirmPassword { get; set; } = "";

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }

        if (await reset.ExecuteAsync(UserId, Code, Password) is { } failure)
        {
            foreach (var (field, message) in failure.Messages)
            {
                ModelState.AddModelError(field == "password" ? nameof(Password) : "", message);
            }

            return Page();
        }

        return RedirectToPage("/Account/SignIn", new { notice = "password-reset" });
    }
}
