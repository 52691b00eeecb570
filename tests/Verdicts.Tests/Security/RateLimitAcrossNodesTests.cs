using System.Net;
using System.Text;
using Verdicts.Tests.Infrastructure;

namespace Verdicts.Tests.Security;

/// <summary>Two nodes on one PostgreSQL database and one clock, as behind a load balancer.</summary>
public sealed class TwoNodes : IAsyncLifetime
{
    public const int Burst = 5;
    public const int PerPeriod = 2;
    public const double PeriodSeconds = 3600;

    public TestClock Clock { get; } = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    public VerdictsApp A { get; private set; } = null!;

    public VerdictsApp B { get; private set; } = null!;

    public string Postgres { get; private set; } = "";

    private TestContent? contentA;
    private TestContent? contentB;

    /// <summary>The settings both nodes share, as in a deployment; a test may start a third node with others.</summary>
    public Dictionary<string, string?> Settings(params (string Name, string Password)[] admins)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Verdicts:Postgres"] = Postgres,
            // A period far longer than the test: nothing refills unless the test moves the clock.
            ["Verdicts:RateLimit:TokenLimit"] = Burst.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Verdicts:RateLimit:TokensPerPeriod"] = PerPeriod.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Verdicts:RateLimit:PeriodSeconds"] = PeriodSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        for (var i = 0; i < admins.Length; i++)
        {
            settings[$"Verdicts:Admins:{i}:Name"] = admins[i].Name;
            settings[$"Verdicts:Admins:{i}:PasswordHash"] = Hashes[admins[i].Password];
        }
        return settings;
    }

    // Hashed once: a new hash of the same password, with its own salt, is a changed password to the sessions.
    private static readonly Dictionary<string, string> Hashes = new[] { AdminSession.Password, "battery staple" }.ToDictionary(p => p, Web.Admin.AdminAccounts.Hash);

    public static readonly (string, string) Ada = (AdminSession.Name, AdminSession.Password);
    public static readonly (string, string) Bob = ("bob", "battery staple");

    public ValueTask InitializeAsync()
    {
        if (PostgresServer.Binaries() is null)
            return ValueTask.CompletedTask;
        Postgres = PostgresServer.Shared.CreateDatabase();
        contentA = TestContent.Sample();
        contentB = TestContent.Sample();
        A = new VerdictsApp(contentA, Settings(Ada, Bob)) { Clock = Clock };
        B = new VerdictsApp(contentB, Settings(Ada, Bob)) { Clock = Clock };
        return ValueTask.CompletedTask;
    }

    /// <summary>The nodes in turn, A first: a client whose requests a balancer spreads over both.</summary>
    public VerdictsApp Alternate(int i) => i % 2 == 0 ? A : B;

    public async ValueTask DisposeAsync()
    {
        if (A is not null)
            await A.DisposeAsync();
        if (B is not null)
            await B.DisposeAsync();
        contentA?.Dispose();
        contentB?.Dispose();
    }
}

/// <summary>The vote and sign-up limit holds across nodes: alternating between them gets a client exactly what one node gives.</summary>
public sealed class RateLimitAcrossNodesTests(TwoNodes nodes) : IClassFixture<TwoNodes>
{
    private static async Task<HttpResponseMessage> SendVote(VerdictsApp node, string address)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/tools/alpha/vote", UriKind.Relative))
        {
            Content = new StringContent("choice=ship", Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        request.Headers.Add("X-Test-Client-IP", address);
        return await node.NoRedirects().SendAsync(request);
    }

    private static async Task<HttpStatusCode> Vote(VerdictsApp node, string address)
    {
        using var response = await SendVote(node, address);
        return response.StatusCode;
    }

    private static async Task<HttpStatusCode> SignUp(VerdictsApp node, string email, string address)
    {
        var client = node.NoRedirects();
        var form = (await client.GetPage("/compare/alpha-or-beta")).QuerySelector(".newsletter form")!;
        using var response = await client.Submit(form, null, request => request.Headers.Add("X-Test-Client-IP", address), ("email", email));
        return response.StatusCode;
    }

    [Fact]
    public async Task A_client_alternating_nodes_gets_the_burst_of_one_node_then_the_refill_after_a_period()
    {
        PostgresServer.SkipIfMissing();
        const string Client = "198.51.100.20";
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < TwoNodes.Burst + 3; i++)
            answers.Add(await Vote(nodes.Alternate(i), Client));

        // The burst, then refusals, whichever node answers.
        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.SeeOther, TwoNodes.Burst), .. Enumerable.Repeat(HttpStatusCode.TooManyRequests, 3)], answers);
        // Another network is not held back by this one.
        Assert.Equal(HttpStatusCode.SeeOther, await Vote(nodes.B, "198.51.100.21"));

        // One period later: exactly one period's tokens, then refusals again.
        nodes.Clock.Now += TimeSpan.FromSeconds(TwoNodes.PeriodSeconds);
        answers.Clear();
        for (var i = 0; i < TwoNodes.PerPeriod + 2; i++)
            answers.Add(await Vote(nodes.Alternate(i + 1), Client));
        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.SeeOther, TwoNodes.PerPeriod), .. Enumerable.Repeat(HttpStatusCode.TooManyRequests, 2)], answers);
    }

    [Fact]
    public async Task Sign_ups_and_votes_share_the_bucket_across_nodes()
    {
        PostgresServer.SkipIfMissing();
        const string Client = "198.51.100.30";
        for (var i = 0; i < TwoNodes.Burst - 1; i++)
            Assert.Equal(HttpStatusCode.SeeOther, await Vote(nodes.Alternate(i), Client));
        Assert.Equal(HttpStatusCode.SeeOther, await SignUp(nodes.B, "reader@example.com", Client));
        Assert.Equal(HttpStatusCode.TooManyRequests, await SignUp(nodes.A, "other@example.com", Client));
    }

    [Fact]
    public async Task Buckets_of_clients_idle_for_a_full_refill_are_deleted()
    {
        PostgresServer.SkipIfMissing();
        for (var i = 0; i < 10; i++)
            Assert.Equal(HttpStatusCode.SeeOther, await Vote(nodes.Alternate(i), $"203.0.113.{i}"));
        using var connection = new Npgsql.NpgsqlConnection(nodes.Postgres);
        Assert.True(await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, "SELECT count(*) FROM rate_limits") >= 10);

        // Long enough for any bucket to be full again, which is what a missing row means.
        nodes.Clock.Now += TimeSpan.FromSeconds(TwoNodes.PeriodSeconds * TwoNodes.Burst / TwoNodes.PerPeriod + 60);
        Assert.Equal(HttpStatusCode.SeeOther, await Vote(nodes.A, "203.0.113.200"));

        Assert.Equal(["203.0.113.200"], await Dapper.SqlMapper.QueryAsync<string>(connection, "SELECT key FROM rate_limits"));
    }

    [Fact]
    public async Task While_PostgreSQL_is_down_a_limited_post_answers_503_with_retry_after_and_afterwards_is_counted_again()
    {
        PostgresServer.SkipIfMissing();
        // A server of its own, to stop: the port after the spare one when that is set, since PostgresTests may hold the spare meanwhile.
        using var server = new PostgresServer(int.TryParse(Environment.GetEnvironmentVariable("VERDICTS_TEST_POSTGRES_SPARE_PORT"), out var port) ? port + 1 : null);
        using var content = TestContent.Sample();
        await using var node = new VerdictsApp(content, new Dictionary<string, string?> { ["Verdicts:Postgres"] = server.CreateDatabase() });
        Assert.Equal(HttpStatusCode.SeeOther, await Vote(node, "198.51.100.50"));

        server.Stop();
        using (var refused = await SendVote(node, "198.51.100.50"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero, "no Retry-After while PostgreSQL is down");
            // The vote's own words, whichever of the limit and the vote writer found the database away.
            Assert.Contains("Nothing was recorded", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        server.Start();
        Assert.Equal(HttpStatusCode.SeeOther, await Vote(node, "198.51.100.50"));
        using var connection = new Npgsql.NpgsqlConnection(node.Postgres);
        Assert.Equal(1L, await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, "SELECT count(*) FROM rate_limits WHERE key = '198.51.100.50'"));
    }
}
