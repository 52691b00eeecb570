using Microsoft.Playwright;
using Verdicts.BrowserTests.Infrastructure;

namespace Verdicts.BrowserTests;

/// <summary>The header's search box: type-ahead with JavaScript, a plain form and a results page without.</summary>
public sealed class SearchTests(BrowserSite site) : IClassFixture<BrowserSite>
{
    public static TheoryData<string, string> PageTypes => new()
    {
        { "search-names", "/search?q=gama" },
        { "search-versus", "/search?q=alpa+vs+beta" },
        { "search-nothing", "/search?q=zzzz" },
        { "categories", "/categories" },
        { "feed-page", "/feed" },
    };

    [Theory]
    [MemberData(nameof(PageTypes))]
    public async Task The_search_categories_and_feed_pages_pass_axe_at_both_widths(string name, string path) =>
        await site.AssertWorksAtBothWidths(name, path);

    [Theory]
    [InlineData(360)]
    [InlineData(1280)]
    public async Task With_javascript_the_search_box_suggests_pages_despite_typos_and_goes_to_the_one_picked(int width)
    {
        var page = await site.NewPage(width);
        await page.GotoAsync("/");
        var box = page.GetByRole(AriaRole.Combobox, new() { Name = "Search tools and reviews" });
        await box.PressSequentiallyAsync("gama");
        var gamma = page.GetByRole(AriaRole.Option, new() { Name = "Gamma Tool" });
        await Assertions.Expect(gamma).ToBeVisibleAsync();
        Assert.Equal("true", await box.GetAttributeAsync("aria-expanded"));
        // The open list passes axe too, and does not make the page scroll sideways.
        await BrowserSite.AssertNoAxeViolations(page);
        Assert.True(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0);
        await box.PressAsync("ArrowDown");
        await Assertions.Expect(gamma).ToHaveAttributeAsync("aria-selected", "true");
        await box.PressAsync("Enter");
        await BrowserSite.WaitForPage(page, "**/tools/gamma");

        // "A vs B" offers the comparison first; a click goes to it.
        var again = page.GetByRole(AriaRole.Combobox, new() { Name = "Search tools and reviews" });
        await again.PressSequentiallyAsync("alpa vs beta");
        var comparison = page.GetByRole(AriaRole.Option).First;
        await Assertions.Expect(comparison).ToContainTextAsync("Alpha vs Beta");
        await comparison.ClickAsync();
        await BrowserSite.WaitForPage(page, "**/compare/alpha-or-beta");

        // Escape closes the list; Enter with nothing chosen submits the form.
        var third = page.GetByRole(AriaRole.Combobox, new() { Name = "Search tools and reviews" });
        await third.PressSequentiallyAsync("ada");
        await Assertions.Expect(page.GetByRole(AriaRole.Option, new() { Name = "Ada Lane Reviewer" })).ToBeVisibleAsync();
        await third.PressAsync("Escape");
        Assert.Equal("false", await third.GetAttributeAsync("aria-expanded"));
        await third.PressAsync("Enter");
        await BrowserSite.WaitForPage(page, "**/search?q=ada");
        Assert.Equal("Ada Lane", await page.Locator("[data-reviewer='ada'] a").InnerTextAsync());
        Assert.Empty(site.ForeignRequests);
    }

    [Fact]
    public async Task Without_javascript_the_search_box_is_a_form_whose_results_page_finds_despite_typos()
    {
        var page = await site.NewPage(360, javaScript: false);
        await page.GotoAsync("/");
        await page.GetByLabel("Search tools and reviews").FillAsync("gama");
        await page.GetByLabel("Search tools and reviews").PressAsync("Enter");
        await BrowserSite.WaitForPage(page, "**/search?q=gama");
        await page.Locator(".search-results").GetByRole(AriaRole.Link, new() { Name = "Gamma" }).ClickAsync();
        await BrowserSite.WaitForPage(page, "**/tools/gamma");

        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Categories" }).ClickAsync();
        await BrowserSite.WaitForPage(page, "**/categories");
        await page.GetByRole(AriaRole.Link, new() { Name = "Inference Runtimes" }).ClickAsync();
        await BrowserSite.WaitForPage(page, "**/categories/inference-runtimes");
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Feed" }).ClickAsync();
        await BrowserSite.WaitForPage(page, "**/feed");
        Assert.EndsWith("/feed.xml", await page.Locator("[data-feed-address]").InnerTextAsync(), StringComparison.Ordinal);
    }
}
