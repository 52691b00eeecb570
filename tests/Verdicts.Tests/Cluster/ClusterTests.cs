using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Verdicts.Tests.Infrastructure;
using Verdicts.Web.Voting;

namespace Verdicts.Tests.Cluster;

/// <summary>
/// Issue 29's proof: two nodes on one PostgreSQL database and one content remote, behind nginx, stay in step. One
/// cluster serves the whole class; each scenario votes on or edits tools of its own (see <see cref="Infrastructure.Cluster"/>).
/// </summary>
public sealed class ClusterTests(Infrastructure.Cluster cluster) : IClassFixture<Infrastructure.Cluster>
{
    // The issue's promises, checked as deadlines while polling: "within 1 s" for a vote, "within 3 s" for a save.
    private static readonly TimeSpan VotePropagation = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan SavePropagation = TimeSpan.FromSeconds(3);
    // How long a node may take to see the database again, or to agree with it after a crash: generous, not a figure.
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(30);

    // The default vote limit per client address (Verdicts:RateLimit, not set by the cluster): a burst of 120.
    private const int DefaultVoteBurst = 120;

    [Fact]
    public async Task A_vote_through_node_A_shows_on_node_B_s_cached_comparison_page_within_a_second_fifty_times_in_a_row()
    {
        Infrastructure.Cluster.SkipIfMissing();
        using var voter = Infrastructure.Cluster.From(cluster.NodeA.BaseUrl, IPAddress.Parse("127.0.1.1"));
        using var reader = new HttpClient { BaseAddress = new Uri(cluster.NodeB.BaseUrl) };
        Assert.Equal(0, await VotesShown(reader, "alpha-or-beta", "alpha"));

        for (var n = 1; n <= 50; n++)
        {
            // Read twice, so the page is in node B's output cache when the vote lands on A.
            await VotesShown(reader, "alpha-or-beta", "alpha");
            await VotesShown(reader, "alpha-or-beta", "alpha");

            using var vote = await voter.SendAsync(Vote("alpha", n % 3 == 0 ? "skip" : "ship"));
            Assert.Equal(HttpStatusCode.OK, vote.StatusCode);

            var deadline = DateTime.UtcNow + VotePropagation;
            long shown;
            while ((shown = await VotesShown(reader, "alpha-or-beta", "alpha")) != n && DateTime.UtcNow < deadline)
                await Task.Delay(10);
            Assert.True(shown == n, $"vote {n} was acknowledged by node A, but a second later node B's comparison page still shows {shown} votes");
        }
        Assert.Empty(cluster.ServerErrors());
    }

    [Fact]
    public async Task Five_thousand_votes_over_both_nodes_while_node_A_is_killed_and_restarted_are_all_kept_and_counted_alike()
    {
        Infrastructure.Cluster.SkipIfMissing();
        const int Votes = 5000;
        const int KillAt = 1500;
        // Votes from here on wait until node A is back, so the restarted node takes its share too.
        const int AfterRestartFrom = 3500;
        string[] tools = ["gamma", "delta", "epsilon", "zeta"];
        // Distinct visitors (no cookies) from 249 loopback addresses through nginx, which forwards each address: about
        // 20 votes an address, well under the per-address limit, which stays on.
        var clients = Enumerable.Range(2, 249).Select(i => Infrastructure.Cluster.From(cluster.Proxy.BaseUrl, IPAddress.Parse($"127.0.0.{i}"))).ToArray();
        var seed = Random.Shared.Next();
        var random = new Random(seed);
        var choices = Enumerable.Range(0, Votes).Select(_ => random.Next(3) == 0 ? "skip" : "ship").ToArray();
        var acknowledged = new ConcurrentBag<(string Voter, string Tool, string Choice)>();
        var refused = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        Task? restart = null;
        var killing = new object();

        try
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, Votes), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, cancellation) =>
            {
                if (i == KillAt)
                {
                    lock (killing)
                    {
                        cluster.KillA();
                        restart = cluster.RestartAAsync();
                    }
                }
                if (i >= AfterRestartFrom)
                {
                    Task started;
                    lock (killing)
                        started = restart!;
                    await started;
                }
                var tool = tools[i % tools.Length];
                try
                {
                    using var response = await clients[i % clients.Length].SendAsync(Vote(tool, choices[i]), cancellation);
                    if (response.StatusCode == HttpStatusCode.OK)
                        acknowledged.Add((StoredVoter(response), tool, choices[i]));
                    else
                        refused.AddOrUpdate(((int)response.StatusCode).ToString(CultureInfo.InvariantCulture), 1, (_, n) => n + 1);
                }
                catch (HttpRequestException ex)
                {
                    refused.AddOrUpdate(ex.Message, 1, (_, n) => n + 1);
                }
            });
        }
        finally
        {
            foreach (var client in clients)
                client.Dispose();
        }

        var context = $"(seed {seed}; {acknowledged.Count} acknowledged; not acknowledged: {string.Join(", ", refused.Select(r => $"{r.Key} × {r.Value}"))})";
        // Those in flight when node A died may fail; nearly all must go through.
        Assert.True(acknowledged.Count >= Votes - 200, "too few votes acknowledged " + context);
        Assert.DoesNotContain("500", refused.Keys);

        using var postgres = cluster.OpenPostgres();
        var rows = (await postgres.QueryAsync<(string Voter, string Tool, string Choice)>(
            "SELECT voter, tool_slug, choice FROM votes WHERE tool_slug = ANY(@tools)", new { tools })).ToHashSet();
        var lost = acknowledged.Where(v => !rows.Contains(v)).ToList();
        Assert.True(lost.Count == 0, $"{lost.Count} acknowledged votes are not in PostgreSQL " + context);
        Assert.True(rows.Count <= Votes, $"{rows.Count} rows for {Votes} votes sent " + context);

        // Every tally on both nodes equals the rows, counted here by SQL.
        var counted = (await postgres.QueryAsync<(string Tool, long Ship, long Skip)>(
            "SELECT tool_slug, count(*) FILTER (WHERE choice = 'ship'), count(*) FILTER (WHERE choice = 'skip') FROM votes WHERE tool_slug = ANY(@tools) GROUP BY tool_slug",
            new { tools })).ToDictionary(t => t.Tool);
        foreach (var node in new[] { cluster.NodeA, cluster.NodeB })
        {
            using var api = new HttpClient { BaseAddress = new Uri(node.BaseUrl) };
            foreach (var tool in tools)
            {
                var expected = (counted[tool].Ship, counted[tool].Skip);
                var deadline = DateTime.UtcNow + Recovery;
                (long Ship, long Skip) tally;
                while ((tally = await Tally(api, tool)) != expected && DateTime.UtcNow < deadline)
                    await Task.Delay(50);
                Assert.True(tally == expected, $"{node.BaseUrl} counts {tally} for {tool}, PostgreSQL holds {expected} " + context);
            }
        }
        Assert.Empty(cluster.ServerErrors());
    }

    [Fact]
    public async Task An_admin_signed_in_through_A_saves_through_B_and_the_commit_shows_on_A_within_three_seconds()
    {
        Infrastructure.Cluster.SkipIfMissing();
        using var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
        using var viaA = new HttpClient(handler, disposeHandler: false) { BaseAddress = new Uri(cluster.NodeA.BaseUrl) };
        using var viaB = new HttpClient(handler, disposeHandler: false) { BaseAddress = new Uri(cluster.NodeB.BaseUrl) };
        await SignIn(viaA);
        var edited = TestContent.ToolText("Iota", tagline: "Saved through node B");

        using var saved = await viaB.Submit(await EditorForm(viaB, "tools/iota.md"), "Save", null, ("Text", edited));

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(edited, cluster.Git("show", "main:tools/iota.md"));
        Assert.Equal($"{AdminSession.Name}|Edit tools/iota.md", cluster.Git("log", "-1", "--format=%an|%s").Trim());
        var deadline = DateTime.UtcNow + SavePropagation;
        string page;
        while (!(page = await viaA.GetStringAsync(new Uri("/tools/iota", UriKind.Relative))).Contains("Saved through node B", StringComparison.Ordinal)
            && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        Assert.Contains("Saved through node B", page, StringComparison.Ordinal);
        Assert.Empty(cluster.ServerErrors());
    }

    [Fact]
    public async Task Of_two_saves_of_one_file_from_one_base_through_the_two_nodes_one_wins_and_the_other_gets_the_conflict_page()
    {
        Infrastructure.Cluster.SkipIfMissing();
        using var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
        using var viaA = new HttpClient(handler, disposeHandler: false) { BaseAddress = new Uri(cluster.NodeA.BaseUrl) };
        using var viaB = new HttpClient(handler, disposeHandler: false) { BaseAddress = new Uri(cluster.NodeB.BaseUrl) };
        await SignIn(viaB);
        var formA = await EditorForm(viaA, "tools/kappa.md");
        var formB = await EditorForm(viaB, "tools/kappa.md");
        var textA = TestContent.ToolText("Kappa", tagline: "Saved through node A");
        var textB = TestContent.ToolText("Kappa", tagline: "The Kappa tagline", body: "Saved through node B");

        // At once: the two pushes race for the remote.
        var answers = await Task.WhenAll(viaA.Submit(formA, "Save", null, ("Text", textA)), viaB.Submit(formB, "Save", null, ("Text", textB)));

        try
        {
            Assert.Equal(new[] { HttpStatusCode.Redirect, HttpStatusCode.Conflict }, answers.Select(a => a.StatusCode).Order());
            var (winner, loser) = answers[0].StatusCode == HttpStatusCode.Redirect ? (textA, textB) : (textB, textA);
            var conflict = Html.Parse(await answers.Single(a => a.StatusCode == HttpStatusCode.Conflict).Content.ReadAsStringAsync());
            Assert.Equal(winner, conflict.QuerySelector("pre.conflict")!.TextContent);
            Assert.Equal(loser, conflict.QuerySelector("textarea#Text")!.TextContent.TrimStart('\n'));
            Assert.Equal(winner, cluster.Git("show", "main:tools/kappa.md"));
        }
        finally
        {
            foreach (var answer in answers)
                answer.Dispose();
        }
        Assert.Empty(cluster.ServerErrors());
    }

    [Fact]
    public async Task A_client_alternating_between_the_nodes_gets_no_more_votes_than_from_one_node()
    {
        Infrastructure.Cluster.SkipIfMissing();
        using var oneA = Infrastructure.Cluster.From(cluster.NodeA.BaseUrl, IPAddress.Parse("127.0.1.3"));
        using var alternatingA = Infrastructure.Cluster.From(cluster.NodeA.BaseUrl, IPAddress.Parse("127.0.1.4"));
        using var alternatingB = Infrastructure.Cluster.From(cluster.NodeB.BaseUrl, IPAddress.Parse("127.0.1.4"));

        var fromOneNode = await AcceptedOf([oneA]);
        var alternating = await AcceptedOf([alternatingA, alternatingB]);

        // The burst, plus what the bucket refilled while the votes were sent (it refills evenly, a token a second by
        // default): a limit kept per node would let the alternating client through twice the burst.
        Assert.InRange(fromOneNode.Accepted, DefaultVoteBurst, DefaultVoteBurst + fromOneNode.Refilled);
        Assert.InRange(alternating.Accepted, DefaultVoteBurst, DefaultVoteBurst + alternating.Refilled);
        Assert.Empty(cluster.ServerErrors());

        // Eighty more than the burst, each from a new visitor, in turn through the given nodes: the 2xx answers, and the
        // most tokens the bucket can have refilled from the first request to the last answer, at the default 60 a minute.
        static async Task<(int Accepted, int Refilled)> AcceptedOf(HttpClient[] nodes)
        {
            var accepted = 0;
            var sending = System.Diagnostics.Stopwatch.StartNew();
            for (var i = 0; i < DefaultVoteBurst + 80; i++)
            {
                using var response = await nodes[i % nodes.Length].SendAsync(Vote("eta", "ship"));
                Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.TooManyRequests, $"vote {i}: {(int)response.StatusCode}");
                accepted += response.StatusCode == HttpStatusCode.OK ? 1 : 0;
            }
            return (accepted, (int)Math.Floor(sending.Elapsed.TotalSeconds * 60 / 60) + 1);
        }
    }

    [Fact]
    public async Task While_PostgreSQL_is_down_pages_are_served_and_votes_answer_503_and_afterwards_votes_go_through()
    {
        Infrastructure.Cluster.SkipIfMissing();
        using var viaA = Infrastructure.Cluster.From(cluster.NodeA.BaseUrl, IPAddress.Parse("127.0.1.2"));
        // An address each, so that retrying until the database is back stays under the vote limit.
        using var viaB = Infrastructure.Cluster.From(cluster.NodeB.BaseUrl, IPAddress.Parse("127.0.1.5"));
        using var viaProxy = Infrastructure.Cluster.From(cluster.Proxy.BaseUrl, IPAddress.Parse("127.0.1.6"));
        string[] pages = ["/", "/compare/alpha-or-beta", "/tools/theta", "/tools/lambda", "/api/tools/theta"];
        // Some pages read once before, so cached; /tools/lambda only while the database is down.
        foreach (var client in new[] { viaA, viaB })
        {
            foreach (var path in pages.Where(p => p != "/tools/lambda"))
                Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri(path, UriKind.Relative))).StatusCode);
        }

        cluster.Postgres!.Stop();
        try
        {
            for (var round = 0; round < 3; round++)
            {
                foreach (var client in new[] { viaA, viaB, viaProxy })
                {
                    foreach (var path in pages)
                    {
                        using var page = await client.GetAsync(new Uri(path, UriKind.Relative));
                        Assert.True(page.StatusCode == HttpStatusCode.OK, $"{client.BaseAddress}{path[1..]} answered {(int)page.StatusCode} while PostgreSQL was down");
                    }
                    using var vote = await client.SendAsync(Vote("theta", "ship"));
                    Assert.True(vote.StatusCode == HttpStatusCode.ServiceUnavailable, $"a vote through {client.BaseAddress} answered {(int)vote.StatusCode} while PostgreSQL was down");
                    Assert.NotNull(vote.Headers.RetryAfter);
                }
            }
        }
        finally
        {
            cluster.Postgres.Start();
        }

        foreach (var client in new[] { viaA, viaB })
        {
            var deadline = DateTime.UtcNow + Recovery;
            HttpStatusCode status;
            while (true)
            {
                using var vote = await client.SendAsync(Vote("theta", "skip"));
                status = vote.StatusCode;
                Assert.True(status is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, $"a vote through {client.BaseAddress} answered {(int)status} after PostgreSQL came back");
                if (status == HttpStatusCode.OK || DateTime.UtcNow > deadline)
                    break;
                await Task.Delay(300);
            }
            Assert.Equal(HttpStatusCode.OK, status);
        }
        using var postgres = cluster.OpenPostgres();
        Assert.Equal(2, await postgres.ExecuteScalarAsync<long>("SELECT count(*) FROM votes WHERE tool_slug = 'theta'"));
        Assert.Empty(cluster.ServerErrors());
    }

    private static HttpRequestMessage Vote(string tool, string choice)
    {
        var request = VoteRequest.Post(tool, choice);
        request.Headers.Accept.ParseAdd("application/json");
        return request;
    }

    /// <summary>
    /// The voter a vote is stored under, computed here from the visitor cookie the answer set: the id's first six bytes
    /// (its time) in hex, then the HMAC-SHA256 of the id under the voter key.
    /// </summary>
    private static string StoredVoter(HttpResponseMessage response)
    {
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("vid=", StringComparison.Ordinal));
        var id = cookie["vid=".Length..cookie.IndexOf('.', StringComparison.Ordinal)];
        var made = Base64Url.DecodeFromChars(id.AsSpan(0, 8));
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(Infrastructure.Cluster.VoterKey), Encoding.UTF8.GetBytes(id));
        return Convert.ToHexStringLower([.. made, .. mac]);
    }

    private static async Task<long> VotesShown(HttpClient client, string comparison, string tool)
    {
        var page = await client.GetPage($"/compare/{comparison}");
        return long.Parse(page.Metric("community-votes", tool)!, CultureInfo.InvariantCulture);
    }

    private static async Task<(long Ship, long Skip)> Tally(HttpClient client, string tool)
    {
        var json = await client.GetFromJsonAsync<ToolTally>(new Uri($"/api/tools/{tool}", UriKind.Relative), new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web));
        return (json!.Community.Ship, json.Community.Skip);
    }

    private sealed record ToolTally(CommunityJson Community);

    private static async Task SignIn(HttpClient client)
    {
        var form = await client.FormOn("/admin/login", "form.login-form");
        using var response = await client.PostForm(form, values: [("Name", AdminSession.Name), ("Password", AdminSession.Password)]);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    private static async Task<AngleSharp.Dom.IElement> EditorForm(HttpClient client, string path) =>
        (await client.GetPage($"/admin/content/{path}")).QuerySelector("form.editor-form")!;
}
