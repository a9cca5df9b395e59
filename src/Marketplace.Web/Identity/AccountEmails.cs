using System.Security.Cryptography;
using Marketplace.Web.Domain;
using Marketplace.Web.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Marketplace.Web.Identity;

/// <summary>The account emails: confirm your address, someone signed up with your address, reset your password.</summary>
public sealed class AccountEmails(UserManager<ApplicationUser> users, EmailOutbox outbox, PublicLinks links)
{
    public const string ConfirmPath = "/Account/ConfirmEmail";
    public const string ResetPath = "/Account/ResetPassword";

    public async Task SendConfirmationAsync(ApplicationUser user)
    {
        var link = Link(ConfirmPath, user.Id, await users.GenerateEmailConfirmationTokenAsync(user));
        outbox.Enqueue(new EmailMessage(user.Email!, "Confirm your email address", $"Hello {user.DisplayName},\n\nConfirm your address to start using your Marketplace account:\n{link}\n\nIf you did not sign up, ignore this message."));
    }

    /// <summary>Sign-up answers the same for a taken address; the owner hears of it here, and only they do.</summary>
    public void SendAlreadyRegistered(ApplicationUser user) =>
        outbox.Enqueue(new EmailMessage(user.Email!, "You already have an account", $"Hello {user.DisplayName},\n\nSomeone tried to sign up with this address, which already has an account. If it was you, sign in at {Base()}/Account/SignIn or reset your password at {Base()}/Account/ForgotPassword.\n\nIf it was not you, nothing changed and you need do nothing."));

    public async Task SendPasswordResetAsync(ApplicationUser user)
    {
        var link = Link(ResetPath, user.Id, await users.GeneratePasswordResetTokenAsync(user));
        outbox.Enqueue(new EmailMessage(user.Email!, "Reset your password", $"Hello {user.DisplayName},\n\nChoose a new password here (the link works once, for {IdentityRegistrations.EmailLinkLifetime.TotalHours:0} hours):\n{link}\n\nIf you did not ask for this, ignore this message: your password stays as it is."));
    }

    private string Link(string path, string userId, string code) => $"{Base()}{path}?user={Uri.EscapeDataString(userId)}&code={Uri.EscapeDataString(code)}";

    /// <summary>The site's public address (Site:PublicBaseUrl, required in Production and with SMTP), never a request's Host header.</summary>
    private string Base() => links.For("/").ToString().TrimEnd('/');
}

/// <summary>
/// Hashes a password against a random one, so a request about an account that does not exist (or cannot sign in)
/// costs the same PBKDF2 work as one about an account that does: the answer's time tells nothing.
/// </summary>
public sealed class DecoyPasswordCheck
{
    private readonly PasswordHasher<ApplicationUser> _hasher;
    private readonly string _hash;

    public DecoyPasswordCheck(IOptions<PasswordHasherOptions> options)
    {
        _hasher = new PasswordHasher<ApplicationUser>(options);
        _hash = _hasher.HashPassword(new ApplicationUser(), Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)));
    }

    public void Run(string password) => _hasher.VerifyHashedPassword(new ApplicationUser(), _hash, password);
}
