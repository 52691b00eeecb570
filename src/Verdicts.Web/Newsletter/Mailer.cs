using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Verdicts.Web.Newsletter;

/// <summary>
/// Sends mail through SMTP (MailKit) when <c>Verdicts:Smtp:Host</c> is set; otherwise drops each message as an
/// .eml file into the pickup folder, so a fresh install works and tests can read what was sent.
/// </summary>
public sealed class Mailer(IOptions<VerdictsOptions> options)
{
    public MailboxAddress From => MailboxAddress.Parse(options.Value.MailFrom);

    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        var smtp = options.Value.Smtp;
        if (smtp.Host.Length > 0)
        {
            using var client = new SmtpClient();
            await client.ConnectAsync(smtp.Host, smtp.Port, smtp.UseStartTls ? SecureSocketOptions.StartTls : SecureSocketOptions.Auto, cancellationToken);
            if (smtp.UserName.Length > 0)
                await client.AuthenticateAsync(smtp.UserName, smtp.Password, cancellationToken);
            await client.SendAsync(message, cancellationToken);
            await client.DisconnectAsync(true, cancellationToken);
            return;
        }
        var folder = options.Value.MailPickupPath;
        Directory.CreateDirectory(folder);
        var name = $"{DateTime.UtcNow:yyyyMMddTHHmmssfff}-{Guid.NewGuid():N}.eml";
        var temporary = Path.Combine(folder, "." + name + ".tmp");
        await message.WriteToAsync(temporary, cancellationToken);
        // Readers of the folder only ever see complete messages.
        File.Move(temporary, Path.Combine(folder, name));
    }
}
