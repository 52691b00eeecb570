using System.Threading.Channels;
using Dapper;
using System.Data.Common;
using Verdicts.Web.Data;

namespace Verdicts.Web.Newsletter;

/// <summary>
/// Sends the mail that requests queue in <c>mail_outbox</c>, off the request path: a sign-up answers the same, and as
/// fast, whether or not a message goes out and however slow the mail server is. A failed message is tried again later,
/// up to <see cref="MaxAttempts"/> times; every outcome is recorded on its row. A message is recorded as sent only after
/// it has gone, so a crash (or a locked database) between the two sends it again rather than never.
/// </summary>
public sealed class MailOutbox(Database database, Subscriptions subscriptions, Mailer mailer, TimeProvider time, ILogger<MailOutbox> logger)
    : BackgroundService
{
    public const int MaxAttempts = 5;

    private const int BatchSize = 50;

    // Without a wake-up the outbox is looked at this often (real time), so retries fall due with no new sign-up.
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(30);

    private readonly Channel<bool> wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Tells the sender that a message was queued; it never waits.</summary>
    public void Wake() => wake.Writer.TryWrite(true);

    /// <summary>The wait before the next try after this many failed ones: 2, 8, 32, 128 minutes.</summary>
    public static TimeSpan RetryDelay(long attempts) => TimeSpan.FromMinutes(2 * Math.Pow(4, attempts - 1));

    private sealed record DueMessage
    {
        public required long Id { get; init; }
        public required long Attempts { get; init; }
        public required long SubscriberId { get; init; }
        public string? Email { get; init; }
        public string? State { get; init; }
        public string? ConfirmExpiresAt { get; init; }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (subscriptions.SiteUrl.Length == 0)
            logger.LogWarning("Verdicts:SiteUrl is not set: newsletter sign-ups are refused, since mail links are never built from a "
                + "request's Host header, and canonical links are relative. Set it to the site's public address, such as https://verdicts.example");
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await DeliverDueAsync(stoppingToken) == BatchSize)
                {
                }
            }
            catch (Exception ex) when (ex is DbException or IOException or InvalidOperationException)
            {
                logger.LogWarning("Could not work through the mail outbox, trying again later: {Reason}", ex.Message);
            }
            try
            {
                await wake.Reader.WaitToReadAsync(stoppingToken).AsTask().WaitAsync(PollInterval, stoppingToken);
            }
            catch (TimeoutException)
            {
            }
            wake.Reader.TryRead(out _);
        }
    }

    /// <summary>Tries each message that is due once; returns how many it looked at.</summary>
    private async Task<int> DeliverDueAsync(CancellationToken cancellationToken)
    {
        // Without a site address no link can be built; the messages wait for one (sign-ups are refused meanwhile).
        if (subscriptions.SiteUrl.Length == 0)
            return 0;
        var now = Iso.Instant(time.GetUtcNow());
        List<DueMessage> due;
        using (var connection = database.ReadWrites())
        {
            const string select = """
                SELECT o.id, o.attempts, o.subscriber_id AS SubscriberId, s.email, s.state, s.confirm_expires_at AS ConfirmExpiresAt
                FROM mail_outbox o LEFT JOIN subscribers s ON s.id = o.subscriber_id
                WHERE o.outcome IS NULL AND o.due_at <= @now ORDER BY o.id LIMIT @limit
                """;
            due = (await connection.QueryAsync<DueMessage>(select, new { now, limit = BatchSize })).ToList();
        }
        foreach (var message in due)
            await DeliverAsync(message, cancellationToken);
        if (due.Count is > 0 and < BatchSize)
            await ForgetOldAsync();
        return due.Count;
    }

    private async Task DeliverAsync(DueMessage message, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        // Confirmed, unsubscribed, removed or expired since it was queued: a link would no longer work, so none is sent.
        if (message is not { State: "pending", Email: { } email, ConfirmExpiresAt: { } expiresAt }
            || string.CompareOrdinal(expiresAt, Iso.Instant(now)) <= 0)
        {
            await RecordAsync(message.Id, message.Attempts, "not due", null, now);
            return;
        }
        try
        {
            await mailer.SendAsync(subscriptions.ConfirmationMessage(message.SubscriberId, email, expiresAt), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var attempts = message.Attempts + 1;
            logger.LogWarning("Could not send the confirmation message for subscriber {SubscriberId} (try {Attempt} of {MaxAttempts}): {Reason}",
                message.SubscriberId, attempts, MaxAttempts, ex.Message);
            await RecordAsync(message.Id, message.Attempts, attempts >= MaxAttempts ? "failed" : null, ex.Message, now);
            return;
        }
        await RecordAsync(message.Id, message.Attempts, "sent", null, now);
    }

    private async Task RecordAsync(long id, long attemptsBefore, string? outcome, string? error, DateTimeOffset now)
    {
        var attempts = outcome == "not due" ? attemptsBefore : attemptsBefore + 1;
        using var connection = database.OpenWrites();
        const string record = """
            UPDATE mail_outbox SET attempts = @attempts, outcome = @outcome, last_error = @error,
                done_at = CASE WHEN @outcome IS NULL THEN NULL ELSE @now END, due_at = @due
            WHERE id = @id
            """;
        await connection.ExecuteAsync(record, new
        {
            id,
            attempts,
            outcome,
            error = error is null ? null : error[..Math.Min(error.Length, 500)],
            now = Iso.Instant(now),
            due = Iso.Instant(outcome is null ? now + RetryDelay(attempts) : now),
        });
    }

    /// <summary>Finished rows are kept only as long as the per-recipient limit looks back, so the table stays small.</summary>
    private async Task ForgetOldAsync()
    {
        using var connection = database.OpenWrites();
        const string forget = "DELETE FROM mail_outbox WHERE outcome IS NOT NULL AND queued_at <= @dayAgo";
        await connection.ExecuteAsync(forget, new { dayAgo = Iso.Instant(time.GetUtcNow().AddDays(-1)) });
    }
}
