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
/// The account signs in once its address is confirmed through the emailed link.
/// <para>
/// An address that already has an account gets the same answer as a new one ("check your email"), after the same
/// password hashing, and its owner an email saying someone tried: sign-up does not tell who has an account.
/// </para>
/// </summary>
public sealed class RegisterAccount(MarketplaceDbContext db, UserManager<ApplicationUser> users, AccountEmails emails, DecoyPasswordCheck decoy, TimeProvider clock)
{
    /// <summary>
    /// Null when the registration is accepted (a new account, or an address that has one: the same to the caller);
    /// otherwise the failure names the field (<c>organizationName</c>, <c>email</c>, <c>password</c>). A contributor
    /// starts in <paramref name="entryTier"/>, the lowest tier of the tier set in effect, whatever admins have named it.
    /// </summary>
    public async Task<Failure?> ExecuteAsync(Registration registration, string entryTier, CancellationToken ct)
    {
        var buyer = registration.Role == Roles.Buyer;
        if (buyer && string.IsNullOrWhiteSpace(registration.OrganizationName))
        {
            return Failure.Invalid("organizationName", "Buyers belong to an organization: name yours.");
        }

        // The password rules are checked before anything else, so a weak password is refused for a taken address too.
        var email = registration.Email.Trim();
        var candidate = new ApplicationUser { UserName = email, Email = email, DisplayName = registration.DisplayName.Trim() };
        var passwordErrors = new List<IdentityError>();
        foreach (var validator in users.PasswordValidators)
        {
            passwordErrors.AddRange((await validator.ValidateAsync(users, candidate, registration.Password)).Errors);
        }

        if (passwordErrors.Count > 0)
        {
            return Invalid(passwordErrors);
        }

        var organization = buyer ? registration.OrganizationName!.Trim() : null;
        if (organization is not null && await db.Organizations.AnyAsync(o => o.Name == organization, ct))
        {
            // Joining an existing organization needs an invitation from it, not just its name.
            return Failure.Invalid("organizationName", "That organization already exists; ask one of its buyers to invite you.");
        }

        if (await users.FindByEmailAsync(email) is { } existing)
        {
            decoy.Run(registration.Password);
            emails.SendAlreadyRegistered(existing);
            return null;
        }

        var outcome = await CreateAsync(candidate, registration, organization, entryTier, ct);
        if (outcome.Failure is { } failure)
        {
            return failure;
        }

        if (outcome.Value is { } created)
        {
            await emails.SendConfirmationAsync(created);
        }
        else if (await users.FindByEmailAsync(email) is { } raced)
        {
            emails.SendAlreadyRegistered(raced);
        }

        return null;
    }

    /// <summary>The account with its organization or profile; no value (and no failure) when another sign-up took the address a moment ago.</summary>
    private async Task<Outcome<ApplicationUser?>> CreateAsync(ApplicationUser user, Registration registration, string? organizationName, string entryTier, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (organizationName is not null)
        {
            var organization = new Organization { Id = Guid.CreateVersion7(), Name = organizationName, CreatedAt = now };
            db.Organizations.Add(organization);
            await db.SaveChangesAsync(ct);
            user.OrganizationId = organization.Id;
        }

        user.CreatedAt = now;
        var result = await users.CreateAsync(user, registration.Password);
        if (result.Errors.Any(e => e.Code is nameof(IdentityErrorDescriber.DuplicateEmail) or nameof(IdentityErrorDescriber.DuplicateUserName)))
        {
            return (ApplicationUser?)null;
        }

        if (result.Succeeded)
        {
            result = await users.AddToRoleAsync(user, registration.Role);
        }

        if (!result.Succeeded)
        {
            return Invalid(result.Errors);
        }

        if (organizationName is null)
        {
            db.ContributorProfiles.Add(new ContributorProfile { UserId = user.Id, Pseudonym = $"C-{Guid.NewGuid():N}"[..10].ToUpperInvariant(), Tier = entryTier, CreatedAt = now });
            await db.SaveChangesAsync(ct);
        }

        await transaction.CommitAsync(ct);
        return user;
    }

    private static Failure Invalid(IEnumerable<IdentityError> errors) =>
        Failure.Validation(errors.GroupBy(FieldOf).ToDictionary(g => g.Key, g => g.Select(e => e.Description).ToArray()), "The account could not be created.");

    private static string FieldOf(IdentityError error) => error.Code switch
    {
        _ when error.Code.StartsWith("Password", StringComparison.Ordinal) => "password",
        "InvalidEmail" or "InvalidUserName" => "email",
        _ => "",
    };
}
