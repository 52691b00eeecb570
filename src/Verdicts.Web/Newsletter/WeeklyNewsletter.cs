using System.Globalization;
using Dapper;
using Verdicts.Web.Data;
using Verdicts.Web.Pages.Compare;
using Verdicts.Web.Voting;

namespace Verdicts.Web.Newsletter;

/// <summary>
/// The weekly newsletter: the comparisons published in the seven days up to today, mailed once per ISO week to every
/// confirmed subscriber, each with their own one-step unsubscribe link. Run by the <c>send-newsletter</c> command
/// (from cron, say, once a week). A subscriber is recorded as sent only after their message has gone, so a run again in
/// the same week, after a failure part-way, sends to the rest; a crash between sending and recording can send one twice.
/// A week with no new comparison sends nothing.
/// </summary>
public sealed class WeeklyNewsletter(Database database, VoteTallies tallies, Subscriptions subscriptions, Mailer mailer, TimeProvider time, ILogger<WeeklyNewsletter> logger)
{
    public sealed record Entry
    {
        public required string Slug { get; init; }
        public required string Title { get; init; }
        public string? Question { get; init; }
        public required string Published { get; init; }
        public string? BottomLineHtml { get; init; }
    }

    public sealed record Outcome(string Week, int Comparisons, int Sent, int SentBefore, int Failed);

    /// <summary>The ISO week a day falls in, as stored in newsletter_deliveries: 2026-W48.</summary>
    public static string Week(DateOnly day)
    {
        var at = day.ToDateTime(TimeOnly.MinValue);
        return string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(at)}-W{ISOWeek.GetWeekOfYear(at):00}");
    }

    public async Task<Outcome> SendAsync(string siteUrl, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var week = Week(today);
        List<Entry> entries;
        List<WeeklyMail.Comparison> comparisons;
        List<(long Id, string Email)> recipients;
        int sentBefore;
        using (var connection = database.Open())
        {
            entries = (await connection.QueryAsync<Entry>($"""
                SELECT c.slug, {ComparisonTitle.Sql} AS Title, c.question, c.published, c.bottom_line_html AS BottomLineHtml
                FROM comparisons c WHERE c.published >= @since AND c.published <= @today
                ORDER BY c.published DESC, c.slug
                """, new { since = Iso.Day(today.AddDays(-6)), today = Iso.Day(today) })).ToList();
            const string ToolsSql = "SELECT comparison_slug, tool_slug FROM comparison_tools WHERE comparison_slug IN @slugs ORDER BY comparison_slug, position";
            var slugs = (await connection.QueryAsync<(string Comparison, string Tool)>(ToolsSql, new { slugs = entries.Select(e => e.Slug) }))
                .ToLookup(r => r.Comparison, r => r.Tool, StringComparer.Ordinal);
            // The tools' columns and figures as the comparison page reads them, and its computed bottom line where no editor wrote one.
            comparisons = [.. entries.Select(entry =>
            {
                var tools = ToolColumns.Load(connection, tallies, [.. slugs[entry.Slug]]).Select(c => c.Tool).ToList();
                return new WeeklyMail.Comparison(entry, tools, entry.BottomLineHtml is null ? ComputedSummary.Of(tools) : []);
            })];
        }
        // The comparisons are content, read here; subscribers and deliveries are written data, in PostgreSQL if set.
        using (var connection = database.ReadWrites())
        {
            sentBefore = await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM newsletter_deliveries WHERE week = @week", new { week });
            recipients = entries.Count == 0 ? [] : (await connection.QueryAsync<(long, string)>("""
                SELECT id, email FROM subscribers s
                WHERE state = 'confirmed' AND NOT EXISTS (SELECT 1 FROM newsletter_deliveries d WHERE d.week = @week AND d.subscriber_id = s.id)
                ORDER BY id
                """, new { week })).ToList();
        }

        var subject = $"Verdicts this week: {Figures.Count(entries.Count, "new comparison", "new comparisons")}";
        var mail = new WeeklyMail(comparisons, siteUrl);
        int sent = 0, failed = 0;
        foreach (var (id, email) in recipients)
        {
            try
            {
                await mailer.SendAsync(subscriptions.Message(email, subject, siteUrl, id, mail.Body), cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Could not send the {Week} newsletter to subscriber {SubscriberId}", week, id);
                failed++;
                continue;
            }
            using var connection = database.OpenWrites();
            await connection.ExecuteAsync("""
                INSERT INTO newsletter_deliveries (week, subscriber_id, sent_at) VALUES (@week, @id, @now) ON CONFLICT DO NOTHING
                """, new { week, id, now = Iso.Instant(time.GetUtcNow()) });
            sent++;
        }
        return new Outcome(week, entries.Count, sent, sentBefore, failed);
    }
}
