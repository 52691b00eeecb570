using Verdicts.Tests.Infrastructure;

namespace Verdicts.Tests.Pages.Categories;

public sealed class IndexTests
{
    [Fact]
    public async Task Every_category_is_listed_by_name_with_its_tools_count_and_a_link_to_its_page()
    {
        using var content = TestContent.Sample().Tool("delta", "Delta", category: "Agents")
            .Tool("hidden", "Hidden", category: "Secret Things", extra: "draft: true\n");
        await using var app = new VerdictsApp(content);
        var client = app.CreateClient();
        var page = await client.GetPage("/categories");

        Assert.Equal("Categories", page.QuerySelector("h1").Text());
        var items = page.QuerySelectorAll(".category-index li").ToList();
        Assert.Equal(["agents", "developer-tools", "inference-runtimes"], items.Select(i => i.GetAttribute("data-category")));
        Assert.Equal(["Agents 1 tool", "Developer Tools 2 tools", "Inference Runtimes 1 tool"],
            items.Select(i => string.Join(' ', i.Text().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))));
        foreach (var link in items.Select(i => i.QuerySelector("a")!.GetAttribute("href")!))
            await client.GetPage(link);
        Assert.EndsWith("/categories", page.QuerySelector("link[rel='canonical']")?.GetAttribute("href"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_no_tools_the_page_says_so()
    {
        using var content = new TestContent();
        await using var app = new VerdictsApp(content);
        var page = await app.CreateClient().GetPage("/categories");
        Assert.Empty(page.QuerySelectorAll(".category-index li"));
        Assert.Equal("No tools are published yet.", page.QuerySelector("main .notice").Text());
    }
}
