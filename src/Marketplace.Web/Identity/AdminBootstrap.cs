using Marketplace.Web.Domain;
using Microsoft.AspNetCore.Identity;

namespace Marketplace.Web.Identity;

/// <summary>Creates an admin account; there is never a built-in admin or a hard-coded password.</summary>
public sealed class AdminBootstrap(UserManager<ApplicationUser> users, TimeProvider clock)
{
    public async Task<string> EnsureAdminAsync(string email, string password, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var user = await users.FindByEmailAsync(email);
        if (user is not null)
        {
            if (await users.IsInRoleAsync(user, Roles.Admin))
            {
                return $"{email} is already an admin.";
            }

            Throw(await users.AddToRoleAsync(user, Roles.Admin));
            return $"{email} is now an admin.";
        }

        user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = "Administrator", CreatedAt = clock.GetUtcNow().UtcDateTime };
        Throw(await users.CreateAsync(user, password));
        Throw(await users.AddToRoleAsync(user, Roles.Admin));
        return $"Created admin {email}.";
    }

    private static void Throw(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }
}
