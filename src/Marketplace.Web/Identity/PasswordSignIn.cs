using Marketplace.Web.Domain;
using Microsoft.AspNetCore.Identity;

namespace Marketplace.Web.Identity;

public enum SignInVerdict
{
    /// <summary>Wrong email, wrong password, a locked or banned account: all one answer, so none tells who has an account.</summary>
    Refused,

    /// <summary>The password was right but the address is not confirmed yet; a new link is on its way.</summary>
    EmailNotConfirmed,

    SignedIn,
}

/// <summary>
/// Signs someone in with email and password. Every refusal looks the same and costs the same: an unknown email and a
/// locked account hash the password against a decoy, as a known one hashes it against its own.
/// </summary>
public sealed class PasswordSignIn(SignInManager<ApplicationUser> signIn, DecoyPasswordCheck decoy, AccountEmails emails)
{
    public async Task<(SignInVerdict Verdict, ApplicationUser? User)> ExecuteAsync(string email, string password, bool persistent)
    {
        var users = signIn.UserManager;
        var user = await users.FindByEmailAsync(email.Trim());
        if (user is null || user.BannedAt is not null || await users.IsLockedOutAsync(user))
        {
            decoy.Run(password);
            return (SignInVerdict.Refused, null);
        }

        if (!await users.CheckPasswordAsync(user, password))
        {
            // Five in a row lock the sign-in for 15 minutes; API tokens go on working (ApiTokenAuthenticationHandler).
            await users.AccessFailedAsync(user);
            return (SignInVerdict.Refused, null);
        }

        if (!user.EmailConfirmed)
        {
            await emails.SendConfirmationAsync(user);
            return (SignInVerdict.EmailNotConfirmed, null);
        }

        await users.ResetAccessFailedCountAsync(user);
        await signIn.SignInAsync(user, persistent);
        return (SignInVerdict.SignedIn, user);
    }
}
