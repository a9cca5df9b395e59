using Marketplace.Web.Data;
using Marketplace.Web.Domain;
using Marketplace.Web.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Identity;

/// <summary>What someone signing up gives: their role, name, email and password, and for a buyer their organization's name.</summary>
public sealed record Registration(string Role, string DisplayName, string Email, string Password, string? OrganizationName);

/// <summary>
/// Someone signs up: a buyer with a new organization of their own, or a contributor with a profile that starts them in
/// the lowest tier. The account, the organization and the profile are made in one transaction, or none of them is.
/// </summary>
public sealed class RegisterAccount(MarketplaceDbContext db, UserManager<ApplicationUser> users, TimeProvider clock)
{
    /// <summary>
    /// The new account; a failure names the field (<c>organizationName</c>, <c>email</c>, <c>password</c>). A contributor
    /// starts in <paramref name="entryTier"/>, the lowest tier of the tier set in effect, whatever admins have named it.
    /// </summary>
    public async Task<Outcome<ApplicationUser>> ExecuteAsync(Registration registration, string entryTier, CancellationToken ct)
    {
        var buyer = registration.Role == Roles.Buyer;
        if (buyer && string.IsNullOrWhiteSpace(registration.OrganizationName))
        {
            return Failure.Invalid("organizationName", "Buyers belong to an organization: name yours.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        Organization? organization = null;
        if (buyer)
        {
            var name = registration.OrganizationName!.Trim();
            if (await db.Organizations.AnyAsync(o => o.Name == name, ct))
            {
                // Joining an existing organization needs an invitation from it, not just its name.
                return Failure.Invalid("organizationName", "That organization already exists; ask one of its buyers to invite you.");
            }

            organization = new Organization { Id = Guid.CreateVersion7(), Name = name, CreatedAt = now };
            db.Organizations.Add(organization);
            await db.SaveChangesAsync(ct);
        }

        var user = new ApplicationUser { UserName = registration.Email.Trim(), Email = registration.Email.Trim(), DisplayName = registration.DisplayName.Trim(), OrganizationId = organization?.Id, CreatedAt = now };
        var result = await users.CreateAsync(user, registration.Password);
        if (result.Succeeded)
        {
            result = await users.AddToRoleAsync(user, registration.Role);
        }

        if (!result.Succeeded)
        {
            return Failure.Validation(result.Errors.GroupBy(e => FieldOf(e)).ToDictionary(g => g.Key, g => g.Select(e => e.Description).ToArray()), "The account could not be created.");
        }

        if (!buyer)
        {
            db.ContributorProfiles.Add(new ContributorProfile { UserId = user.Id, Pseudonym = $"C-{Guid.NewGuid():N}"[..10].ToUpperInvariant(), Tier = entryTier, CreatedAt = now });
            await db.SaveChangesAsync(ct);
        }

        await transaction.CommitAsync(ct);
        return user;
    }

    private static string FieldOf(IdentityError error) => error.Code switch
    {
        _ when error.Code.StartsWith("Password", StringComparison.Ordinal) => "password",
        "DuplicateEmail" or "DuplicateUserName" or "InvalidEmail" or "InvalidUserName" => "email",
        _ => "",
    };
}
