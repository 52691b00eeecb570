using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Verdicts.Web.Data;
using Verdicts.Web.Voting;
using Verdicts.Tests.Infrastructure;

namespace Verdicts.Tests.Voting;

public sealed class VoteWriterTests
{
    private static async Task<(HttpStatusCode Status, string? Cookie, JsonElement? Json)> Vote(HttpClient client, string tool, string choice, string? cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/tools/{tool}/vote")
        {
            Content = new StringContent($"choice={choice}", Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (cookie is not null)
            request.Headers.Add("Cookie", cookie);
        using var response = await client.SendAsync(request);
        var setCookie = response.Headers.TryGetValues("Set-Cookie", out var values) ? values.Single().Split(';')[0] : null;
        var json = response.StatusCode == HttpStatusCode.OK ? JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone() : (JsonElement?)null;
        return (response.StatusCode, setCookie ?? cookie, json);
    }

    [Fact]
    public async Task Tallies_match_the_votes_after_many_mixed_ship_skip_and_clear_batches()
    {
        using var content = TestContent.Sample();
        // All from one address, far beyond the per-address limit a real visitor would meet.
        // One day throughout, whenever the test runs.
        await using var app = new VerdictsApp(content, new Dictionary<string, string?> { ["Verdicts:RateLimit:Disabled"] = "true" }) { Clock = new TestClock(new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddHours(12)) };
        var client = app.NoRedirects();
        string[] tools = ["alpha", "beta", "gamma"];
        string[] choices = ["ship", "skip", "clear"];

        // Twenty visitors vote at once, round after round, so batches mix new votes, changes and withdrawals
        // for the same tools (and, across rounds, the same visitors), all through the writer's reused statements.
        var cookies = new string?[20];
        for (var round = 0; round < 8; round++)
        {
            var answers = await Task.WhenAll(cookies.Select((cookie, visitor) =>
                Vote(client, tools[(visitor + round) % tools.Length], choices[(visitor * 7 + round * 3) % choices.Length], cookie)));
            Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
            for (var visitor = 0; visitor < cookies.Length; visitor++)
                cookies[visitor] = answers[visitor].Cookie;
        }

        using var connection = app.Database.ReadWrites();
        var counted = connection.Query<(string Tool, long Ship, long Skip)>("""
            SELECT tool_slug, count(*) FILTER (WHERE choice = 'ship'), count(*) FILTER (WHERE choice = 'skip') FROM votes GROUP BY tool_slug ORDER BY tool_slug
            """).ToList();
        Assert.NotEmpty(counted);
        Assert.Equal(counted.Select(c => new Tally(c.Ship, c.Skip)), counted.Select(c => app.Tallies.Of(c.Tool)));
        // Everything came on one day, still open: no day is written yet, and the open day's change is the whole tally,
        // so the trend chart ends where the tally stands.
        // (SQLite's open day: on PostgreSQL every day is written with its batch.)
        if (!app.Database.OnPostgres)
            Assert.Empty(connection.Query<string>("SELECT tool_slug FROM vote_days"));
        if (!app.Database.OnPostgres)
            Assert.All(counted, c => Assert.Equal((c.Ship, c.Skip), (app.Tallies.EntryOf(c.Tool)!.OpenShip, app.Tallies.EntryOf(c.Tool)!.OpenSkip)));

        // One more vote answers with the tally as it stands after its own commit.
        var (status, _, json) = await Vote(client, "alpha", "ship", null);
        Assert.Equal(HttpStatusCode.OK, status);
        var (ship, skip) = connection.QuerySingle<(long, long)>(
            "SELECT count(*) FILTER (WHERE choice = 'ship'), count(*) FILTER (WHERE choice = 'skip') FROM votes WHERE tool_slug = 'alpha'");
        var community = json!.Value.GetProperty("community");
        Assert.Equal((ship, skip), (community.GetProperty("ship").GetInt64(), community.GetProperty("skip").GetInt64()));
    }

    [Fact]
    public async Task Checkpoints_copy_the_votes_into_the_database_file_and_the_log_stays_bounded()
    {
        Assert.SkipWhen(PostgresServer.EverySite, "SQLite's write-ahead log: on PostgreSQL the votes are not in this file");
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        var writer = app.Services.GetRequiredService<VoteWriter>();
        string[] tools = ["alpha", "beta", "gamma"];
        var cast = 0;
        async Task VoteOnce()
        {
            var i = cast++;
            await writer.SubmitAsync(tools[i % tools.Length], $"voter-{i:D5}", i % 3 == 0 ? "skip" : "ship", newVoter: true, DateTimeOffset.UtcNow);
        }
        long LogFileBytes() => new FileInfo(app.DatabasePath + "-wal").Length;

        // A reader holding an old snapshot keeps every checkpoint, SQLite's own and the writer's, from copying past it,
        // so the log grows with every commit: one vote per commit, a page or two each, until it passes the limit.
        using (var reader = new SqliteConnection($"Data Source={app.DatabasePath};Pooling=false"))
        {
            reader.Open();
            using var snapshot = reader.BeginTransaction(deferred: true);
            reader.ExecuteScalar<long>("SELECT count(*) FROM votes", transaction: snapshot);
            while (LogFileBytes() <= Database.LogFileLimitBytes + 1024 * 1024 && cast < 20_000)
                await VoteOnce();
            Assert.True(LogFileBytes() > Database.LogFileLimitBytes, $"the log grew to only {LogFileBytes()} bytes");
        }

        // Once the reader has gone, a commit's checkpoint copies the whole log and the next commit starts it again from
        // the top, cutting its file back to the limit. The writer's own requests for a checkpoint do the same.
        var before = cast;
        while (LogFileBytes() > Database.LogFileLimitBytes && cast - before < 1000)
            await VoteOnce();
        Assert.InRange(LogFileBytes(), 1, Database.LogFileLimitBytes);

        using (var connection = app.Database.Open())
            Assert.Equal(cast, connection.ExecuteScalar<long>("SELECT count(*) FROM votes"));

        // The database file alone, without its log, comes to hold every vote: the periodic checkpoint (WalCheckpointer)
        // copies them there once the votes stop.
        var fileOnly = Path.Combine(content.Scratch, "file-only.db");
        long inFile = 0;
        for (var attempt = 0; attempt < 100 && inFile != cast; attempt++)
        {
            await Task.Delay(100);
            File.Copy(app.DatabasePath, fileOnly, overwrite: true);
            File.Delete(fileOnly + "-wal");
            try
            {
                using var copy = new SqliteConnection($"Data Source={fileOnly};Pooling=false");
                copy.Open();
                inFile = copy.ExecuteScalar<long>("SELECT count(*) FROM votes");
            }
            catch (SqliteException)
            {
                // Copied while a checkpoint was writing it; try again.
            }
        }
        Assert.Equal(cast, inFile);
        using (var copy = new SqliteConnection($"Data Source={fileOnly};Pooling=false"))
        {
            copy.Open();
            var skips = Enumerable.Range(0, cast).Count(i => i % 3 == 0);
            // The votes are what the tallies are counted from when the site starts.
            Assert.Equal(((long)cast - skips, (long)skips), copy.QuerySingle<(long, long)>("SELECT sum(choice = 'ship'), sum(choice = 'skip') FROM votes"));
        }
    }
}
