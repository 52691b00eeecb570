using Microsoft.Playwright;
using Verdicts.BrowserTests.Infrastructure;

namespace Verdicts.BrowserTests;

public sealed class PublicPagesTests(BrowserSite site) : IClassFixture<BrowserSite>
{
    public static TheoryData<string, string> PageTypes => new()
    {
        { "home", "/" },
        { "comparison", "/compare/alpha-or-beta" },
        { "comparison-three-way", "/compare/runtimes" },
        { "comparison-generated", "/compare/beta-vs-gamma" },
        { "tool", "/tools/alpha" },
        { "category", "/categories/inference-runtimes" },
        { "reviewer", "/reviewers/cy" },
        { "search", "/search?q=tool" },
        { "compare-picker", "/compare?a=alpha&b=alpha" },
        { "not-found", "/no/such/page" },
    };

    [Theory]
    [MemberData(nameof(PageTypes))]
    public async Task Every_page_type_passes_axe_in_light_and_dark_mode_at_both_widths(string name, string path) =>
        await site.AssertWorksAtBothWidths(name, path);

    [Fact]
    public async Task A_visitor_compares_two_tools_from_the_home_page_form_and_follows_a_tool_link()
    {
        var page = await site.NewPage();
        await page.GotoAsync("/");
        await page.GetByLabel("First tool").SelectOptionAsync("gamma");
        await page.GetByLabel("Second tool").SelectOptionAsync("beta");
        await page.GetByRole(AriaRole.Button, new() { Name = "Compare" }).ClickAsync();

        await BrowserSite.WaitForPage(page, "**/compare/gamma-vs-beta");
        Assert.Equal("Gamma vs Beta", await page.Locator("h1").InnerTextAsync());
        Assert.Equal(2, await page.Locator(".tool-col").CountAsync());

        await page.Locator(".tool-col[data-tool='beta'] .tool-name a").ClickAsync();
        await BrowserSite.WaitForPage(page, "**/tools/beta");
        Assert.Equal("Beta", await page.Locator("h1").InnerTextAsync());
    }

    [Fact]
    public async Task The_compare_form_works_with_javascript_disabled()
    {
        var page = await site.NewPage(360, javaScript: false);
        await page.GotoAsync("/");
        await page.GetByLabel("First tool").SelectOptionAsync("alpha");
        await page.GetByLabel("Second tool").SelectOptionAsync("beta");
        await page.GetByRole(AriaRole.Button, new() { Name = "Compare" }).ClickAsync();
        await BrowserSite.WaitForPage(page, "**/compare/alpha-or-beta");
        Assert.Equal("Alpha vs Beta", await page.Locator("h1").InnerTextAsync());
    }

    [Fact]
    public async Task A_visitor_searches_from_the_header()
    {
        var page = await site.NewPage();
        await page.GotoAsync("/tools/alpha");
        // A search box, which the type-ahead script makes a combobox: found by its label, whichever role it has.
        var searchbox = page.GetByLabel("Search tools and reviews");
        await searchbox.FillAsync("phones");
        // Pressed on the search box itself (focused first), not on whatever the page has focused at that moment.
        await searchbox.PressAsync("Enter");
        await BrowserSite.WaitForPage(page, "**/search?q=phones");
        Assert.Equal(["delta"], await page.Locator(".search-results li").EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.tool)"));
    }

    [Fact]
    public async Task The_404_page_is_helpful_and_says_404()
    {
        var page = await site.NewPage();
        var response = await page.GotoAsync("/tools/nothing-here");
        Assert.Equal(404, response!.Status);
        Assert.Equal("We could not find that page", await page.Locator("h1").InnerTextAsync());
        var searchbox = page.GetByLabel("Search Verdicts");
        await searchbox.FillAsync("alpha");
        // Pressed on the field itself, as in the header search: a page-level key press once went nowhere in a loaded CI run.
        await searchbox.PressAsync("Enter");
        await BrowserSite.WaitForPage(page, "**/search?q=alpha");
    }

    [Fact]
    public async Task The_keyboard_reaches_the_skip_link_first_and_it_moves_focus_to_the_content()
    {
        var page = await site.NewPage();
        await page.GotoAsync("/compare/alpha-or-beta");
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("Skip to content", await page.EvaluateAsync<string>("() => document.activeElement.textContent.trim()"));
        await page.Keyboard.PressAsync("Enter");
        Assert.Equal("main", await page.EvaluateAsync<string>("() => document.activeElement.id"));
    }

    [Fact]
    public async Task Columns_sit_side_by_side_on_a_wide_screen_and_stack_on_a_narrow_one()
    {
        var wide = await site.NewPage(1280);
        await wide.GotoAsync("/compare/runtimes");
        var wideTops = await wide.Locator(".tool-col").EvaluateAllAsync<double[]>("cols => cols.map(c => c.getBoundingClientRect().top)");
        Assert.Single(wideTops.Distinct());

        var narrow = await site.NewPage(360);
        await narrow.GotoAsync("/compare/runtimes");
        var narrowTops = await narrow.Locator(".tool-col").EvaluateAllAsync<double[]>("cols => cols.map(c => c.getBoundingClientRect().top)");
        Assert.Equal(3, narrowTops.Distinct().Count());
    }
}
