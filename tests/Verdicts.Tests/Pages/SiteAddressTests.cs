using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Verdicts.Tests.Infrastructure;

namespace Verdicts.Tests.Pages;

/// <summary>Canonical links, og:url, the feed, the sitemap and robots.txt name the configured site, never the request's Host.</summary>
public sealed class SiteAddressTests
{
    private static readonly string[] Paths = ["/", "/compare/alpha-or-beta", "/tools/alpha", "/feed.xml", "/sitemap.xml", "/robots.txt"];

    private static HttpClient FromEvilHost(VerdictsApp app) =>
        app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://evil.example") });

    [Fact]
    public async Task With_a_site_address_every_absolute_link_is_on_it_whatever_host_the_request_names()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content, new Dictionary<string, string?> { ["Verdicts:SiteUrl"] = "https://verdicts.example" });
        var client = FromEvilHost(app);

        foreach (var path in Paths)
        {
            var body = await client.GetStringAsync(new Uri(path, UriKind.Relative));
            Assert.DoesNotContain("evil.example", body, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("https://verdicts.example/", body, StringComparison.Ordinal);
        }
        var page = await client.GetPage("/compare/alpha-or-beta");
        Assert.Equal("https://verdicts.example/compare/alpha-or-beta", page.QuerySelector("link[rel=canonical]")?.GetAttribute("href"));
        Assert.Equal("https://verdicts.example/compare/alpha-or-beta", page.QuerySelector("meta[property='og:url']")?.GetAttribute("content"));
    }

    [Fact]
    public async Task Without_a_site_address_links_are_relative_or_left_out_and_never_name_the_requests_host()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content, new Dictionary<string, string?> { ["Verdicts:SiteUrl"] = "" });
        var client = FromEvilHost(app);

        foreach (var path in Paths)
        {
            using var response = await client.Get(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.DoesNotContain("evil.example", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        }
        var page = await client.GetPage("/tools/alpha");
        Assert.Equal("/tools/alpha", page.QuerySelector("link[rel=canonical]")?.GetAttribute("href"));
        Assert.Null(page.QuerySelector("meta[property='og:url']"));
        Assert.DoesNotContain("Sitemap:", await client.GetStringAsync(new Uri("/robots.txt", UriKind.Relative)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("verdicts.example")]
    [InlineData("https://verdicts.example/?q=<x>")]
    public async Task A_site_address_that_is_not_an_http_address_stops_the_start(string siteUrl)
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content, new Dictionary<string, string?> { ["Verdicts:SiteUrl"] = siteUrl });
        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => app.CreateClient());
        Assert.Contains("Verdicts:SiteUrl", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_real_server_without_a_site_address_warns_at_start_and_builds_nothing_from_a_forged_host()
    {
        using var content = TestContent.Sample();
        using var site = await SiteProcess.StartAsync(content, "--Verdicts:SiteUrl=");
        using var client = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(30) };

        await VerdictsApp.Eventually(() => Task.FromResult(site.Output.Any(l => l.Contains("Verdicts:SiteUrl is not set", StringComparison.Ordinal))),
            "the site warns that it has no public address");

        using var page = new HttpRequestMessage(HttpMethod.Get, new Uri(site.BaseUrl + "/compare/alpha-or-beta"));
        page.Headers.Host = "evil.example";
        using var pageResponse = await client.SendAsync(page);
        Assert.Equal(HttpStatusCode.OK, pageResponse.StatusCode);
        Assert.DoesNotContain("evil.example", await pageResponse.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);

        using var signUp = new HttpRequestMessage(HttpMethod.Post, new Uri(site.BaseUrl + "/subscribe"))
        {
            Content = new FormUrlEncodedContent([new("email", "victim@example.com")]),
        };
        signUp.Headers.Host = "evil.example";
        using var signUpResponse = await client.SendAsync(signUp);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, signUpResponse.StatusCode);
        Assert.False(Directory.Exists(Path.Combine(content.Scratch, "mail")) && Directory.EnumerateFiles(Path.Combine(content.Scratch, "mail")).Any());
    }
}
