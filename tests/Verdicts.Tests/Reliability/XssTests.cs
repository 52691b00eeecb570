using System.Text.Json;
using System.Xml.Linq;
using AngleSharp.Dom;
using Verdicts.Tests.Infrastructure;

namespace Verdicts.Tests.Reliability;

/// <summary>Hostile text in every field of every kind of file comes out encoded or sanitized, wherever it is shown.</summary>
public sealed class XssTests
{
    private const string Payload = "<script>alert(1)</script><img src=x onerror=alert(2)>\"'><svg onload=alert(3)>";

    // For fields limited to 40 characters.
    private const string Short = "<img src=x onerror=alert(4)>";

    private static string Yaml(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static TestContent HostileContent()
    {
        var p = Yaml(Payload);
        var q = Yaml(Short);
        const string markdown = "<script>alert('md')</script> [a](javaScript:alert(1)) [b](&#106;avascript:alert(1)) " +
            "[c](data:text/html;base64,PHNjcmlwdD4=) ![d](data:image/svg+xml;base64,PHN2Zz4=) <javascript:alert(1)> " +
            "<a href=\"javascript:alert(1)\" onclick=\"alert(1)\">e</a> <https://ok.example/>";
        return new TestContent()
            .File("reviewers/evil.md", $"---\nname: {p}\nlens: {q}\n---\n{markdown}\n")
            .File("tools/alpha.md", $"---\nname: {p}\ncategory: {q}\ntagline: {Yaml("<b>tag</b>")}\nvendor: {p}\nlicense: {p}\ntags: [{p}]\npricing:\n  entry: {Yaml("<i>free</i>")}\n  plans:\n    - name: {q}\n      price: {q}\n      notes: {p}\n---\n{markdown}\n")
            .Tool("beta")
            .File("verdicts/alpha/evil.md", $"---\nverdict: ship\n---\n{markdown}\n")
            .File("comparisons/pair.md", $"---\ntools: [alpha, beta]\npublished: 2026-01-01\ntitle: {p}\nquestion: {p}\n---\n{markdown}\n");
    }

    private static void AssertInert(IDocument page, string where)
    {
        Assert.Empty(page.QuerySelectorAll("script:not([src]):not([type='application/ld+json']), svg:not(.bar):not([role=img]), iframe, object, embed, style, base, meta[http-equiv]"));
        foreach (var element in page.QuerySelectorAll("*"))
        {
            foreach (var attribute in element.Attributes)
            {
                Assert.False(attribute.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase), $"{where}: event attribute {attribute.Name} on <{element.LocalName}>");
                if (attribute.Name is "href" or "src" or "action" or "formaction")
                {
                    var value = attribute.Value.Trim().ToLowerInvariant();
                    Assert.False(value.StartsWith("javascript:", StringComparison.Ordinal) || value.StartsWith("data:", StringComparison.Ordinal)
                        || value.StartsWith("vbscript:", StringComparison.Ordinal), $"{where}: {attribute.Name}={attribute.Value}");
                }
            }
        }
        foreach (var data in page.QuerySelectorAll("script[type='application/ld+json']"))
        {
            Assert.DoesNotContain("</script", data.TextContent, StringComparison.OrdinalIgnoreCase);
            using var _ = JsonDocument.Parse(data.TextContent);
        }
    }

    [Fact]
    public async Task Hostile_text_in_every_field_is_inert_on_every_page()
    {
        using var content = HostileContent();
        await using var app = new VerdictsApp(content);
        var client = app.CreateClient();
        Assert.Empty(app.Reloader.Snapshot.Errors);

        foreach (var path in new[] { "/", "/compare/pair", "/compare/beta-vs-alpha", "/tools/alpha", "/tools/beta", "/reviewers/evil",
            "/categories/" + Verdicts.Web.Content.ContentParser.SlugFor(Short), "/search?q=alert", "/search?q=" + Uri.EscapeDataString(Payload) })
        {
            var page = await client.GetPage(path);
            AssertInert(page, path);
        }
        var tool = await client.GetPage("/tools/alpha");
        Assert.Equal(Payload, tool.QuerySelector("h1").Text());
        Assert.Equal("<b>tag</b>", tool.QuerySelector(".lede").Text());
        Assert.Contains("https://ok.example/", tool.QuerySelectorAll(".description a").Select(a => a.GetAttribute("href")));
    }

    [Fact]
    public async Task Hostile_text_stays_text_in_the_feed_and_the_api()
    {
        using var content = HostileContent();
        await using var app = new VerdictsApp(content);
        var client = app.CreateClient();

        var feed = XDocument.Parse(await client.GetStringAsync(new Uri("/feed.xml", UriKind.Relative)));
        XNamespace atom = "http://www.w3.org/2005/Atom";
        Assert.Equal(Payload, feed.Root!.Element(atom + "entry")!.Element(atom + "title")!.Value);
        // The summary is HTML carried as text; a feed reader renders it, so it must be as inert as a page.
        var summary = feed.Root!.Element(atom + "entry")!.Element(atom + "summary")!.Value;
        AssertInert(new AngleSharp.Html.Parser.HtmlParser().ParseDocument(summary), "feed summary");

        using var response = await client.Get("/api/tools/alpha");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var raw = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script>", raw, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(raw);
        Assert.Equal(Payload, json.RootElement.GetProperty("name").GetString());
    }
}
