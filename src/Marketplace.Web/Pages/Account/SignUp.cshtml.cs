using System.ComponentModel.DataAnnotations;
using Marketplace.Web.Domain;
using Marketplace.Web.Identity;
using Marketplace.Web.Quality;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Account;

public class SignUpModel(RegisterAccount register, TierVersions tiers) : PageModel
{
    [BindProperty]
    public SignUpInput Input { get; set; } = new();

    public void OnGet(string? role) => Input.Role = role is Roles.Buyer ? Roles.Buyer : Roles.Contributor;

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        // Said with the other field errors at once; RegisterAccount refuses it too.
        if (Input.Role == Roles.Buyer && string.IsNullOrWhiteSpace(Input.OrganizationName))
        {
            ModelState.AddModelError($"{nameof(Input)}.{nameof(Input.OrganizationName)}", "Buyers belong to an organization: name yours.");
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        // Everyone starts in the lowest tier of the tier set in effect, whatever admins have named it.
        var entry = (await tiers.CurrentAsync(ct)).Tiers[0].Name;
        var failure = await register.ExecuteAsync(new Registration(Input.Role, Input.DisplayName, Input.Email, Input.Password, Input.OrganizationName), entry, ct);
        if (failure is not null)
        {
            foreach (var (field, message) in failure.Messages)
            {
                ModelState.AddModelError(field.Length == 0 ? "" : $"{nameof(Input)}.{char.ToUpperInvariant(field[0])}{field[1..]}", message);
            }

            return Page();
        }

        // The same answer whether the address was new or already had an account: the email says which.
        return RedirectToPage("/Account/CheckEmail");
    }
}

public sealed class SignUpInput
{
    [Required(ErrorMessage = "Choose contributor or buyer.")]
    [RegularExpression("^(Buyer|Contributor)$", ErrorMessage = "Choose contributor or buyer.")]
    public string Role { get; set; } = Roles.Contributor;

    [Required(ErrorMessage = "Tell us your name.")]
    [StringLength(100, ErrorMessage = "At most 100 characters.")]
    public string DisplayName { get; set; } = "";

    [StringLength(200, ErrorMessage = "At most 200 characters.")]
    public string? OrganizationName { get; set; }

    [Required(ErrorMessage = "An email address is required.")]
    [EmailAddress(ErrorMessage = "That is not an email address.")]
    [StringLength(256)]
    public string Email { get; set; } = "";

    [Required(ErrorMessage = "Choose a password.")]
    [StringLength(128, MinimumLength = 12, ErrorMessage = "Use 12 to 128 characters.")]
    [DataType(DataType.Password)]
    public string Password { get; set; } = "";

    [Compare(nameof(Password), ErrorMessage = "The passwords do not match.")]
    [DataType(DataType.Password)]
    public string ConfirmPassword { get; set; } = "";
}
