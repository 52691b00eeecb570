using System.Xml.Linq;
using Verdicts.Tests.Infrastructure;

namespace Verdicts.Tests.Syndication;

/// <summary>The sitemap's lastmod and the feed's updated dates, taken from the dates the content files give.</summary>
public sealed class SyndicationTests
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";
    private static readonly XNamespace Sitemap = "http://www.sitemaps.org/schemas/sitemap/0.9";

    // alpha: checked 2026-04-01, a verdict of 2026-06-10; beta: no dates; gamma: checked 2026-02-02.
    private static TestContent Dated() => TestContent.Sample()
        .Tool("alpha", "Alpha", tagline: "The first tool", extra: "sources:\n  - https://alpha.example/\nchecked: 2026-04-01\n")
        .Tool("gamma", "Gamma", category: "Inference Runtimes", tagline: "The third tool", extra: "sources:\n  - https://gamma.example/\nchecked: 2026-02-02\n")
        .File("verdicts/alpha/ada.md", "---\nverdict: ship\ndate: 2026-06-10\n---\nShips fast.\n")
        .Comparison("beta-or-gamma", ["beta", "gamma"], "2026-01-05")
        .Comparison("all-three", ["alpha", "beta", "gamma"], "2026-01-01");

    [Fact]
    public async Task The_sitemap_gives_each_page_the_latest_date_its_content_files_give()
    {
        using var content = Dated();
        await using var app = new VerdictsApp(content);
        var sitemap = XDocument.Parse(await app.CreateClient().GetStringAsync(new Uri("/sitemap.xml", UriKind.Relative), TestContext.Current.CancellationToken));
        var lastmod = sitemap.Root!.Elements(Sitemap + "url").ToDictionary(
            u => new Uri(u.Element(Sitemap + "loc")!.Value).AbsolutePath, u => u.Element(Sitemap + "lastmod")?.Value);

        Assert.Equal("2026-06-10", lastmod["/"]);
        Assert.Equal("2026-06-10", lastmod["/tools/alpha"]);
        Assert.Null(lastmod["/tools/beta"]);
        Assert.Equal("2026-02-02", lastmod["/tools/gamma"]);
        // A comparison: the later of its published day and its tools' dates.
        Assert.Equal("2026-06-10", lastmod["/compare/alpha-or-beta"]);
        Assert.Equal("2026-02-02", lastmod["/compare/beta-or-gamma"]);
        Assert.Equal("2026-06-10", lastmod["/compare/all-three"]);
        // The generated pair no curated page holds: its tools' latest.
        Assert.Equal("2026-06-10", lastmod["/compare/alpha-vs-gamma"]);
        Assert.Equal("2026-06-10", lastmod["/categories/developer-tools"]);
        Assert.Equal("2026-02-02", lastmod["/categories/inference-runtimes"]);
        Assert.Equal("2026-06-10", lastmod["/reviewers/ada"]);
        Assert.Null(lastmod["/reviewers/bo"]);
    }

    [Fact]
    public async Task Feed_entries_are_updated_when_their_tools_facts_or_verdicts_are_and_the_feed_with_the_latest()
    {
        using var content = Dated();
        await using var app = new VerdictsApp(content);
        var feed = XDocument.Parse(await app.CreateClient().GetStringAsync(new Uri("/feed.xml", UriKind.Relative), TestContext.Current.CancellationToken));
        var entries = feed.Root!.Elements(Atom + "entry").ToDictionary(e => e.Element(Atom + "id")!.Value,
            e => (Published: e.Element(Atom + "published")!.Value, Updated: e.Element(Atom + "updated")!.Value));

        Assert.Equal(("2026-03-01T00:00:00Z", "2026-06-10T00:00:00Z"), entries["http://localhost/compare/alpha-or-beta"]);
        Assert.Equal(("2026-01-05T00:00:00Z", "2026-02-02T00:00:00Z"), entries["http://localhost/compare/beta-or-gamma"]);
        Assert.Equal("2026-06-10T00:00:00Z", feed.Root!.Element(Atom + "updated")!.Value);
    }
}
