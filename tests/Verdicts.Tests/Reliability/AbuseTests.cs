using System.Net;
using System.Text;
using Dapper;
using Verdicts.Tests.Infrastructure;
using Verdicts.Web.Voting;

namespace Verdicts.Tests.Reliability;

/// <summary>Anonymous abuse: integrity comes from the design (one row per visitor, limits per network), not accounts.</summary>
public sealed class AbuseTests
{
    // A refill period far longer than any test: no token comes back while one runs, so the counts are exact.
    private const int Burst = 120;

    private static readonly Dictionary<string, string?> Limits = new()
    {
        ["Verdicts:RateLimit:TokenLimit"] = Burst.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Verdicts:RateLimit:TokensPerPeriod"] = "60",
        ["Verdicts:RateLimit:PeriodSeconds"] = "3600",
    };

    private static T Scalar<T>(VerdictsApp app, string sql)
    {
        using var connection = app.Database.ReadWrites();
        return connection.QuerySingle<T>(sql);
    }

    [Fact]
    public async Task One_visitor_voting_a_thousand_times_is_one_row()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content, new Dictionary<string, string?> { ["Verdicts:RateLimit:Disabled"] = "true" });
        var client = app.NoRedirects();
        using var first = await client.SendAsync(VoteRequest.Post("alpha", "ship"));
        var cookie = first.Headers.GetValues("Set-Cookie").Single().Split(';')[0];

        for (var i = 0; i < 1000; i++)
        {
            using var response = await client.SendAsync(VoteRequest.Post("alpha", i % 2 == 0 ? "skip" : "ship", cookie: cookie));
            Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        }

        Assert.Equal(1, Scalar<long>(app, "SELECT count(*) FROM votes"));
        Assert.Equal("ship", Scalar<string>(app, "SELECT choice FROM votes"));
        Assert.Equal(new Tally(1, 0), app.Tallies.Of("alpha"));
    }

    [Theory]
    [InlineData("203.0.113.50", "203.0.113.{0}")]
    [InlineData("2001:db8:5:7::1", "2001:db8:5:6::{0:x}")]
    public async Task Ten_thousand_cookieless_votes_from_one_network_are_rate_limited_and_others_are_not(string other, string addressPattern)
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content, Limits);
        var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        // One IPv4 address, or many addresses inside one IPv6 /64: the same network either way.
        var sameNetwork = addressPattern.Contains(':', StringComparison.Ordinal);
        var accepted = 0;
        var limited = 0;
        string? retryAfter = null;
        for (var i = 0; i < 10_000; i++)
        {
            var address = sameNetwork ? string.Format(System.Globalization.CultureInfo.InvariantCulture, addressPattern, i + 2) : string.Format(System.Globalization.CultureInfo.InvariantCulture, addressPattern, 7);
            using var response = await client.SendAsync(VoteRequest.Post("alpha", "ship", address));
            if (response.StatusCode == HttpStatusCode.SeeOther)
                accepted++;
            else if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limited++;
                retryAfter ??= response.Headers.GetValues("Retry-After").Single();
            }
        }

        Assert.Equal(Burst, accepted);
        Assert.Equal(10_000 - Burst, limited);
        Assert.True(int.Parse(retryAfter!, System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.Equal(Burst, Scalar<long>(app, "SELECT count(*) FROM votes"));
        using var unaffected = await client.SendAsync(VoteRequest.Post("beta", "ship", other));
        Assert.Equal(HttpStatusCode.SeeOther, unaffected.StatusCode);
    }

    [Fact]
    public async Task A_newsletter_flood_from_one_address_is_cut_off_and_stores_at_most_the_burst()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content, Limits);
        var client = app.NoRedirects();
        var accepted = 0;
        var limited = 0;
        for (var i = 0; i < 1000; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/subscribe", UriKind.Relative))
            {
                Content = new StringContent($"email=flood{i}%40example.com", Encoding.UTF8, "application/x-www-form-urlencoded"),
            };
            request.Headers.Add("X-Test-Client-IP", "198.51.100.77");
            using var response = await client.SendAsync(request);
            if (response.StatusCode == HttpStatusCode.SeeOther)
                accepted++;
            else if (response.StatusCode == HttpStatusCode.TooManyRequests)
                limited++;
        }

        Assert.Equal(Burst, accepted);
        Assert.Equal(1000 - Burst, limited);
        using (var connection = app.Database.ReadWrites())
            Assert.Equal(Burst, connection.ExecuteScalar<long>("SELECT count(*) FROM subscribers"));
        Assert.Equal(Burst, (await app.DeliveredMail()).Count);
    }
}
