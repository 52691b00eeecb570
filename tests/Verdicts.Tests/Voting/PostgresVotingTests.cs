using System.Globalization;
using System.Net;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Verdicts.Tests.Infrastructure;
using Verdicts.Web.Voting;

namespace Verdicts.Tests.Voting;

/// <summary>
/// Two nodes, each with its own content folder and SQLite file, writing votes to one PostgreSQL database: a vote through
/// either is in both nodes' tallies and cached pages; renames and withdrawals move and delete the shared rows.
/// </summary>
public sealed class PostgresVotingTests(PostgresVotingTests.TwoNodes nodes) : IClassFixture<PostgresVotingTests.TwoNodes>
{
    /// <summary>One database and one pair of nodes for the class; each test votes on tools of its own.</summary>
    public sealed class TwoNodes : IAsyncDisposable
    {
        private readonly Lazy<(string Postgres, TestContent ContentA, TestContent ContentB, VerdictsApp A, VerdictsApp B)> started = new(() =>
        {
            var postgres = PostgresServer.Shared.CreateDatabase();
            var settings = new Dictionary<string, string?> { ["Verdicts:Postgres"] = postgres };
            TestContent Content() => TestContent.Sample().Tool("delta", "Delta").Tool("epsilon", "Epsilon").Tool("zeta", "Zeta");
            var (contentA, contentB) = (Content(), Content());
            var (a, b) = (new VerdictsApp(contentA, settings), new VerdictsApp(contentB, settings));
            _ = a.Server;
            _ = b.Server;
            return (postgres, contentA, contentB, a, b);
        });

        // Made on first use, so a run without PostgreSQL skips (PostgresServer.Shared) rather than failing the fixture.
        public string Postgres => started.Value.Postgres;
        public VerdictsApp A => started.Value.A;
        public VerdictsApp B => started.Value.B;
        public TestContent ContentA => started.Value.ContentA;

        public async ValueTask DisposeAsync()
        {
            if (!started.IsValueCreated)
                return;
            await started.Value.A.DisposeAsync();
            await started.Value.B.DisposeAsync();
            started.Value.ContentA.Dispose();
            started.Value.ContentB.Dispose();
        }
    }

    // No cookie jar: every vote without a cookie given is a new visitor's.
    private static HttpClient Anonymous(VerdictsApp app) =>
        app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

    private static async Task<HttpResponseMessage> Vote(HttpClient client, string tool, string choice, string? cookie = null)
    {
        using var request = VoteRequest.Post(tool, choice, cookie: cookie);
        request.Headers.Add("Accept", "application/json");
        return await client.SendAsync(request);
    }

    private static string CookieOf(HttpResponseMessage response) =>
        string.Join("; ", response.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));

    /// <summary>Each tool's ship and skip counts, and the sum of its days, as PostgreSQL holds them, counted here.</summary>
    private static async Task<Dictionary<string, (long Ship, long Skip, long DaysShip, long DaysSkip)>> Counted(string postgres)
    {
        await using var connection = new NpgsqlConnection(postgres);
        var votes = (await connection.QueryAsync<(string Tool, string Choice, long Count)>(
            "SELECT tool_slug, choice, count(*) FROM votes GROUP BY tool_slug, choice")).ToList();
        var days = (await connection.QueryAsync<(string Tool, decimal Ship, decimal Skip)>(
            "SELECT tool_slug, sum(ship), sum(skip) FROM vote_days GROUP BY tool_slug")).ToDictionary(d => d.Tool);
        return votes.Select(v => v.Tool).Concat(days.Keys).Distinct().ToDictionary(tool => tool, tool => (
            votes.Where(v => v.Tool == tool && v.Choice == "ship").Sum(v => v.Count),
            votes.Where(v => v.Tool == tool && v.Choice == "skip").Sum(v => v.Count),
            (long)days.GetValueOrDefault(tool).Ship, (long)days.GetValueOrDefault(tool).Skip));
    }

    private static async Task AssertEveryTallyIsTheRows(string postgres, params VerdictsApp[] apps)
    {
        foreach (var (tool, count) in await Counted(postgres))
        {
            Assert.Equal((count.Ship, count.Skip), (count.DaysShip, count.DaysSkip));
            foreach (var app in apps)
                await VerdictsApp.Eventually(() => Task.FromResult(app.Tallies.Of(tool) == new Tally(count.Ship, count.Skip)),
                    $"a node's tally of {tool} is {count.Ship} ship and {count.Skip} skip");
        }
    }

    [Fact]
    public async Task A_vote_through_one_node_shows_in_the_other_nodes_tally_and_its_cached_comparison_page()
    {
        using var throughA = Anonymous(nodes.A);
        using var throughB = Anonymous(nodes.B);
        // Cached on B before the vote.
        var before = await throughB.GetPage("/compare/alpha-or-beta");
        Assert.Equal("no votes yet", before.QuerySelector("[data-metric='community-votes'][data-tool='alpha']").Text());

        using (var vote = await Vote(throughA, "alpha", "ship"))
            Assert.Equal(HttpStatusCode.OK, vote.StatusCode);

        await VerdictsApp.Eventually(async () => (await throughB.GetPage("/compare/alpha-or-beta")).Metric("community-votes", "alpha") == "1",
            "B's comparison page shows the vote cast through A");
        Assert.Equal(new Tally(1, 0), nodes.B.Tallies.Of("alpha"));
        await AssertEveryTallyIsTheRows(nodes.Postgres, nodes.A, nodes.B);
    }

    [Fact]
    public async Task A_vote_changed_through_one_node_and_cleared_through_the_other_is_changed_and_cleared_on_both()
    {
        using var throughA = Anonymous(nodes.A);
        using var throughB = Anonymous(nodes.B);
        string cookie;
        using (var first = await Vote(throughA, "beta", "ship"))
            cookie = CookieOf(first);
        using (var other = await Vote(throughB, "beta", "skip"))
            Assert.Equal(HttpStatusCode.OK, other.StatusCode);

        // The same visitor, now through B: their vote changes, it is not counted twice.
        using (var changed = await Vote(throughB, "beta", "skip", cookie))
            Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        await VerdictsApp.Eventually(() => Task.FromResult(nodes.A.Tallies.Of("beta") == new Tally(0, 2)), "A counts the changed vote");
        await AssertEveryTallyIsTheRows(nodes.Postgres, nodes.A, nodes.B);

        using (var cleared = await Vote(throughA, "beta", "clear", cookie))
            Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
        Assert.Equal(new Tally(0, 1), nodes.A.Tallies.Of("beta"));
        await VerdictsApp.Eventually(() => Task.FromResult(nodes.B.Tallies.Of("beta") == new Tally(0, 1)), "B counts the cleared vote");
        await using var connection = new NpgsqlConnection(nodes.Postgres);
        Assert.Equal(1L, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM votes WHERE tool_slug = 'beta'"));
        await AssertEveryTallyIsTheRows(nodes.Postgres, nodes.A, nodes.B);
    }

    [Fact]
    public async Task A_renamed_tool_takes_its_votes_in_PostgreSQL_and_both_nodes_count_them_under_the_new_slug()
    {
        using var throughA = Anonymous(nodes.A);
        using var throughB = Anonymous(nodes.B);
        foreach (var (client, choice) in new[] { (throughA, "ship"), (throughB, "ship"), (throughB, "skip") })
        {
            using var vote = await Vote(client, "delta", choice);
            Assert.Equal(HttpStatusCode.OK, vote.StatusCode);
        }

        var generation = nodes.A.Reloader.Generation;
        nodes.ContentA.Delete("tools/delta.md").Tool("delta-two", "Delta Two", extra: "aliases: [delta]\n");
        await nodes.A.WaitForReloadAfter(generation);
        await VerdictsApp.Eventually(() => Task.FromResult(nodes.A.Tallies.Of("delta-two") == new Tally(2, 1)), "A counts the votes under the new slug");

        await using var connection = new NpgsqlConnection(nodes.Postgres);
        Assert.Equal(0L, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM votes WHERE tool_slug = 'delta'"));
        Assert.Equal(3L, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM votes WHERE tool_slug = 'delta-two'"));
        await VerdictsApp.Eventually(() => Task.FromResult(nodes.B.Tallies.Of("delta-two") == new Tally(2, 1) && nodes.B.Tallies.Of("delta") == Tally.None),
            "B counts the moved votes");
        await AssertEveryTallyIsTheRows(nodes.Postgres, nodes.A, nodes.B);
    }

    [Fact]
    public async Task A_withdrawal_deletes_the_rows_in_PostgreSQL_and_both_nodes_count_them_off()
    {
        using var throughA = Anonymous(nodes.A);
        using var throughB = Anonymous(nodes.B);
        var from = DateTime.UtcNow.AddMinutes(-1);
        foreach (var client in new[] { throughA, throughB, throughA, throughB })
        {
            using var vote = await Vote(client, "epsilon", "ship");
            Assert.Equal(HttpStatusCode.OK, vote.StatusCode);
        }
        await VerdictsApp.Eventually(() => Task.FromResult(nodes.B.Tallies.Of("epsilon") == new Tally(4, 0)), "B counts the four votes");

        var deleted = await nodes.B.Services.GetRequiredService<VoteWriter>().WithdrawAsync(new VoteWriter.VoteFilter("epsilon", null,
            from.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture), DateTime.UtcNow.AddMinutes(1).ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture)), (_, _) => { });

        Assert.Equal(4, deleted);
        await using var connection = new NpgsqlConnection(nodes.Postgres);
        Assert.Equal(0L, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM votes WHERE tool_slug = 'epsilon'"));
        await VerdictsApp.Eventually(() => Task.FromResult(nodes.A.Tallies.Of("epsilon") == Tally.None), "A counts the withdrawn votes off");
        Assert.Equal("no votes yet", (await throughA.GetPage("/tools/epsilon")).QuerySelector("[data-metric='community-votes'][data-tool='epsilon']").Text());
        await AssertEveryTallyIsTheRows(nodes.Postgres, nodes.A, nodes.B);
    }

    [Fact]
    public async Task While_PostgreSQL_is_down_votes_answer_503_pages_stay_up_and_both_nodes_recover_by_themselves()
    {
        PostgresServer.SkipIfMissing();
        using var server = new PostgresServer();
        var postgres = server.CreateDatabase();
        var settings = new Dictionary<string, string?> { ["Verdicts:Postgres"] = postgres };
        using var contentA = TestContent.Sample();
        using var contentB = TestContent.Sample();
        await using var a = new VerdictsApp(contentA, settings);
        await using var b = new VerdictsApp(contentB, settings);
        using var throughA = Anonymous(a);
        using var throughB = Anonymous(b);
        using (var vote = await Vote(throughA, "gamma", "ship"))
            Assert.Equal(HttpStatusCode.OK, vote.StatusCode);
        await VerdictsApp.Eventually(() => Task.FromResult(b.Tallies.Of("gamma") == new Tally(1, 0)), "B counts the first vote");

        server.Stop();
        foreach (var client in new[] { throughA, throughB })
        {
            using (var refused = await Vote(client, "gamma", "skip"))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
                Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero, "no Retry-After on the refused vote");
                Assert.Contains("Nothing was recorded", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
            using var form = VoteRequest.Post("gamma", "ship");
            using (var refusedForm = await client.SendAsync(form))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, refusedForm.StatusCode);
                Assert.Contains("Nothing was recorded", await refusedForm.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
            foreach (var page in new[] { "/", "/compare/alpha-or-beta", "/tools/gamma", "/tools/alpha" })
                await client.GetPage(page);
        }
        Assert.Equal(new Tally(1, 0), a.Tallies.Of("gamma"));

        server.Start();
        // The node takes votes again without a restart, and the other hears of them once its listener is back.
        await VerdictsApp.Eventually(async () =>
        {
            using var vote = await Vote(throughA, "gamma", "skip");
            return vote.StatusCode == HttpStatusCode.OK;
        }, "A takes votes again", TimeSpan.FromSeconds(30));
        await VerdictsApp.Eventually(() => Task.FromResult(b.Tallies.Of("gamma") == new Tally(1, 1)), "B counts the vote cast after the outage",
            TimeSpan.FromSeconds(30));
        using (var throughBAgain = await Vote(throughB, "gamma", "ship"))
            Assert.Equal(HttpStatusCode.OK, throughBAgain.StatusCode);
        await AssertEveryTallyIsTheRows(postgres, a, b);
    }
}
