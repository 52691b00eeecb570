using System.Globalization;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Verdicts.Tests.Infrastructure;
using Verdicts.Web.Newsletter;

namespace Verdicts.Tests.Newsletter;

public sealed class WeeklyNewsletterTests
{
    private const string SiteUrl = "https://verdicts.test";

    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);

    private static string Day(int daysAgo) => Today.AddDays(-daysAgo).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Comparisons published 1, 6 and 7 days ago and tomorrow; only the first two fall in the last seven days.</summary>
    private static TestContent Content() => TestContent.Sample()
        .Comparison("fresh-titled", ["alpha", "gamma"], Day(1), "title: \"Alpha or Gamma?\"\nquestion: \"Which runtime wins?\"\n")
        .Comparison("fresh-plain", ["beta", "gamma"], Day(6))
        .Comparison("last-week", ["alpha", "gamma", "beta"], Day(7))
        .Comparison("tomorrow", ["gamma", "alpha", "beta"], Day(-1));

    private static readonly (string Slug, string Title, string Question, string Published)[] ThisWeek =
    [
        ("fresh-titled", "Alpha or Gamma?", "Which runtime wins?", Day(1)),
        ("fresh-plain", "Beta vs Gamma", "Which one should you ship with?", Day(6)),
    ];

    private static Dictionary<string, long> AddSubscribers(VerdictsApp app)
    {
        using var connection = app.Database.ReadWrites();
        var ids = new Dictionary<string, long>();
        foreach (var (email, state) in new[] { ("one@example.com", "confirmed"), ("two@example.com", "confirmed"), ("waiting@example.com", "pending"), ("gone@example.com", "unsubscribed") })
        {
            ids[email] = connection.ExecuteScalar<long>(
                "INSERT INTO subscribers (email, state, created_at) VALUES (@email, @state, '2026-01-01T00:00:00Z') RETURNING id", new { email, state });
        }
        return ids;
    }

    [Fact]
    public async Task Each_confirmed_subscriber_gets_the_weeks_comparisons_once_with_their_own_unsubscribe_link()
    {
        using var content = Content();
        await using var app = new VerdictsApp(content);
        var ids = AddSubscribers(app);
        var newsletter = app.Services.GetRequiredService<WeeklyNewsletter>();
        var week = $"{ISOWeek.GetYear(DateTime.UtcNow)}-W{ISOWeek.GetWeekOfYear(DateTime.UtcNow):00}";

        var first = await newsletter.SendAsync(SiteUrl, CancellationToken.None);

        Assert.Equal(new WeeklyNewsletter.Outcome(week, ThisWeek.Length, 2, 0, 0), first);
        var mail = app.Mail();
        Assert.Equal(["one@example.com", "two@example.com"], mail.Select(m => m.To.Mailboxes.Single().Address).Order());
        foreach (var message in mail)
        {
            Assert.Equal("Verdicts this week: 2 new comparisons", message.Subject);
            var text = message.TextBody ?? "";
            foreach (var (slug, title, question, published) in ThisWeek)
                Assert.Contains($"\n{title}: {question}\n{SiteUrl}/compare/{slug}\nPublished {published}\n", text.ReplaceLineEndings("\n"), StringComparison.Ordinal);
            Assert.DoesNotContain("/compare/last-week", text, StringComparison.Ordinal);
            Assert.DoesNotContain("/compare/tomorrow", text, StringComparison.Ordinal);
            var unsubscribe = text[text.IndexOf(SiteUrl + "/unsubscribe?token=", StringComparison.Ordinal)..].Split('\n')[0].Trim();
            Assert.StartsWith($"{SiteUrl}/unsubscribe?token={ids[message.To.Mailboxes.Single().Address]}.", unsubscribe, StringComparison.Ordinal);
            // RFC 8058: mail clients offer one-click unsubscribe, which POSTs to this address.
            Assert.Equal($"<{unsubscribe}>", message.Headers["List-Unsubscribe"]);
            Assert.Equal("List-Unsubscribe=One-Click", message.Headers["List-Unsubscribe-Post"]);
        }

        // Again the same week: nobody is sent it twice.
        var second = await newsletter.SendAsync(SiteUrl, CancellationToken.None);
        Assert.Equal(new WeeklyNewsletter.Outcome(week, ThisWeek.Length, 0, 2, 0), second);
        Assert.Equal(2, app.Mail().Count);

        // One who unsubscribes through their link (and its button) is not sent the next one.
        var link = (mail.First(m => m.To.Mailboxes.Single().Address == "one@example.com").TextBody ?? "").Split('\n')
            .Single(l => l.Contains("/unsubscribe?token=", StringComparison.Ordinal)).Trim();
        await SubscribeTests.PressTheButton(app.CreateClient(), link[(link.IndexOf(SiteUrl, StringComparison.Ordinal) + SiteUrl.Length)..]);
        using var connection = app.Database.ReadWrites();
        Assert.Equal("unsubscribed", connection.QuerySingle<string>("SELECT state FROM subscribers WHERE email = 'one@example.com'"));
    }

    [Fact]
    public async Task A_week_without_new_comparisons_sends_nothing()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        AddSubscribers(app);

        var outcome = await app.Services.GetRequiredService<WeeklyNewsletter>().SendAsync(SiteUrl, CancellationToken.None);

        Assert.Equal((0, 0, 0), (outcome.Comparisons, outcome.Sent, outcome.Failed));
        Assert.Empty(app.Mail());
    }

    private static Task<(int ExitCode, string Output, string Errors)> RunSendNewsletter(VerdictsApp app, params string[] settings) =>
        SiteCommand.RunAsync("send-newsletter", [$"--Verdicts:ContentPath={app.Content.Root}", $"--Verdicts:DatabasePath={app.DatabasePath}",
            $"--Verdicts:MailPickupPath={app.MailFolder}", $"--Verdicts:Postgres={app.Postgres}", "--Serilog:MinimumLevel:Default=Warning", .. settings]);

    [Fact]
    public async Task The_send_newsletter_command_mails_the_week_and_says_so_and_needs_the_site_address()
    {
        using var content = Content();
        await using var app = new VerdictsApp(content);
        AddSubscribers(app);

        var (refused, _, why) = await RunSendNewsletter(app);
        Assert.Equal(2, refused);
        Assert.Contains("set Verdicts:SiteUrl", why, StringComparison.Ordinal);
        Assert.Empty(app.Mail());

        var (exitCode, output, _) = await RunSendNewsletter(app, $"--Verdicts:SiteUrl={SiteUrl}/");

        Assert.Equal(0, exitCode);
        var week = $"{ISOWeek.GetYear(DateTime.UtcNow)}-W{ISOWeek.GetWeekOfYear(DateTime.UtcNow):00}";
        Assert.Equal($"{week}: 2 comparisons, sent to 2 subscribers (0 already sent this week, 0 failed)", output.Trim());
        Assert.Equal(2, app.Mail().Count);
        Assert.All(app.Mail(), m => Assert.Contains($"{SiteUrl}/compare/fresh-plain", m.TextBody, StringComparison.Ordinal));
    }
}
