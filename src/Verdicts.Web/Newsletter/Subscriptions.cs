using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using MimeKit;
using Verdicts.Web.Data;

namespace Verdicts.Web.Newsletter;

/// <summary>
/// Double opt-in: an address is pending until its emailed link is followed. Confirmation tokens are random,
/// expire, and are stored only as hashes; unsubscribe links carry an HMAC of the subscriber id, so they work
/// in one step from any message without a stored token.
/// </summary>
public sealed class Subscriptions(Database database, Mailer mailer, TimeProvider time, ILogger<Subscriptions> logger)
{
    public static readonly TimeSpan ConfirmationLifetime = TimeSpan.FromHours(48);

    private readonly byte[] key = Secrets.GetOrCreate(database, "newsletter-key");

    /// <summary>A single plain address (no display name, no list, no header-breaking characters), normalised; else null.</summary>
    public static string? NormaliseAddress(string? input)
    {
        var value = input?.Trim();
        if (string.IsNullOrEmpty(value) || value.Length > 254 || value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || char.IsSurrogate(c)
            || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format || c is '<' or '>' or ',' or ';' or '"' or '(' or ')' or '\\'))
            return null;
        var at = value.LastIndexOf('@');
        if (at <= 0 || at != value.IndexOf('@', StringComparison.Ordinal) || at == value.Length - 1 || !value[(at + 1)..].Contains('.', StringComparison.Ordinal))
            return null;
        if (!MailboxAddress.TryParse(ParserOptions.Default, value, out var mailbox) || mailbox!.Name?.Length > 0
            || !string.Equals(mailbox!.Address, value, StringComparison.OrdinalIgnoreCase))
            return null;
        return value[..at] + "@" + value[(at + 1)..].ToLowerInvariant();
    }

    /// <summary>Starts (or restarts) the opt-in for an address. Says nothing about whether it was already subscribed.</summary>
    public async Task SubscribeAsync(string email, string siteUrl, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var token = Base64Url(RandomNumberGenerator.GetBytes(32));
        long? id;
        using (var connection = database.OpenForWriting())
        using (var transaction = connection.BeginTransaction(deferred: false))
        {
            var existing = await connection.QuerySingleOrDefaultAsync<(long Id, string State)?>(
                "SELECT id, state FROM subscribers WHERE email = @email", new { email }, transaction);
            if (existing?.State == "confirmed")
            {
                id = null;
            }
            else
            {
                id = await connection.ExecuteScalarAsync<long>("""
                    INSERT INTO subscribers (email, state, confirm_token_hash, confirm_expires_at, created_at)
                    VALUES (@email, 'pending', @hash, @expires, @now)
                    ON CONFLICT (email) DO UPDATE SET state = 'pending', confirm_token_hash = excluded.confirm_token_hash,
                        confirm_expires_at = excluded.confirm_expires_at, unsubscribed_at = NULL
                    RETURNING id
                    """, new { email, hash = TokenHash(token), expires = Iso(now + ConfirmationLifetime), now = Iso(now) }, transaction);
            }
            transaction.Commit();
        }
        if (id is null)
            return;
        var message = Message(email, "Confirm your Verdicts subscription", $"""
            Hello,

            Someone (hopefully you) asked to get the weekly Verdicts comparison at this address.
            To confirm, open this link within 48 hours:

            {siteUrl}/subscribe/confirm?token={token}

            If it was not you, ignore this message and nothing more will be sent.
            """, siteUrl, id.Value);
        try
        {
            await mailer.SendAsync(message, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The visitor gets the same answer either way; they can ask again, and the log says why it failed.
            logger.LogError(ex, "Could not send the confirmation message for subscriber {SubscriberId}", id);
        }
    }

    public async Task<bool> ConfirmAsync(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 100)
            return false;
        using var connection = database.OpenForWriting();
        return await connection.ExecuteAsync("""
            UPDATE subscribers SET state = 'confirmed', confirmed_at = @now, confirm_token_hash = NULL, confirm_expires_at = NULL
            WHERE confirm_token_hash = @hash AND state = 'pending' AND confirm_expires_at > @now
            """, new { hash = TokenHash(token), now = Iso(time.GetUtcNow()) }) == 1;
    }

    public async Task<bool> UnsubscribeAsync(string? token)
    {
        if (ParseUnsubscribeToken(token) is not { } id)
            return false;
        using var connection = database.OpenForWriting();
        await connection.ExecuteAsync("""
            UPDATE subscribers SET state = 'unsubscribed', unsubscribed_at = @now, confirm_token_hash = NULL, confirm_expires_at = NULL
            WHERE id = @id AND state <> 'unsubscribed'
            """, new { id, now = Iso(time.GetUtcNow()) });
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM subscribers WHERE id = @id", new { id }) == 1;
    }

    /// <summary>A message to one subscriber, always with a working one-step unsubscribe link.</summary>
    public MimeMessage Message(string email, string subject, string body, string siteUrl, long subscriberId)
    {
        var unsubscribe = $"{siteUrl}/unsubscribe?token={UnsubscribeToken(subscriberId)}";
        var message = new MimeMessage();
        message.From.Add(mailer.From);
        message.To.Add(MailboxAddress.Parse(email));
        message.Subject = subject;
        message.Headers.Add("List-Unsubscribe", $"<{unsubscribe}>");
        message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        message.Body = new TextPart("plain") { Text = $"{body.TrimEnd()}\n\n--\nUnsubscribe in one step: {unsubscribe}\n" };
        return message;
    }

    public string UnsubscribeToken(long id) =>
        $"{id.ToString(CultureInfo.InvariantCulture)}.{Base64Url(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"unsubscribe:{id}")))}";

    private long? ParseUnsubscribeToken(string? token)
    {
        var dot = token?.IndexOf('.', StringComparison.Ordinal) ?? -1;
        if (token is null || dot <= 0 || token.Length > 100
            || !long.TryParse(token.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            return null;
        var expected = Encoding.ASCII.GetBytes(UnsubscribeToken(id));
        var given = Encoding.ASCII.GetBytes(token);
        return expected.Length == given.Length && CryptographicOperations.FixedTimeEquals(expected, given) ? id : null;
    }

    private static string TokenHash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
