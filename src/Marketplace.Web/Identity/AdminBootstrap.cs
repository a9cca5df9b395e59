using Marketplace.Web.Domain;
using Marketplace.Web.Hosting;
using Microsoft.AspNetCore.Identity;

namespace Marketplace.Web.Identity;

/// <summary>
/// Creates an admin account; there is never a built-in admin or a hard-coded password. An address that already has an
/// account is never made admin as it stands: whoever registered it first (anyone can sign up with any address) would
/// keep their password and sessions and become admin. Only an operator who says so explicitly takes such an account
/// over (<see cref="PromoteExistingAsync"/>), which resets everything its registrant could still hold.
/// </summary>
public sealed class AdminBootstrap(UserManager<ApplicationUser> users, ApiTokenService tokens, TimeProvider clock)
{
    /// <summary>A new admin with this address and password; an existing account is refused (already an admin: nothing to do).</summary>
    public async Task<Outcome<string>> CreateAsync(string email, string password, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        email = email.Trim();
        if (await users.FindByEmailAsync(email) is { } existing)
        {
            return await users.IsInRoleAsync(existing, Roles.Admin)
                ? $"{email} is already an admin; nothing changed."
                : Failure.Conflict("Account exists", $"{email} already has an account, which someone else may have registered: it was not made an admin. To take it over, run create-admin --email {email} --promote-existing: its password is reset to yours, its sessions end and its API tokens are revoked.");
        }

        var user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = "Administrator", CreatedAt = clock.GetUtcNow().UtcDateTime };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            return Refused(created);
        }

        Check(await users.AddToRoleAsync(user, Roles.Admin));
        return $"Created admin {email}.";
    }

    /// <summary>
    /// The operator's explicit take-over of the account with this address (or a new admin if there is none): the
    /// password becomes the operator's, every session ends (new security stamp), every API token is revoked, the
    /// address counts as confirmed and a sign-in lockout is lifted. A banned account is refused.
    /// </summary>
    public async Task<Outcome<string>> PromoteExistingAsync(string email, string password, CancellationToken ct)
    {
        email = email.Trim();
        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            return await CreateAsync(email, password, ct);
        }

        if (user.BannedAt is not null)
        {
            return Failure.Conflict("Account banned", $"{email} was banned after a fraud review; it is not made an admin. Use another address.");
        }

        // One update: the new password, a new security stamp (every session and reset link of the registrant dies),
        // the address confirmed and any lockout lifted; a refused password changes nothing.
        user.EmailConfirmed = true;
        user.AccessFailedCount = 0;
        user.LockoutEnd = null;
        var reset = await users.ResetPasswordAsync(user, await users.GeneratePasswordResetTokenAsync(user), password);
        if (!reset.Succeeded)
        {
            return Refused(reset);
        }

        var revoked = await tokens.RevokeAllAsync(user.Id, ct);
        if (!await users.IsInRoleAsync(user, Roles.Admin))
        {
            Check(await users.AddToRoleAsync(user, Roles.Admin));
        }

        return $"{email} is now an admin: its password is the one you gave, its other sessions end, {revoked} API token(s) revoked.";
    }

    private static Failure Refused(IdentityResult result) => Failure.Invalid(
        result.Errors.All(e => e.Code.StartsWith("Password", StringComparison.Ordinal)) ? "password" : "email",
        string.Join(" ", result.Errors.Select(e => e.Description)),
        "The admin could not be made.");

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }
}
