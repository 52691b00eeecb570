using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using Verdicts.Tests.Infrastructure;

namespace Verdicts.Tests.Voting;

public sealed class VoteDurabilityTests(ITestOutputHelper output)
{
    internal sealed record Acknowledged(string VisitorId, string Tool, string Choice);

    /// <summary>Sends votes from many new visitors until the server stops answering; returns those it acknowledged.</summary>
    internal static async Task<List<Acknowledged>> VoteUntilKilled(SiteProcess site, TimeSpan killAfter)
    {
        var acknowledged = new ConcurrentBag<Acknowledged>();
        using var client = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(10) };
        var tools = new[] { "alpha", "beta", "gamma" };
        using var stop = new CancellationTokenSource();
        var workers = Enumerable.Range(0, 16).Select(worker => Task.Run(async () =>
        {
            var random = new Random(worker);
            while (!stop.IsCancellationRequested)
            {
                var tool = tools[random.Next(tools.Length)];
                var choice = random.Next(2) == 0 ? "ship" : "skip";
                try
                {
                    using var response = await client.PostAsync(new Uri($"{site.BaseUrl}/tools/{tool}/vote"),
                        new StringContent($"choice={choice}", Encoding.UTF8, "application/x-www-form-urlencoded"));
                    if (response.StatusCode == HttpStatusCode.SeeOther)
                    {
                        var cookie = response.Headers.GetValues("Set-Cookie").Single();
                        // The cookie holds id.signature; the stored voter is made from the id.
                        acknowledged.Add(new Acknowledged(cookie.Split(';')[0]["vid=".Length..].Split('.')[0], tool, choice));
                    }
                }
                catch (HttpRequestException)
                {
                    return;
                }
                catch (TaskCanceledException)
                {
                    return;
                }
            }
        })).ToList();
        await Task.Delay(killAfter);
        site.Kill();
        await stop.CancelAsync();
        await Task.WhenAll(workers);
        return acknowledged.ToList();
    }

    internal static void AssertEveryAcknowledgedVoteIsStored(string databasePath, IReadOnlyCollection<Acknowledged> acknowledged)
    {
        using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=false");
        connection.Open();
        Assert.Equal("ok", connection.QuerySingle<string>("PRAGMA integrity_check"));
        var key = Convert.FromBase64String(connection.QuerySingle<string>("SELECT value FROM secrets WHERE name = 'voter-key'"));
        var stored = connection.Query<(string Tool, string Voter, string Choice)>("SELECT tool_slug, voter, choice FROM votes")
            .ToDictionary(v => (v.Tool, v.Voter), v => v.Choice);
        foreach (var vote in acknowledged)
        {
            // The time the id was made (its first 6 bytes) in hex, then the keyed hash of the whole id.
            var made = Convert.FromBase64String(vote.VisitorId.Replace('-', '+').Replace('_', '/'))[..6];
            var voter = Convert.ToHexStringLower(made) + Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(vote.VisitorId)));
            Assert.True(stored.TryGetValue((vote.Tool, voter), out var choice), $"acknowledged vote for {vote.Tool} is missing");
            Assert.Equal(vote.Choice, choice);
        }
    }

    /// <summary>Each tool's ship and skip votes, counted from the rows.</summary>
    private static Dictionary<string, (long Ship, long Skip)> Counted(string databasePath)
    {
        using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=false");
        connection.Open();
        return connection.Query<(string Tool, long Ship, long Skip)>(
            "SELECT tool_slug, sum(choice = 'ship'), sum(choice = 'skip') FROM votes GROUP BY tool_slug").ToDictionary(c => c.Tool, c => (c.Ship, c.Skip));
    }

    /// <summary>The community tally the site answers with for each tool, through its API.</summary>
    private static async Task AssertSiteShows(SiteProcess site, Dictionary<string, (long Ship, long Skip)> counted)
    {
        using var client = new HttpClient();
        foreach (var tool in new[] { "alpha", "beta", "gamma" })
        {
            using var json = JsonDocument.Parse(await client.GetStringAsync(new Uri($"{site.BaseUrl}/api/tools/{tool}")));
            var community = json.RootElement.GetProperty("community");
            Assert.Equal(counted.GetValueOrDefault(tool), (community.GetProperty("ship").GetInt64(), community.GetProperty("skip").GetInt64()));
        }
    }

    [Fact]
    public async Task Every_acknowledged_vote_survives_kills_at_random_points()
    {
        // On PostgreSQL: ClusterTests.Five_thousand_votes_over_both_nodes_while_node_A_is_killed_and_restarted_are_all_kept_and_counted_alike.
        Assert.SkipWhen(PostgresServer.EverySite, "SQLite's file, its log and its open day under kills: on PostgreSQL the votes are not written to it");
        using var content = TestContent.Sample();
        var database = Path.Combine(content.Scratch, "verdicts.db");
        // The kill points come from a seed in the test's output; VERDICTS_TEST_SEED replays them. Each round is a cold
        // start of the site (most of this test's time), so an ordinary run kills it five times and VERDICTS_TEST_FULL=1 twenty.
        var random = new Random(TestSeed.Choose());
        var rounds = TestSeed.Rounds(usual: 5, full: 20);
        var total = 0;
        for (var round = 0; round < rounds; round++)
        {
            var site = await SiteProcess.StartAsync(content, "--Verdicts:RateLimit:Disabled=true", "--Verdicts:WatchFiles=false");
            // The tallies are held in memory and the open day's changes were not written when the site was killed:
            // counted again from the votes on this start, they agree with the rows, nothing counted twice or lost.
            await AssertSiteShows(site, Counted(database));
            var acknowledged = await VoteUntilKilled(site, TimeSpan.FromMilliseconds(random.Next(50, 1500)));
            site.Dispose();
            AssertEveryAcknowledgedVoteIsStored(database, acknowledged);
            total += acknowledged.Count;
            output.WriteLine($"round {round + 1}: {acknowledged.Count} votes acknowledged before the kill, all stored");
        }
        Assert.True(total > 0, "no vote was acknowledged before the kills, so nothing was tested");

        // Stopped politely, the site writes the open day's changes, so the day totals alone add up to the votes.
        using (var site = await SiteProcess.StartAsync(content, "--Verdicts:WatchFiles=false"))
        {
            await AssertSiteShows(site, Counted(database));
            site.Terminate();
            Assert.True(site.WaitForExit(TimeSpan.FromSeconds(30)), "the site did not stop");
        }
        using var connection = new SqliteConnection($"Data Source={database};Pooling=false");
        connection.Open();
        var days = connection.Query<(string Tool, long Ship, long Skip)>("SELECT tool_slug, sum(ship), sum(skip) FROM vote_days GROUP BY tool_slug")
            .ToDictionary(d => d.Tool, d => (d.Ship, d.Skip));
        Assert.Equal(Counted(database).OrderBy(c => c.Key), days.Where(d => d.Value != (0, 0)).OrderBy(d => d.Key));
    }
}
