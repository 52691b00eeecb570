using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.Extensions.Options;
using MimeKit;
using Verdicts.Web.Data;

namespace Verdicts.Web.Newsletter;

/// <summary>
/// Double opt-in: an address is pending until its emailed link is followed and its button pressed. Confirmation
/// tokens expire and are derived, like unsubscribe tokens, from the subscriber and the site's key: the database keeps
/// only their hash (to find the subscriber), and a message sent again carries the same link as the first. A sign-up
/// only records that a message is due (<see cref="MailOutbox"/> sends it), at most so many per address per hour and day.
/// </summary>
public sealed class Subscriptions(Database database, Mailer mailer, TimeProvider time, IOptions<VerdictsOptions> options)
{
    public static readonly TimeSpan ConfirmationLifetime = TimeSpan.FromHours(48);

    /// <summary>Confirmation messages one address is sent at most in any hour, and in any day.</summary>
    public const int ConfirmationsPerHour = 1, ConfirmationsPerDay = 3;

    public enum Confirmation { Invalid, Pending, Confirmed, AlreadyConfirmed }

    private readonly byte[] key = Secrets.GetOrCreate(database, "newsletter-key");

    /// <summary>The configured public address; empty when none is set, and then no mail is built.</summary>
    public string SiteUrl => options.Value.SiteUrl;

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

    private sealed record SubscriberRow
    {
        public required long Id { get; init; }
        public required string State { get; init; }
        public string? ConfirmExpiresAt { get; init; }
    }

    /// <summary>
    /// Starts the opt-in for an address, or asks again for a pending one, and queues a confirmation message if the
    /// address is within its limit; true if one was queued. Whatever happened, the visitor is told the same.
    /// </summary>
    public async Task<bool> SubscribeAsync(string email)
    {
        var now = time.GetUtcNow();
        using var connection = database.OpenWrites();
        // On SQLite this begins IMMEDIATE (Microsoft.Data.Sqlite's default): two sign-ups for one address take turns.
        using var transaction = connection.BeginTransaction();
        const string find = "SELECT id, state, confirm_expires_at AS ConfirmExpiresAt FROM subscribers WHERE email = @email";
        var existing = await connection.QuerySingleOrDefaultAsync<SubscriberRow>(find, new { email }, transaction);
        if (existing?.State == "confirmed")
            return false;
        long id;
        if (existing is { State: "pending", ConfirmExpiresAt: { } expiresAt } && string.CompareOrdinal(expiresAt, Iso.Instant(now)) > 0)
        {
            // The link already sent keeps working: asking again sends the same one.
            id = existing.Id;
        }
        else
        {
            var expires = Iso.Instant(now + ConfirmationLifetime);
            const string start = """
                INSERT INTO subscribers (email, state, confirm_expires_at, created_at) VALUES (@email, 'pending', @expires, @now)
                ON CONFLICT (email) DO UPDATE SET state = 'pending', confirm_expires_at = excluded.confirm_expires_at, unsubscribed_at = NULL
                RETURNING id
                """;
            id = await connection.ExecuteScalarAsync<long>(start, new { email, expires, now = Iso.Instant(now) }, transaction);
            const string keepHash = "UPDATE subscribers SET confirm_token_hash = @hash WHERE id = @id";
            await connection.ExecuteAsync(keepHash, new { id, hash = TokenHash(ConfirmationToken(id, expires)) }, transaction);
        }

        const string recent = """
            SELECT count(*) FILTER (WHERE queued_at > @hourAgo) AS LastHour, count(*) AS LastDay FROM mail_outbox
            WHERE subscriber_id = @id AND kind = 'confirmation' AND queued_at > @dayAgo
            """;
        var (lastHour, lastDay) = await connection.QuerySingleAsync<(long LastHour, long LastDay)>(recent,
            new { id, hourAgo = Iso.Instant(now.AddHours(-1)), dayAgo = Iso.Instant(now.AddDays(-1)) }, transaction);
        var queued = lastHour < ConfirmationsPerHour && lastDay < ConfirmationsPerDay;
        if (queued)
        {
            const string queue = "INSERT INTO mail_outbox (subscriber_id, kind, queued_at, due_at) VALUES (@id, 'confirmation', @now, @now)";
            await connection.ExecuteAsync(queue, new { id, now = Iso.Instant(now) }, transaction);
        }
        transaction.Commit();
        return queued;
    }

    /// <summary>The confirmation message for a pending subscriber, built when it is sent.</summary>
    public MimeMessage ConfirmationMessage(long id, string email, string expiresAt)
    {
        var text = $"""
            Hello,

            Someone (hopefully you) asked to get the weekly Verdicts comparison at this address.
            To confirm, open this link within 48 hours and press the button on the page:

            {SiteUrl}/subscribe/confirm?token={ConfirmationToken(id, expiresAt)}

            If it was not you, ignore this message and nothing more will be sent.
            """;
        return Message(email, "Confirm your Verdicts subscription", SiteUrl, id,
            unsubscribe => new BodyBuilder { TextBody = $"{text}\n\n--\nUnsubscribe in one step: {unsubscribe}\n" });
    }

    /// <summary>What a confirmation link would do now, without doing it: opening the link changes nothing.</summary>
    public async Task<Confirmation> CheckConfirmationAsync(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 100)
            return Confirmation.Invalid;
        using var connection = database.ReadWrites();
        const string find = "SELECT id, state, confirm_expires_at AS ConfirmExpiresAt FROM subscribers WHERE confirm_token_hash = @hash";
        return await connection.QuerySingleOrDefaultAsync<SubscriberRow>(find, new { hash = TokenHash(token) }) switch
        {
            { State: "confirmed" } => Confirmation.AlreadyConfirmed,
            { State: "pending", ConfirmExpiresAt: { } expires } when string.CompareOrdinal(expires, Iso.Instant(time.GetUtcNow())) > 0 => Confirmation.Pending,
            _ => Confirmation.Invalid,
        };
    }

    /// <summary>Confirms the subscriber the token was sent to; a token already used says so rather than failing.</summary>
    public async Task<Confirmation> ConfirmAsync(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 100)
            return Confirmation.Invalid;
        var hash = TokenHash(token);
        using var connection = database.OpenWrites();
        // The hash is kept after confirming, so a second press of the same link can be told apart from a bad one.
        const string confirm = """
            UPDATE subscribers SET state = 'confirmed', confirmed_at = @now, confirm_expires_at = NULL
            WHERE confirm_token_hash = @hash AND state = 'pending' AND confirm_expires_at > @now
            """;
        if (await connection.ExecuteAsync(confirm, new { hash, now = Iso.Instant(time.GetUtcNow()) }) == 1)
            return Confirmation.Confirmed;
        const string state = "SELECT state FROM subscribers WHERE confirm_token_hash = @hash";
        return await connection.QuerySingleOrDefaultAsync<string>(state, new { hash }) == "confirmed" ? Confirmation.AlreadyConfirmed : Confirmation.Invalid;
    }

    /// <summary>Whether an unsubscribe token is genuine and its subscriber still on file, without changing anything.</summary>
    public async Task<bool> IsUnsubscribeTokenValidAsync(string? token)
    {
        if (ParseUnsubscribeToken(token) is not { } id)
            return false;
        using var connection = database.ReadWrites();
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM subscribers WHERE id = @id", new { id }) == 1;
    }

    public async Task<bool> UnsubscribeAsync(string? token)
    {
        if (ParseUnsubscribeToken(token) is not { } id)
            return false;
        using var connection = database.OpenWrites();
        await connection.ExecuteAsync("""
            UPDATE subscribers SET state = 'unsubscribed', unsubscribed_at = @now, confirm_token_hash = NULL, confirm_expires_at = NULL
            WHERE id = @id AND state <> 'unsubscribed'
            """, new { id, now = Iso.Instant(time.GetUtcNow()) });
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM subscribers WHERE id = @id", new { id }) == 1;
    }

    /// <summary>
    /// A message to one subscriber, always with a working one-step unsubscribe link: <paramref name="body"/> is given the
    /// link for the text, and mail clients its one-click form (RFC 8058) in the headers.
    /// </summary>
    public MimeMessage Message(string email, string subject, string siteUrl, long subscriberId, Func<string, BodyBuilder> body)
    {
        var unsubscribe = $"{siteUrl}/unsubscribe?token={UnsubscribeToken(subscriberId)}";
        var message = new MimeMessage();
        message.From.Add(mailer.From);
        message.To.Add(MailboxAddress.Parse(email));
        message.Subject = subject;
        message.Headers.Add("List-Unsubscribe", $"<{unsubscribe}>");
        message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        message.Body = body(unsubscribe).ToMessageBody();
        return message;
    }

    public string UnsubscribeToken(long id) =>
        $"{id.ToString(CultureInfo.InvariantCulture)}.{Base64Url.EncodeToString(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"unsubscribe:{id}")))}";

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

    private string ConfirmationToken(long id, string expiresAt) =>
        Base64Url.EncodeToString(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"confirm:{id.ToString(CultureInfo.InvariantCulture)}:{expiresAt}")));

    private static string TokenHash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
