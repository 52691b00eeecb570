using System.Net;
using Dapper;
using Verdicts.Tests.Infrastructure;
using Verdicts.Web.Voting;

namespace Verdicts.Tests.Voting;

/// <summary>Visitor ids are issued and signed by the site; each vote keeps a keyed hash of the network it came from.</summary>
public sealed class VisitorTrustTests
{
    private static List<(string Tool, string Choice)> Rows(VerdictsApp app)
    {
        using var connection = app.Database.ReadWrites();
        return connection.Query<(string, string)>("SELECT tool_slug, choice FROM votes ORDER BY tool_slug, choice").ToList();
    }

    private static HttpClient Client(VerdictsApp app) =>
        app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

    [Fact]
    public async Task A_vote_whose_cookie_carries_an_id_the_site_did_not_issue_is_refused_and_writes_nothing()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        var client = Client(app);
        // 18 random bytes in base64url: exactly the shape of an id the site makes, but made by the client.
        var random = new Random(27);
        for (var i = 0; i < 3; i++)
        {
            var bytes = new byte[18];
            random.NextBytes(bytes);
            var forged = System.Buffers.Text.Base64Url.EncodeToString(bytes);
            Assert.Equal(24, forged.Length);
            using var response = await client.SendAsync(VoteRequest.Post("alpha", "ship", cookie: "vid=" + forged));

            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Contains("not issued by this site", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.False(response.Headers.Contains("Location"));
        }
        Assert.Empty(Rows(app));
        Assert.Equal(Tally.None, app.Tallies.Of("alpha"));
    }

    [Fact]
    public async Task A_genuine_id_with_its_signature_tampered_is_refused()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        var client = Client(app);
        using var first = await client.SendAsync(VoteRequest.Post("alpha", "ship"));
        var cookie = first.Headers.GetValues("Set-Cookie").Single().Split(';')[0];
        var tampered = cookie[..^2] + (cookie[^2] == 'A' ? "B" : "A") + cookie[^1];

        using var response = await client.SendAsync(VoteRequest.Post("beta", "ship", cookie: tampered));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal([("alpha", "ship")], Rows(app));
    }

    [Fact]
    public async Task A_visitor_without_a_cookie_gets_a_signed_id_and_votes_made_with_it_count()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        var client = Client(app);

        using var first = await client.SendAsync(VoteRequest.Post("alpha", "ship"));
        Assert.Equal(HttpStatusCode.SeeOther, first.StatusCode);
        var cookie = first.Headers.GetValues("Set-Cookie").Single().Split(';')[0];
        using var second = await client.SendAsync(VoteRequest.Post("alpha", "skip", cookie: cookie));
        using var third = await client.SendAsync(VoteRequest.Post("beta", "ship", cookie: cookie));

        Assert.Equal((HttpStatusCode.SeeOther, HttpStatusCode.SeeOther), (second.StatusCode, third.StatusCode));
        Assert.False(second.Headers.Contains("Set-Cookie"));
        Assert.Equal([("alpha", "skip"), ("beta", "ship")], Rows(app));
        Assert.Equal((new Tally(0, 1), new Tally(1, 0)), (app.Tallies.Of("alpha"), app.Tallies.Of("beta")));
    }

    [Fact]
    public async Task Each_vote_keeps_a_keyed_hash_of_its_network_the_same_within_a_slash_24_or_slash_64_and_never_the_address()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content, new Dictionary<string, string?> { ["Verdicts:RateLimit:Disabled"] = "true" });
        var client = Client(app);
        string[] addresses =
        [
            "203.0.113.5", "203.0.113.77", // one /24
            "203.0.114.5",                 // the next /24
            "2001:db8:1:2::1", "2001:db8:1:2:ffff:eeee:dddd:9", // one /64
            "2001:db8:1:3::1",             // the next /64
        ];
        using var connection = app.Database.ReadWrites();
        var networks = new List<string?>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var address in addresses)
        {
            using var response = await client.SendAsync(VoteRequest.Post("alpha", "ship", address));
            Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
            // Each vote is a new visitor's: its row is the one row added.
            var added = connection.Query<(string Voter, string? Network)>("SELECT voter, network FROM votes").ToList();
            Assert.Equal(networks.Count + 1, added.Count);
            networks.Add(added.Single(a => !seen.Contains(a.Voter)).Network);
            seen.UnionWith(added.Select(a => a.Voter));
        }
        Assert.Equal(addresses.Length, networks.Count);
        Assert.All(networks, n => Assert.False(string.IsNullOrEmpty(n)));
        Assert.Equal(networks[0], networks[1]);
        Assert.NotEqual(networks[0], networks[2]);
        Assert.Equal(networks[3], networks[4]);
        Assert.NotEqual(networks[3], networks[5]);
        Assert.NotEqual(networks[0], networks[3]);
        foreach (var address in addresses.Concat(["203.0.113", "203.0.114", "2001:db8:1:2", "cb0071", "20010db800010002"]))
            Assert.All(networks, n => Assert.DoesNotContain(address, n!, StringComparison.OrdinalIgnoreCase));
        var everything = string.Join('\n', connection.Query<string>("SELECT voter || ' ' || tool_slug || ' ' || voted_at || ' ' || network FROM votes"));
        foreach (var address in addresses)
            Assert.DoesNotContain(address, everything, StringComparison.OrdinalIgnoreCase);
    }
}
