using Dapper;
using Verdicts.Tests.Infrastructure;
using Verdicts.Web.Data;
using Verdicts.Web.Voting;

namespace Verdicts.Tests.Data;

public sealed class MigrationsTests
{
    /// <summary>A database as the site left it before votes were keyed by visitor: scripts 1 to 4, with votes in it.</summary>
    private static Database BeforeVisitorOrder(TestContent content)
    {
        var database = new Database(Path.Combine(content.Scratch, "before.db"));
        // Only this creates a file: connections never do, so one deleted under the site stays missing.
        database.EnsureFile();
        using var connection = database.OpenForWriting();
        connection.Execute("PRAGMA journal_mode = WAL;");
        foreach (var (number, sql) in Migrations.Scripts().Where(s => s.Number <= 4))
            connection.Execute(sql + $"; PRAGMA user_version = {number};");
        void Vote(string tool, string voter, string choice, string at) => connection.Execute(
            "INSERT INTO votes (tool_slug, voter, choice, voted_at) VALUES (@tool, @voter, @choice, @at)", new { tool, voter, choice, at });
        Vote("alpha", "v1", "ship", "2026-11-01T10:00:00.000Z");
        Vote("alpha", "v2", "skip", "2026-11-01T11:00:00.000Z");
        Vote("alpha", "v3", "ship", "2026-11-03T09:00:00.000Z");
        Vote("beta", "v1", "skip", "2026-11-02T10:00:00.000Z");
        Vote("beta", "v4", "skip", "2026-11-02T10:30:00.000Z");
        connection.Execute("UPDATE votes SET choice = 'ship', voted_at = '2026-11-04T08:00:00.000Z' WHERE tool_slug = 'beta' AND voter = 'v4'");
        connection.Execute("DELETE FROM votes WHERE tool_slug = 'alpha' AND voter = 'v2'");
        return database;
    }

    [Fact]
    public void Keying_votes_by_visitor_and_counting_tallies_in_memory_keeps_every_vote_tally_and_day()
    {
        using var content = TestContent.Sample();
        var database = BeforeVisitorOrder(content);
        List<(string, string, string, string)> votes;
        List<(string, long, long)> tallies;
        List<(string, string, long, long)> days;
        using (var connection = database.Open())
        {
            votes = connection.Query<(string, string, string, string)>("SELECT tool_slug, voter, choice, voted_at FROM votes ORDER BY 1, 2").ToList();
            tallies = connection.Query<(string, long, long)>("SELECT tool_slug, ship, skip FROM vote_tallies ORDER BY 1").ToList();
            days = connection.Query<(string, string, long, long)>("SELECT tool_slug, day, ship, skip FROM vote_days ORDER BY 1, 2").ToList();
        }
        // Worked out by hand from the votes above: alpha has v1 and v3 shipping; beta has v1 skipping and v4 shipping.
        Assert.Equal([("alpha", 2L, 0L), ("beta", 1L, 1L)], tallies);

        // 005 and every later script.
        Assert.Equal(Migrations.Scripts().Count(s => s.Number > 4), Migrations.Apply(database));

        using var migrated = database.Open();
        Assert.Equal(votes, migrated.Query<(string, string, string, string)>("SELECT tool_slug, voter, choice, voted_at FROM votes ORDER BY 1, 2"));
        Assert.Equal(days, migrated.Query<(string, string, long, long)>("SELECT tool_slug, day, ship, skip FROM vote_days ORDER BY 1, 2"));
        Assert.Equal("ok", migrated.QuerySingle<string>("PRAGMA integrity_check"));
        var counted = VoteTallies.Load(database, DateOnly.FromDateTime(DateTime.UtcNow));
        Assert.Equal(tallies, tallies.Select(t => (t.Item1, counted.Of(t.Item1).Ship, counted.Of(t.Item1).Skip)));
    }

    [Fact]
    public void After_the_change_no_trigger_is_left_and_the_tallies_are_counted_from_the_votes_at_start()
    {
        using var content = TestContent.Sample();
        var database = BeforeVisitorOrder(content);
        Migrations.Apply(database);

        using var connection = database.OpenForWriting();
        Assert.Empty(connection.Query<string>("SELECT name FROM sqlite_schema WHERE type IN ('trigger', 'view')"));
        var daysBefore = connection.Query<(string, string, long, long)>("SELECT tool_slug, day, ship, skip FROM vote_days ORDER BY 1, 2").ToList();
        connection.Execute("INSERT INTO votes (tool_slug, voter, choice, voted_at) VALUES ('gamma', 'v9', 'skip', '2026-11-05T10:00:00.000Z')");
        connection.Execute("UPDATE votes SET choice = 'skip', voted_at = '2026-11-05T11:00:00.000Z' WHERE tool_slug = 'alpha' AND voter = 'v1'");
        connection.Execute("DELETE FROM votes WHERE tool_slug = 'beta' AND voter = 'v4'");
        Assert.Equal(daysBefore, connection.Query<(string, string, long, long)>("SELECT tool_slug, day, ship, skip FROM vote_days ORDER BY 1, 2"));

        var counted = connection.Query<(string Tool, long Ship, long Skip)>(
            "SELECT tool_slug, sum(choice = 'ship'), sum(choice = 'skip') FROM votes GROUP BY tool_slug ORDER BY 1").ToList();
        Assert.Equal([("alpha", 1L, 1L), ("beta", 0L, 1L), ("gamma", 0L, 1L)], counted);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var tallies = VoteTallies.Load(database, today);
        Assert.Equal(counted.Select(c => new Tally(c.Ship, c.Skip)), counted.Select(c => tallies.Of(c.Tool)));
        // The triggers' days before today stay final; what changed since is today's, the open day's: alpha stood at
        // v1 and v3 shipping and v2 skipping (withdrawn today, by the old delete trigger, which dated it by the clock).
        var alpha = tallies.EntryOf("alpha")!;
        Assert.Equal((Iso.Day(today), 1L - 2L, 1L - 1L), (alpha.OpenDay, alpha.OpenShip, alpha.OpenSkip));
    }
}
