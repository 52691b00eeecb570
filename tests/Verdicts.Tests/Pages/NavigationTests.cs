using System.Xml.Linq;
using Verdicts.Tests.Infrastructure;

namespace Verdicts.Tests.Pages;

public sealed class NavigationTests
{
    [Fact]
    public async Task The_menu_links_to_real_pages_and_the_search_box_offers_type_ahead()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        var client = app.CreateClient();
        foreach (var path in new[] { "/", "/tools/alpha", "/compare/alpha-or-beta", "/search?q=alpha" })
        {
            var page = await client.GetPage(path);
            var links = page.QuerySelectorAll("nav[aria-label='Main'] a").Select(a => (a.Text(), a.GetAttribute("href")!)).ToList();
            Assert.Equal([("Compare", "/compare"), ("Categories", "/categories"), ("Feed", "/feed")], links);
            var box = page.QuerySelector("header form[action='/search'] input[name='q']");
            Assert.Equal("/api/search", box?.GetAttribute("data-suggestions"));
        }
        foreach (var path in new[] { "/compare", "/categories", "/feed" })
        {
            var page = await client.GetPage(path);
            Assert.Empty(page.QuerySelectorAll("a[href^='/#']"));
        }
    }

    [Fact]
    public async Task The_sitemap_lists_the_categories_page()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        XNamespace ns = "http://www.sitemaps.org/schemas/sitemap/0.9";
        var sitemap = XDocument.Parse(await app.CreateClient().GetStringAsync(new Uri("/sitemap.xml", UriKind.Relative)));
        Assert.Contains("http://localhost/categories", sitemap.Root!.Elements(ns + "url").Select(u => u.Element(ns + "loc")!.Value));
    }
}
