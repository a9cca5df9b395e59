using Marketplace.Web.Domain;
using Marketplace.Web.Hosting;
using Microsoft.AspNetCore.Identity;

namespace Marketplace.Web.Identity;

/// <summary>Someone forgot their password: a reset link goes to the address if it has an account. The answer is the same either way.</summary>
public sealed class RequestPasswordReset(UserManager<ApplicationUser> users, AccountEmails emails)
{
    public async Task ExecuteAsync(string email)
    {
        var user = await users.FindByEmailAsync(email.Trim());
        // A banned account gets no link: a reset lifts the sign-in lockout, never a ban, so it could not sign in anyway.
        if (user is not null && user.BannedAt is null)
        {
            await emails.SendPasswordResetAsync(user);
        }
    }
}

/// <summary>
/// The emailed link's second half: a new password for the account. It ends every other session and makes the link
/// spent (the security stamp changes), lifts a lockout from failed sign-ins, and confirms the address, which the
/// link just proved.
/// </summary>
public sealed class ResetPassword(UserManager<ApplicationUser> users)
{
    public static readonly Failure InvalidLink = Failure.Invalid("code", "This link is invalid, already used or expired. Ask for a new one.", "Invalid link");

    public async Task<Failure?> ExecuteAsync(string userId, string code, string newPassword)
    {
        var user = await users.FindByIdAsync(userId);
        if (user is null || user.BannedAt is not null)
        {
            return InvalidLink;
        }

        // Saved with the new password in one update, and only if the link and the password are both good.
        user.EmailConfirmed = true;
        user.AccessFailedCount = 0;
        user.LockoutEnd = null;
        var result = await users.ResetPasswordAsync(user, code, newPassword);
        if (result.Succeeded)
        {
            return null;
        }

        return result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.InvalidToken))
            ? InvalidLink
            : Failure.Validation(new Dictionary<string, string[]> { ["password"] = [.. result.Errors.Select(e => e.Description)] });
    }
}

/// <summary>The link in the sign-up email: the address is confirmed, and the account may sign in.</summary>
public sealed class ConfirmEmail(UserManager<ApplicationUser> users)
{
    public async Task<bool> ExecuteAsync(string userId, string code)
    {
        var user = await users.FindByIdAsync(userId);
        return user is not null && (await users.ConfirmEmailAsync(user, code)).Succeeded;
    }
}
