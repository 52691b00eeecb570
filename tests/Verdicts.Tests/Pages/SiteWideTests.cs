using System.Net;
using System.Text.Json;
using System.Xml.Linq;
using Dapper;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Verdicts.Tests.Infrastructure;

namespace Verdicts.Tests.Pages;

/// <summary>What holds for the site as a whole: feeds, API, drafts, errors, headers and caching.</summary>
public sealed class SiteWideTests
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";
    private static readonly XNamespace Sitemap = "http://www.sitemaps.org/schemas/sitemap/0.9";

    private static TestContent WithDrafts() => TestContent.Sample()
        .Comparison("older", ["alpha", "gamma"], "2026-01-05")
        .Tool("secret", "Secret Sauce", tagline: "Unreleased thing", extra: "draft: true\n")
        .Verdict("secret", "ada")
        .Comparison("unannounced", ["alpha", "gamma"], "2026-09-09", extra: "draft: true\n");

    [Fact]
    public async Task The_atom_feed_lists_published_comparisons_newest_first()
    {
        using var content = WithDrafts();
        await using var app = new VerdictsApp(content);
        using var response = await app.CreateClient().Get("/feed.xml");
        Assert.Equal("application/atom+xml", response.Content.Headers.ContentType?.MediaType);
        var feed = XDocument.Parse(await response.Content.ReadAsStringAsync());

        var entries = feed.Root!.Elements(Atom + "entry").ToList();
        Assert.Equal(["Alpha vs Beta", "Alpha vs Gamma"], entries.Select(e => e.Element(Atom + "title")!.Value));
        Assert.Equal("http://localhost/compare/alpha-or-beta", entries[0].Element(Atom + "link")!.Attribute("href")!.Value);
        Assert.Equal("2026-03-01T00:00:00Z", entries[0].Element(Atom + "published")!.Value);
    }

    [Fact]
    public async Task The_sitemap_lists_every_public_page_and_no_draft()
    {
        using var content = WithDrafts();
        await using var app = new VerdictsApp(content);
        var sitemap = XDocument.Parse(await app.CreateClient().GetStringAsync(new Uri("/sitemap.xml", UriKind.Relative)));
        var paths = sitemap.Root!.Elements(Sitemap + "url").Select(u => new Uri(u.Element(Sitemap + "loc")!.Value).AbsolutePath).Order(StringComparer.Ordinal);

        Assert.Equal([
            "/", "/categories", "/categories/developer-tools", "/categories/inference-runtimes", "/compare/alpha-or-beta", "/compare/older",
            "/reviewers/ada", "/reviewers/bo", "/tools/alpha", "/tools/beta", "/tools/gamma",
        ], paths);
    }

    [Fact]
    public async Task Robots_and_health_answer_plain_text()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        var robots = await app.CreateClient().GetStringAsync(new Uri("/robots.txt", UriKind.Relative));
        Assert.Contains("Sitemap: http://localhost/sitemap.xml", robots, StringComparison.Ordinal);
        Assert.Contains("Disallow: /admin", robots, StringComparison.Ordinal);
        Assert.Equal("ok: 3 tools", (await app.CreateClient().GetStringAsync(new Uri("/healthz", UriKind.Relative))).Trim());
    }

    [Fact]
    public async Task The_health_check_asks_the_database_on_every_request_never_the_page_cache()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        var client = app.CreateClient();
        Assert.Equal("ok: 3 tools", (await client.GetStringAsync(new Uri("/healthz", UriKind.Relative))).Trim());

        // Changed behind the site's back: no reload, so nothing evicts a cached answer.
        long tools;
        using (var connection = app.Database.Open())
        {
            connection.Execute("PRAGMA foreign_keys = OFF; DELETE FROM tools WHERE slug = 'gamma'");
            tools = connection.ExecuteScalar<long>("SELECT count(*) FROM tools");
        }

        using var response = await client.Get("/healthz");
        Assert.Equal($"ok: {tools} tools", (await response.Content.ReadAsStringAsync()).Trim());
        Assert.False(response.Headers.Contains("Age"), "the health check was answered from the page cache");
    }

    [Fact]
    public async Task Every_address_that_answers_get_answers_head_alike()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        // Every endpoint the site maps that takes GET also takes HEAD (HTTP requires it of a general-purpose server).
        var takesGetOnly = app.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .Select(e => (name: e.DisplayName, methods: e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods))
            .Where(e => e.methods is { } methods && methods.Contains("GET") && !methods.Contains("HEAD"))
            .Select(e => e.name);
        Assert.Empty(takesGetOnly);

        var client = app.CreateClient();
        foreach (var path in new[] { "/feed.xml", "/sitemap.xml", "/robots.txt", "/healthz", "/api/tools", "/api/tools/alpha", "/api/comparisons",
            "/api/compare/alpha-vs-gamma", "/api/reviewers/ada", "/api/search?q=alp", "/api/tool-names", "/openapi/v1.json", "/votes/mine", "/tools/alpha" })
        {
            using var get = await client.Get(path);
            using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, new Uri(path, UriKind.Relative)));
            // The body is left out by Kestrel, not by the site: Security/KestrelRejectionsTests checks that over a socket.
            Assert.True(get.StatusCode == head.StatusCode, $"{path}: GET {(int)get.StatusCode}, HEAD {(int)head.StatusCode}");
            Assert.Equal(get.Content.Headers.ContentType?.MediaType, head.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task The_tool_api_returns_the_figures_with_nulls_where_nothing_was_counted()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        app.CastVotes("beta", ship: 5, skip: 2);
        var client = app.CreateClient();

        using var beta = JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/tools/beta", UriKind.Relative)));
        var root = beta.RootElement;
        Assert.Equal(("beta", "Beta", "Developer Tools", "The second tool"), (root.GetProperty("slug").GetString(), root.GetProperty("name").GetString(),
            root.GetProperty("category").GetString(), root.GetProperty("tagline").GetString()));
        Assert.Equal("$20/mo", root.GetProperty("pricing").GetProperty("entry").GetString());
        Assert.Equal((1, 1, int.Parse(Html.Percent(1, 2), System.Globalization.CultureInfo.InvariantCulture)),
            (root.GetProperty("panel").GetProperty("ship").GetInt32(), root.GetProperty("panel").GetProperty("skip").GetInt32(), root.GetProperty("panel").GetProperty("percent").GetInt32()));
        // Seven votes are too few for a share (issue 30): the counts, and null share and range.
        Assert.Equal((5, 2, 7, JsonValueKind.Null, JsonValueKind.Null),
            (root.GetProperty("community").GetProperty("ship").GetInt32(), root.GetProperty("community").GetProperty("skip").GetInt32(),
             root.GetProperty("community").GetProperty("n").GetInt32(), root.GetProperty("community").GetProperty("percent").ValueKind,
             root.GetProperty("community").GetProperty("interval").ValueKind));

        using var gamma = JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/tools/gamma", UriKind.Relative)));
        Assert.Equal(JsonValueKind.Null, gamma.RootElement.GetProperty("panel").GetProperty("percent").ValueKind);
        Assert.Equal(JsonValueKind.Null, gamma.RootElement.GetProperty("community").GetProperty("percent").ValueKind);
    }

    [Fact]
    public async Task The_comparison_api_lists_its_tools_in_order()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        using var json = JsonDocument.Parse(await app.CreateClient().GetStringAsync(new Uri("/api/comparisons/alpha-or-beta", UriKind.Relative)));
        Assert.Equal("Alpha vs Beta", json.RootElement.GetProperty("title").GetString());
        Assert.Equal(["alpha", "beta"], json.RootElement.GetProperty("tools").EnumerateArray().Select(t => t.GetProperty("slug").GetString()));
        Assert.Equal(100, json.RootElement.GetProperty("tools")[0].GetProperty("panel").GetProperty("percent").GetInt32());
    }

    [Theory]
    [InlineData("/api/tools/secret")]
    [InlineData("/api/tools/nope")]
    [InlineData("/api/comparisons/unannounced")]
    public async Task The_api_answers_404_for_unknown_and_draft_items(string path)
    {
        using var content = WithDrafts();
        await using var app = new VerdictsApp(content);
        using var response = await app.CreateClient().Get(path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Drafts_never_appear_on_pages_in_links_search_or_feeds()
    {
        using var content = WithDrafts();
        await using var app = new VerdictsApp(content);
        var client = app.CreateClient();
        foreach (var path in new[] { "/", "/tools/alpha", "/categories/developer-tools", "/reviewers/ada", "/search?q=secret", "/search?q=unreleased", "/feed.xml", "/sitemap.xml", "/compare/alpha-or-beta" })
        {
            var body = await client.GetStringAsync(new Uri(path, UriKind.Relative));
            foreach (var draft in new[] { "Secret Sauce", "Unreleased thing", "/tools/secret", "/compare/unannounced" })
                Assert.DoesNotContain(draft, body, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task Unknown_addresses_get_a_helpful_404_page()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        var page = await app.CreateClient().GetPage("/no/such/page", HttpStatusCode.NotFound);
        Assert.NotNull(page.QuerySelector("form[action='/search']"));
        Assert.Contains("/compare/alpha-or-beta", page.QuerySelectorAll("main a").Select(a => a.GetAttribute("href")));
    }

    [Fact]
    public async Task A_server_error_shows_a_500_page_without_details()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        var client = app.CreateClient();
        _ = await client.GetPage("/");
        using (var connection = app.Database.Open())
            connection.Execute("ALTER TABLE reviewers RENAME TO reviewers_gone");

        using var response = await client.Get("/reviewers/ada");
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("Something went wrong on our side", body, StringComparison.Ordinal);
        foreach (var leak in new[] { "SqliteException", "no such table", "reviewers_gone", "at Verdicts", "/tmp/", "SELECT" })
            Assert.DoesNotContain(leak, body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/", HttpStatusCode.OK)]
    [InlineData("/compare/alpha-or-beta", HttpStatusCode.OK)]
    [InlineData("/nope", HttpStatusCode.NotFound)]
    [InlineData("/compare?a=alpha&b=alpha", HttpStatusCode.BadRequest)]
    [InlineData("/tools/alpha-classic", HttpStatusCode.MovedPermanently)]
    [InlineData("/css/site.css", HttpStatusCode.OK)]
    [InlineData("/feed.xml", HttpStatusCode.OK)]
    [InlineData("/api/tools/nope", HttpStatusCode.NotFound)]
    public async Task Every_response_carries_the_security_headers(string path, HttpStatusCode status)
    {
        using var content = TestContent.Sample().Tool("alpha", "Alpha", extra: "aliases: [alpha-classic]\n");
        await using var app = new VerdictsApp(content);
        using var response = await app.NoRedirects().Get(path);

        Assert.Equal(status, response.StatusCode);
        var csp = string.Join(' ', response.Headers.GetValues("Content-Security-Policy"));
        foreach (var directive in new[] { "default-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'" })
            Assert.Contains(directive, csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("strict-origin-when-cross-origin", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task Over_https_responses_also_carry_hsts()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost") });
        using var response = await client.Get("/");
        Assert.StartsWith("max-age=", response.Headers.GetValues("Strict-Transport-Security").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Anonymous_pages_are_served_from_the_cache_until_the_content_changes()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        var client = app.CreateClient();
        using (var first = await client.Get("/tools/alpha"))
            Assert.False(first.Headers.Contains("Age"));
        using (var second = await client.Get("/tools/alpha"))
            Assert.True(second.Headers.Contains("Age"), "the second request should be answered from the output cache");

        content.Tool("alpha", "Alpha", tagline: "Changed on disk");
        await VerdictsApp.Eventually(async () => (await client.GetStringAsync(new Uri("/tools/alpha", UriKind.Relative))).Contains("Changed on disk", StringComparison.Ordinal),
            "the cached page is replaced after the reload");
    }
}
