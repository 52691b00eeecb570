using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Dapper;
using Verdicts.Tests.Infrastructure;
using Verdicts.Web.Voting;

namespace Verdicts.Tests.Voting;

/// <summary>
/// Tallies are held in memory; each day's net change is written to vote_days when the day closes. These tests cast
/// votes through the site on days set by a test clock and work out the expected figures from the votes themselves.
/// </summary>
public sealed class VoteTalliesTests
{
    // The open day held in memory is SQLite's; on PostgreSQL every batch writes its days (PostgresVotingTests).
    private const string SqliteOnly = "SQLite's open day: on PostgreSQL each vote batch writes its day's rows";

    private static readonly DateTimeOffset Today = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddHours(12);

    private sealed record Cast(int DaysAgo, string Visitor, string Tool, string Choice);

    private static string Day(int daysAgo) => Today.AddDays(-daysAgo).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Casts the votes through the site, each visitor with a client (and so a cookie) of their own.</summary>
    private static async Task CastThrough(VerdictsApp app, TestClock clock, IEnumerable<Cast> votes, Dictionary<string, HttpClient> visitors)
    {
        foreach (var vote in votes)
        {
            clock.Now = Today.AddDays(-vote.DaysAgo);
            if (!visitors.TryGetValue(vote.Visitor, out var client))
                visitors[vote.Visitor] = client = app.NoRedirects();
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/tools/{vote.Tool}/vote", UriKind.Relative))
            {
                Content = new StringContent($"choice={vote.Choice}", Encoding.UTF8, "application/x-www-form-urlencoded"),
            };
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    /// <summary>Each (tool, day)'s net change, worked out by replaying the votes: a changed vote moves one count on its day.</summary>
    private static Dictionary<(string Tool, string Day), (long Ship, long Skip)> NetPerDay(IEnumerable<Cast> votes)
    {
        var current = new Dictionary<(string, string), string>();
        var net = new Dictionary<(string Tool, string Day), (long Ship, long Skip)>();
        foreach (var vote in votes)
        {
            var before = current.GetValueOrDefault((vote.Visitor, vote.Tool));
            current[(vote.Visitor, vote.Tool)] = vote.Choice;
            if (before == vote.Choice)
                continue;
            var (ship, skip) = net.GetValueOrDefault((vote.Tool, Day(vote.DaysAgo)));
            ship += (vote.Choice == "ship" ? 1 : 0) - (before == "ship" ? 1 : 0);
            skip += (vote.Choice == "skip" ? 1 : 0) - (before == "skip" ? 1 : 0);
            net[(vote.Tool, Day(vote.DaysAgo))] = (ship, skip);
        }
        return net;
    }

    /// <summary>The share of ship votes at the end of each of the last 30 days, as the chart's data-value lists them.</summary>
    private static string Trend(Dictionary<(string Tool, string Day), (long Ship, long Skip)> net, string tool) =>
        string.Join(",", Enumerable.Range(0, 30).Select(i => 29 - i).Select(daysAgo =>
        {
            var upTo = net.Where(n => n.Key.Tool == tool && string.CompareOrdinal(n.Key.Day, Day(daysAgo)) <= 0).ToList();
            var ship = (int)upTo.Sum(n => n.Value.Ship);
            return Html.Percent(ship, ship + (int)upTo.Sum(n => n.Value.Skip));
        }));

    private static List<(string Tool, string Day, long Ship, long Skip)> VoteDays(VerdictsApp app)
    {
        using var connection = app.Database.Open();
        return connection.Query<(string, string, long, long)>("SELECT tool_slug, day, ship, skip FROM vote_days ORDER BY 1, 2").ToList();
    }

    private static List<(string Tool, string Day, long Ship, long Skip)> Rows(Dictionary<(string Tool, string Day), (long Ship, long Skip)> net) =>
        net.Where(n => n.Value != (0, 0)).Select(n => (n.Key.Tool, n.Key.Day, n.Value.Ship, n.Value.Skip))
            .OrderBy(r => r.Tool, StringComparer.Ordinal).ThenBy(r => r.Day, StringComparer.Ordinal).ToList();

    [Fact]
    public async Task Each_day_keeps_its_own_change_as_days_close_and_the_trend_ends_at_the_tally()
    {
        Assert.SkipWhen(PostgresServer.EverySite, SqliteOnly);
        using var content = TestContent.Sample();
        var clock = new TestClock(Today.AddDays(-40));
        List<Cast> cast =
        [
            new(40, "ann", "alpha", "ship"), new(40, "bob", "beta", "skip"),
            new(10, "cat", "alpha", "skip"), new(10, "dan", "alpha", "ship"),
            // Dan changes his mind three days ago, and votes the same way again (which changes nothing).
            new(3, "dan", "alpha", "skip"), new(3, "dan", "alpha", "skip"), new(3, "eve", "alpha", "ship"), new(3, "fay", "beta", "ship"),
            new(3, "gus", "beta", "clear"),
        ];
        var net = NetPerDay(cast);
        var visitors = new Dictionary<string, HttpClient>();
        await using (var app = new VerdictsApp(content) { Clock = clock })
        {
            await CastThrough(app, clock, cast, visitors);

            // Days before the open one (three days ago) are written; its own change is still held in memory.
            Assert.Equal(Rows(net).Where(r => r.Day != Day(3)), VoteDays(app));
            clock.Now = Today;
            var page = await app.CreateClient().GetPage("/tools/alpha");
            Assert.Equal(Trend(net, "alpha"), page.QuerySelector("[data-metric='community-trend']")?.GetAttribute("data-value"));
            Assert.Equal(30, page.QuerySelector(".chart-line")!.GetAttribute("points")!.Split(' ').Length);
            var alpha = net.Where(n => n.Key.Tool == "alpha").ToList();
            Assert.Equal(new Tally(alpha.Sum(n => n.Value.Ship), alpha.Sum(n => n.Value.Skip)), app.Tallies.Of("alpha"));
            Assert.Equal((alpha.Sum(n => n.Value.Ship) + alpha.Sum(n => n.Value.Skip)).ToString(CultureInfo.InvariantCulture),
                page.Metric("community-votes", "alpha"));
        }

        // Stopped, the site wrote the open day too: every day's row is the net change worked out from the votes.
        await using var restarted = new VerdictsApp(content) { Clock = clock };
        Assert.Equal(Rows(net), VoteDays(restarted));
        var again = await restarted.CreateClient().GetPage("/tools/alpha");
        Assert.Equal(Trend(net, "alpha"), again.QuerySelector("[data-metric='community-trend']")?.GetAttribute("data-value"));

        // The open day goes on after the restart; the first vote on a later day closes it with all of its change.
        List<Cast> more = [new(3, "hal", "alpha", "skip"), new(3, "jo", "beta", "skip"), new(3, "jo", "beta", "clear"), new(3, "kim", "beta", "skip"), new(0, "ivy", "beta", "ship")];
        await CastThrough(restarted, clock, more, []);
        net = NetPerDay([.. cast, .. more]);
        Assert.Equal(Rows(net).Where(r => r.Day != Day(0)), VoteDays(restarted));
        Assert.Equal(new Tally(net.Where(n => n.Key.Tool == "beta").Sum(n => n.Value.Ship), net.Where(n => n.Key.Tool == "beta").Sum(n => n.Value.Skip)),
            restarted.Tallies.Of("beta"));
    }

    [Fact]
    public async Task After_a_kill_the_open_days_votes_are_counted_again_and_kept_on_the_day_they_came()
    {
        Assert.SkipWhen(PostgresServer.EverySite, SqliteOnly);
        using var content = TestContent.Sample();
        var clock = new TestClock(Today.AddDays(-5));
        List<Cast> before = [new(5, "ann", "alpha", "ship"), new(5, "bob", "alpha", "ship"), new(5, "cat", "beta", "skip"), new(2, "ann", "alpha", "skip")];
        var visitors = new Dictionary<string, HttpClient>();
        var database = Path.Combine(content.Scratch, "verdicts.db");
        var killed = Path.Combine(content.Scratch, "killed");
        Directory.CreateDirectory(killed);
        await using (var app = new VerdictsApp(content) { Clock = clock })
        {
            await CastThrough(app, clock, before, visitors);
            // The files as a kill now would leave them: every vote committed, the open day's change written nowhere else.
            File.Copy(database, Path.Combine(killed, "verdicts.db"));
            File.Copy(database + "-wal", Path.Combine(killed, "verdicts.db-wal"));
        }
        // As after a kill, no connection of the stopped site survives to remember the files as they were. The files are
        // put back as new files rather than written over: SQLite shares its state of an open file (its lock, its mapped
        // -shm index) among every connection of the process to the same inode, so one left open would otherwise show the
        // restarted site the files as they were before the kill.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
            File.Delete(database + suffix);
        foreach (var suffix in new[] { "", "-wal" })
            File.Copy(Path.Combine(killed, "verdicts.db" + suffix), database + suffix);

        clock.Now = Today;
        await using var restarted = new VerdictsApp(content) { Clock = clock };
        var net = NetPerDay(before);
        Assert.Equal(Rows(net).Where(r => r.Day != Day(2)), VoteDays(restarted));
        Assert.Equal(new Tally(1, 1), restarted.Tallies.Of("alpha"));
        var page = await restarted.CreateClient().GetPage("/tools/alpha");
        Assert.Equal(Trend(net, "alpha"), page.QuerySelector("[data-metric='community-trend']")?.GetAttribute("data-value"));

        // The first vote today closes the day the killed site had open, on that day, not today.
        List<Cast> today = [new(0, "dan", "alpha", "ship")];
        await CastThrough(restarted, clock, today, visitors);
        net = NetPerDay([.. before, .. today]);
        Assert.Equal(Rows(net).Where(r => r.Day != Day(0)), VoteDays(restarted));
        Assert.Equal(new Tally(2, 1), restarted.Tallies.Of("alpha"));
    }

    [Fact]
    public async Task A_recount_the_database_refused_is_done_with_the_next_batch_that_commits()
    {
        Assert.SkipWhen(PostgresServer.EverySite, SqliteOnly);
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        using (var connection = app.Database.Open())
        {
            connection.Execute("""
                INSERT INTO votes (tool_slug, voter, choice, voted_at) VALUES
                    ('alpha', 'v1', 'ship', '2026-01-02T03:04:05.000Z'), ('alpha', 'v2', 'ship', '2026-01-02T03:04:06.000Z'),
                    ('alpha', 'v3', 'skip', '2026-01-02T03:04:07.000Z')
                """);
        }

        // Another process holds the write lock: the writer cannot count alpha again, and says so.
        using (var holder = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={app.DatabasePath};Pooling=false"))
        {
            holder.Open();
            holder.Execute("BEGIN IMMEDIATE");
            await Assert.ThrowsAsync<VotesUnavailableException>(() => app.Recount("alpha"));
            holder.Execute("ROLLBACK");
        }
        Assert.Equal(Tally.None, app.Tallies.Of("alpha"));

        // The next batch that commits, a vote on another tool, counts alpha again as well.
        await CastThrough(app, new TestClock(Today), [new(0, "ann", "beta", "ship")], []);
        Assert.Equal(new Tally(2, 1), app.Tallies.Of("alpha"));
        var page = await app.CreateClient().GetPage("/tools/alpha");
        Assert.Equal("3", page.Metric("community-votes", "alpha"));
    }
}
