using System.ComponentModel.DataAnnotations;
using Marketplace.Web.Data;
using Marketplace.Web.Domain;
using Marketplace.Web.Quality;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Pages.Account;

public class SignUpModel(
    UserManager<ApplicationUser> users,
    SignInManager<ApplicationUser> signIn,
    MarketplaceDbContext db,
    TierCatalog tiers,
    TimeProvider clock) : PageModel
{
    [BindProperty]
    public SignUpInput Input { get; set; } = new();

    public void OnGet(string? role) => Input.Role = role is Roles.Buyer ? Roles.Buyer : Roles.Contributor;

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (Input.Role == Roles.Buyer && string.IsNullOrWhiteSpace(Input.OrganizationName))
        {
            ModelState.AddModelError($"{nameof(Input)}.{nameof(Input.OrganizationName)}", "Buyers belong to an organization: name yours.");
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        Organization? organization = null;
        if (Input.Role == Roles.Buyer)
        {
            var name = Input.OrganizationName!.Trim();
            if (await db.Organizations.AnyAsync(o => o.Name == name, ct))
            {
                // Joining an existing organization needs an invitation from it, not just its name.
                ModelState.AddModelError($"{nameof(Input)}.{nameof(Input.OrganizationName)}", "That organization already exists; ask one of its buyers to invite you.");
                return Page();
            }

            organization = new Organization { Id = Guid.CreateVersion7(), Name = name, CreatedAt = now };
            db.Organizations.Add(organization);
            await db.SaveChangesAsync(ct);
        }

        var user = new ApplicationUser
        {
            UserName = Input.Email.Trim(),
            Email = Input.Email.Trim(),
            DisplayName = Input.DisplayName.Trim(),
            OrganizationId = organization?.Id,
            CreatedAt = now,
        };
        var result = await users.CreateAsync(user, Input.Password);
        if (result.Succeeded)
        {
            result = await users.AddToRoleAsync(user, Input.Role);
        }

        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                ModelState.AddModelError(FieldOf(error), error.Description);
            }

            return Page();
        }

        if (Input.Role == Roles.Contributor)
        {
            // Everyone starts in the lowest tier of the tier set in effect, whatever admins have named it.
            var entry = (await tiers.CurrentAsync(db, ct)).Entry.Name;
            db.ContributorProfiles.Add(new ContributorProfile { UserId = user.Id, Pseudonym = $"C-{Guid.NewGuid():N}"[..10].ToUpperInvariant(), Tier = entry, CreatedAt = now });
            await db.SaveChangesAsync(ct);
        }

        await transaction.CommitAsync(ct);
        await signIn.SignInAsync(user, isPersistent: false);
        return LocalRedirect(Input.Role == Roles.Buyer ? "/Buyer" : "/Work");
    }

    private static string FieldOf(IdentityError error) => error.Code switch
    {
        _ when error.Code.StartsWith("Password", StringComparison.Ordinal) => $"{nameof(Input)}.{nameof(SignUpInput.Password)}",
        "DuplicateEmail" or "DuplicateUserName" or "InvalidEmail" or "InvalidUserName" => $"{nameof(Input)}.{nameof(SignUpInput.Email)}",
        _ => "",
    };
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
