using System.Text.RegularExpressions;
using Dapper;
using Verdicts.Tests.Infrastructure;

namespace Verdicts.Tests.Pages.Admin;

public sealed partial class TimesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 16, 4, 6, TimeSpan.Zero);

    // A valid HTML global date and time, as the Nu checker wants it: to the second, in UTC, no fraction, no offset.
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")]
    private static partial Regex ValidDatetime();

    private static void AuditRow(VerdictsApp app, string path, string at)
    {
        using var connection = app.Database.ReadWrites();
        connection.Execute("INSERT INTO audit (at, admin, action, path) VALUES (@at, 'ada', 'save', @path)", new { at, path });
    }

    public static TheoryData<string, string, string, string> Distances => new()
    {
        // stored as, shown as, datetime attribute, title
        { "2026-12-06T16:03:40Z", "just now", "2026-12-06T16:03:40Z", "2026-12-06 16:03:40 UTC" },
        { "2026-12-06T16:03:00Z", "1 minute ago", "2026-12-06T16:03:00Z", "2026-12-06 16:03:00 UTC" },
        { "2026-12-06T16:01:06Z", "3 minutes ago", "2026-12-06T16:01:06Z", "2026-12-06 16:01:06 UTC" },
        { "2026-12-06T11:00:00Z", "5 hours ago", "2026-12-06T11:00:00Z", "2026-12-06 11:00:00 UTC" },
        { "2026-12-06T00:00:01Z", "16 hours ago", "2026-12-06T00:00:01Z", "2026-12-06 00:00:01 UTC" },
        { "2026-12-05T23:59:59Z", "yesterday", "2026-12-05T23:59:59Z", "2026-12-05 23:59:59 UTC" },
        { "2026-12-05T00:00:00Z", "yesterday", "2026-12-05T00:00:00Z", "2026-12-05 00:00:00 UTC" },
        { "2026-12-04T09:30:00Z", "on 4 Dec 2026", "2026-12-04T09:30:00Z", "2026-12-04 09:30:00 UTC" },
        { "2025-01-31T12:00:00Z", "on 31 Jan 2025", "2025-01-31T12:00:00Z", "2025-01-31 12:00:00 UTC" },
        // The round-trip form (seven fraction digits and an offset) is stored by the importer; HTML refuses it as a datetime.
        { "2026-12-06T16:04:06.5568782+00:00", "just now", "2026-12-06T16:04:06Z", "2026-12-06 16:04:06 UTC" },
        { "2026-12-06T17:01:05.1234567+01:00", "3 minutes ago", "2026-12-06T16:01:05Z", "2026-12-06 16:01:05 UTC" },
    };

    [Theory]
    [MemberData(nameof(Distances))]
    public async Task The_audit_log_says_when_in_words_with_the_exact_utc_time_on_hover_and_a_valid_datetime(string stored, string shown, string datetime, string title)
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content, AdminSession.AdminSettings()) { Clock = new TestClock(Now) };
        var client = await AdminSession.SignIn(app);
        AuditRow(app, "tools/alpha.md", stored);

        var page = await client.GetPage("/admin/audit");

        var time = page.QuerySelector("tr[data-path='tools/alpha.md'] time")!;
        Assert.Equal(shown, time.Text());
        Assert.Equal(datetime, time.GetAttribute("datetime"));
        Assert.Equal(title, time.GetAttribute("title"));
    }

    [Fact]
    public async Task Times_in_the_future_read_forwards()
    {
        using var content = TestContent.Sample();
        var clock = new TestClock(Now);
        await using var app = new VerdictsApp(content, AdminSession.AdminSettings()) { Clock = clock };
        var client = await AdminSession.SignIn(app);
        AuditRow(app, "soon", "2026-12-06T16:07:06Z");
        AuditRow(app, "later", "2026-12-06T21:04:06Z");
        AuditRow(app, "tomorrow", "2026-12-07T01:00:00Z");
        AuditRow(app, "next-week", "2026-12-13T01:00:00Z");

        var page = await client.GetPage("/admin/audit");

        Assert.Equal("in 3 minutes", page.QuerySelector("tr[data-path='soon'] time").Text());
        Assert.Equal("in 5 hours", page.QuerySelector("tr[data-path='later'] time").Text());
        Assert.Equal("tomorrow", page.QuerySelector("tr[data-path='tomorrow'] time").Text());
        Assert.Equal("on 13 Dec 2026", page.QuerySelector("tr[data-path='next-week'] time").Text());
    }

    [Fact]
    public async Task The_same_row_reads_differently_as_the_clock_moves_on()
    {
        using var content = TestContent.Sample();
        var clock = new TestClock(Now);
        await using var app = new VerdictsApp(content, AdminSession.AdminSettings()) { Clock = clock };
        AuditRow(app, "tools/alpha.md", "2026-12-06T16:01:06Z");

        var shown = new List<string>();
        foreach (var later in new[] { TimeSpan.Zero, TimeSpan.FromHours(2), TimeSpan.FromDays(1), TimeSpan.FromDays(2) })
        {
            clock.Now = Now + later;
            // A day on, the first session has ended: each look is a fresh sign-in.
            var client = await AdminSession.SignIn(app);
            shown.Add((await client.GetPage("/admin/audit")).QuerySelector("tr[data-path='tools/alpha.md'] time").Text());
        }

        Assert.Equal(["3 minutes ago", "2 hours ago", "yesterday", "on 6 Dec 2026"], shown);
    }

    [Fact]
    public async Task Every_time_on_the_dashboard_subscribers_and_votes_pages_has_a_valid_datetime_and_an_exact_title()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content, AdminSession.AdminSettings()) { Clock = new TestClock(Now) };
        var client = await AdminSession.SignIn(app);
        using (var connection = app.Database.ReadWrites())
        {
            connection.Execute("""
                INSERT INTO subscribers (email, state, created_at, confirmed_at, unsubscribed_at)
                VALUES ('someone@example.com', 'unsubscribed', '2026-12-01T08:00:00Z', '2026-12-01T09:00:00Z', '2026-12-06T15:00:00Z')
                """);
        }
        using (var connection = app.Database.OpenWrites())
        {
            connection.Execute("INSERT INTO votes (tool_slug, voter, choice, voted_at, network) VALUES ('alpha', @voter, 'ship', '2026-12-06T14:10:00.000Z', @network)",
                new { voter = Guid.NewGuid().ToString("N"), network = new string('a', 32) });
        }
        // A failed sign-in puts a time (and a lockout's end) on the dashboard.
        for (var i = 0; i < 6; i++)
            (await AdminSession.TryLogIn(app.NoRedirects(), "ada", "wrong")).Dispose();

        var times = new List<AngleSharp.Dom.IElement>();
        var dashboard = await client.GetPage("/admin");
        times.AddRange(dashboard.QuerySelectorAll("time"));
        var subscribers = await client.GetPage("/admin/subscribers");
        times.AddRange(subscribers.QuerySelectorAll("time"));
        var votes = await client.GetPage("/admin/votes");
        times.AddRange(votes.QuerySelectorAll("time"));

        Assert.Equal(3, subscribers.QuerySelectorAll("time").Length);
        Assert.True(dashboard.QuerySelectorAll("time").Length >= 2, "the last reload and a failed sign-in");
        Assert.Single(votes.QuerySelectorAll("time"));
        foreach (var time in times)
        {
            Assert.Matches(ValidDatetime(), time.GetAttribute("datetime") ?? "");
            Assert.EndsWith(" UTC", time.GetAttribute("title") ?? "", StringComparison.Ordinal);
        }
        Assert.Equal(["on 1 Dec 2026", "on 1 Dec 2026", "1 hour ago"], subscribers.QuerySelectorAll("tr[data-state] time").Select(t => t.Text()));
        Assert.Equal("14:00 UTC, 2 hours ago", votes.QuerySelector("tr[data-network] td").Text());
    }
}
