using System.Net;
using System.Net.Mail;
using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace Marketplace.Web.Identity;

public sealed record EmailMessage(string To, string Subject, string Body);

/// <summary>The seam to whatever delivers mail: SMTP when configured, a log line otherwise, a captured list in tests.</summary>
public interface IEmailSender
{
    Task SendAsync(EmailMessage message, CancellationToken ct);
}

public sealed class EmailOptions
{
    public const string Section = "Email";

    public string From { get; set; } = "Marketplace <no-reply@marketplace.invalid>";

    public SmtpOptions Smtp { get; set; } = new();

}

public sealed class SmtpOptions
{
    /// <summary>Empty: no mail leaves the app; messages are logged instead (in full only in Development).</summary>
    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    public bool EnableSsl { get; set; } = true;

    public string? UserName { get; set; }

    public string? Password { get; set; }
}

/// <summary>Without SMTP: Development logs the whole message, links included; elsewhere only that a message was not sent, since its link is a credential.</summary>
internal sealed class LoggingEmailSender(IHostEnvironment environment, ILogger<LoggingEmailSender> logger) : IEmailSender
{
    public Task SendAsync(EmailMessage message, CancellationToken ct)
    {
        if (environment.IsDevelopment())
        {
            logger.LogInformation("Email (not sent, development) to {To}: {Subject}\n{Body}", message.To, message.Subject, message.Body);
        }
        else
        {
            logger.LogWarning("Email to {To} ({Subject}) not sent: set Email:Smtp:Host to deliver mail", message.To, message.Subject);
        }

        return Task.CompletedTask;
    }
}

internal sealed class SmtpEmailSender(IOptions<EmailOptions> options) : IEmailSender
{
    public async Task SendAsync(EmailMessage message, CancellationToken ct)
    {
        var smtp = options.Value.Smtp;
        using var client = new SmtpClient(smtp.Host, smtp.Port) { EnableSsl = smtp.EnableSsl };
        if (!string.IsNullOrEmpty(smtp.UserName))
        {
            client.Credentials = new NetworkCredential(smtp.UserName, smtp.Password);
        }

        using var mail = new MailMessage(options.Value.From, message.To, message.Subject, message.Body);
        await client.SendMailAsync(mail, ct);
    }
}

/// <summary>
/// Mail waits here and is sent in the background, so a request answers as fast whether or not it sends anything: a
/// slow mail server would otherwise tell who has an account. A message lost in a restart is asked for again.
/// </summary>
public sealed class EmailOutbox(ILogger<EmailOutbox> logger)
{
    private readonly Channel<EmailMessage> _queue = Channel.CreateBounded<EmailMessage>(new BoundedChannelOptions(1000) { SingleReader = true });

    public void Enqueue(EmailMessage message)
    {
        if (!_queue.Writer.TryWrite(message))
        {
            logger.LogError("The email outbox is full; a message to {To} ({Subject}) was dropped", message.To, message.Subject);
        }
    }

    internal ChannelReader<EmailMessage> Reader => _queue.Reader;
}

internal sealed class EmailDispatcher(EmailOutbox outbox, IEmailSender sender, ILogger<EmailDispatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var message in outbox.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await sender.SendAsync(message, stoppingToken);
            }
            catch (Exception e) when (e is SmtpException or IOException or InvalidOperationException)
            {
                logger.LogError(e, "Could not send the email to {To} ({Subject})", message.To, message.Subject);
            }
        }
    }
}
