using System.Net;
using Verdicts.Tests.Infrastructure;

namespace Verdicts.Tests.Pages.Categories;

public sealed class ShowTests
{
    [Fact]
    public async Task A_category_lists_its_tools_with_their_figures()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        var page = await app.CreateClient().GetPage("/categories/developer-tools");

        Assert.Equal("Developer Tools", page.QuerySelector("h1").Text());
        Assert.Equal(["alpha", "beta"], page.QuerySelectorAll(".tool-list li").Select(l => l.GetAttribute("data-tool")));
        Assert.Equal(Html.Percent(1, 2), page.Metric("panel-ship", "beta"));
        Assert.Null(page.QuerySelector("nav.pagination"));
        await app.CreateClient().GetPage("/categories/nothing-here", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_long_category_comes_a_page_at_a_time_by_name()
    {
        using var content = TestContent.Sample();
        // Names out of slug order, and two alike, so the order is by name and then slug.
        string[] names = ["Kilo", "Echo", "Alpha Two", "Echo", "Zulu", "Bravo", "Mike"];
        for (var i = 0; i < names.Length; i++)
            content.Tool($"extra-{i}", names[i]);
        var all = new[] { ("alpha", "Alpha"), ("beta", "Beta") }
            .Concat(names.Select((name, i) => ($"extra-{i}", name)))
            .OrderBy(t => t.Item2, StringComparer.Ordinal).ThenBy(t => t.Item1, StringComparer.Ordinal)
            .Select(t => t.Item1).ToList();
        await using var app = new VerdictsApp(content, new Dictionary<string, string?> { ["Verdicts:ListPageSize"] = "4" });
        var client = app.CreateClient();

        var pages = new List<AngleSharp.Html.Dom.IHtmlDocument>();
        foreach (var path in new[] { "/categories/developer-tools", "/categories/developer-tools?page=2", "/categories/developer-tools?page=3" })
            pages.Add(await client.GetPage(path));

        Assert.Equal(all, pages.SelectMany(p => p.QuerySelectorAll(".tool-list li").Select(l => l.GetAttribute("data-tool")!)));
        Assert.Equal([4, 4, 1], pages.Select(p => p.QuerySelectorAll(".tool-list li").Length));
        Assert.All(pages, p => Assert.StartsWith($"{all.Count} tools,", p.QuerySelector(".lede").Text(), StringComparison.Ordinal));
        Assert.Equal("Showing 5 to 8, by name.", pages[1].QuerySelector(".page-head .muted").Text());
        Assert.Equal("2", pages[1].QuerySelector(".pagination [aria-current='page']").Text());
        Assert.Equal("/categories/developer-tools", pages[1].QuerySelector(".pagination a[rel='prev']")?.GetAttribute("href"));
        Assert.Equal("/categories/developer-tools?page=3", pages[1].QuerySelector(".pagination a[rel='next']")?.GetAttribute("href"));
        Assert.Null(pages[2].QuerySelector(".pagination a[rel='next']"));
        Assert.EndsWith("/categories/developer-tools?page=2", pages[1].QuerySelector("link[rel='canonical']")?.GetAttribute("href"), StringComparison.Ordinal);
        Assert.EndsWith("/categories/developer-tools", pages[0].QuerySelector("link[rel='canonical']")?.GetAttribute("href"), StringComparison.Ordinal);

        foreach (var beyond in new[] { "4", "0", "-1", "two", "1&page=2" })
            await client.GetPage($"/categories/developer-tools?page={beyond}", HttpStatusCode.NotFound);
    }
}
