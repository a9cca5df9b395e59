using System.ComponentModel.DataAnnotations;
using Marketplace.Web.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Account;

/// <summary>Asks for a reset link. The page answers the same whether or not the address has an account.</summary>
public class ForgotPasswordModel(RequestPasswordReset request) : PageModel
{
    [BindProperty]
    [Required(ErrorMessage = "Enter your email.")]
    [EmailAddress(ErrorMessage = "That is not an email address.")]
    [StringLength(256)]
    public string Email { get; set; } = "";

    public bool Sent { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }

        await request.ExecuteAsync(Email);
        Sent = true;
        return Page();
    }
}
