using System.Text.RegularExpressions;
using Marketplace.Web.Identity;

namespace Marketplace.Testing;

/// <summary>The tests' mail server: every message the app sends lands here, in order, and tests wait for theirs.</summary>
public sealed partial class CapturedEmails : IEmailSender
{
    private readonly List<EmailMessage> _messages = [];

    public Task SendAsync(EmailMessage message, CancellationToken ct)
    {
        lock (_messages)
        {
            _messages.Add(message);
        }

        return Task.CompletedTask;
    }

    /// <summary>What reached this address so far.</summary>
    public IReadOnlyList<EmailMessage> To(string address)
    {
        lock (_messages)
        {
            return [.. _messages.Where(m => string.Equals(m.To, address, StringComparison.OrdinalIgnoreCase))];
        }
    }

    /// <summary>The first message to the address whose subject has <paramref name="subject"/>; mail is sent in the background, so it may take a moment.</summary>
    public async Task<EmailMessage> WaitForAsync(string address, string subject, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            if (To(address).FirstOrDefault(m => m.Subject.Contains(subject, StringComparison.OrdinalIgnoreCase)) is { } message)
            {
                return message;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No email to {address} about \"{subject}\" arrived.");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>The link in a message (confirm, reset), as its reader would click it.</summary>
    public static Uri LinkIn(EmailMessage message) =>
        Link().Match(message.Body) is { Success: true } match ? new Uri(match.Value) : throw new InvalidOperationException($"No link in: {message.Body}");

    [GeneratedRegex(@"https?://\S+(ConfirmEmail|ResetPassword)\S*")]
    private static partial Regex Link();
}
