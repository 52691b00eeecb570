using System.Net;
using System.Text;
using Verdicts.Tests.Infrastructure;

namespace Verdicts.Tests.Security;

public sealed class RateLimitTests
{
    private static VerdictsApp App(TestContent content, string? trustedProxy = null) => new(content, new Dictionary<string, string?>
    {
        ["Verdicts:RateLimit:TokenLimit"] = "5",
        ["Verdicts:RateLimit:TokensPerPeriod"] = "1",
        ["Verdicts:RateLimit:PeriodSeconds"] = "3600",
        ["Verdicts:TrustedProxies:0"] = trustedProxy,
    });

    private static Task<HttpResponseMessage> Vote(HttpClient client, string address, string? forwardedFor = null, string path = "/tools/alpha/vote", string body = "choice=ship")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        request.Headers.Add("X-Test-Client-IP", address);
        if (forwardedFor is not null)
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        return client.SendAsync(request);
    }

    [Fact]
    public async Task Past_the_burst_one_address_gets_429_with_retry_after_and_others_are_unaffected()
    {
        using var content = TestContent.Sample();
        await using var app = App(content);
        var client = app.NoRedirects();

        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.SeeOther, (await Vote(client, "198.51.100.7")).StatusCode);
        using var limited = await Vote(client, "198.51.100.7");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.Contains("Try again in", await limited.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.SeeOther, (await Vote(client, "198.51.100.8")).StatusCode);
        Assert.Equal(HttpStatusCode.SeeOther, (await Vote(client, "2001:db8:1::1")).StatusCode);
    }

    [Fact]
    public async Task Ipv6_addresses_in_one_64_share_a_bucket()
    {
        using var content = TestContent.Sample();
        await using var app = App(content);
        var client = app.NoRedirects();

        for (var i = 1; i <= 5; i++)
            Assert.Equal(HttpStatusCode.SeeOther, (await Vote(client, $"2001:db8:aa:bb::{i}")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await Vote(client, "2001:db8:aa:bb:ffff::9")).StatusCode);
        Assert.Equal(HttpStatusCode.SeeOther, (await Vote(client, "2001:db8:aa:bc::1")).StatusCode);
    }

    [Fact]
    public async Task A_forged_forwarded_for_from_an_untrusted_peer_is_ignored()
    {
        using var content = TestContent.Sample();
        await using var app = App(content);
        var client = app.NoRedirects();

        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.SeeOther, (await Vote(client, "203.0.113.5", $"192.0.2.{i}")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await Vote(client, "203.0.113.5", "192.0.2.99")).StatusCode);
    }

    [Fact]
    public async Task A_configured_proxy_has_its_forwarded_for_honoured()
    {
        using var content = TestContent.Sample();
        await using var app = App(content, trustedProxy: "10.0.0.1");
        var client = app.NoRedirects();

        for (var i = 0; i < 20; i++)
            Assert.Equal(HttpStatusCode.SeeOther, (await Vote(client, "10.0.0.1", $"192.0.2.{i}")).StatusCode);
        for (var i = 0; i < 5; i++)
            await Vote(client, "10.0.0.1", "192.0.2.200");
        Assert.Equal(HttpStatusCode.TooManyRequests, (await Vote(client, "10.0.0.1", "192.0.2.200")).StatusCode);
    }

    [Fact]
    public async Task Sign_ups_share_the_limit()
    {
        using var content = TestContent.Sample();
        await using var app = App(content);
        var client = app.NoRedirects();
        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.SeeOther, (await Vote(client, "198.51.100.20", path: "/subscribe", body: $"email=a{i}%40example.com")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await Vote(client, "198.51.100.20", path: "/subscribe", body: "email=z%40example.com")).StatusCode);
    }

    [Fact]
    public async Task Votes_and_sign_ups_from_one_address_draw_on_one_bucket()
    {
        using var content = TestContent.Sample();
        await using var app = App(content);
        var client = app.NoRedirects();
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.SeeOther, (await Vote(client, "198.51.100.21")).StatusCode);
        Assert.Equal(HttpStatusCode.SeeOther, (await Vote(client, "198.51.100.21", path: "/subscribe", body: "email=b1%40example.com")).StatusCode);
        // Routing would take this path to the sign-up too, so it draws on the same bucket.
        Assert.Equal(HttpStatusCode.SeeOther, (await Vote(client, "198.51.100.21", path: "/Subscribe/", body: "email=b2%40example.com")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await Vote(client, "198.51.100.21")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await Vote(client, "198.51.100.21", path: "/subscribe", body: "email=c%40example.com")).StatusCode);
    }

    [Fact]
    public async Task Pages_and_other_requests_are_not_limited()
    {
        using var content = TestContent.Sample();
        await using var app = App(content);
        var client = app.NoRedirects();
        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.SeeOther, (await Vote(client, "198.51.100.22")).StatusCode);
        for (var i = 0; i < 10; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"/search?q=alpha{i}", UriKind.Relative));
            request.Headers.Add("X-Test-Client-IP", "198.51.100.22");
            using var page = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }
    }

    [Fact]
    public async Task The_limit_can_be_switched_off_for_load_tests()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content, new Dictionary<string, string?> { ["Verdicts:RateLimit:Disabled"] = "true", ["Verdicts:RateLimit:TokenLimit"] = "1" });
        var client = app.NoRedirects();
        for (var i = 0; i < 30; i++)
            Assert.Equal(HttpStatusCode.SeeOther, (await Vote(client, "198.51.100.30")).StatusCode);
    }
}
