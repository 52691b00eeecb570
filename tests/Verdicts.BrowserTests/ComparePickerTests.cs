using Microsoft.Playwright;
using Verdicts.BrowserTests.Infrastructure;

namespace Verdicts.BrowserTests;

/// <summary>Choosing what to compare where names are typed: type-ahead with JavaScript, plain forms and links without.</summary>
public sealed class ComparePickerTests(LargeCatalogueSite site) : IClassFixture<LargeCatalogueSite>
{
    public static TheoryData<string, string> PageTypes => new()
    {
        { "compare-three-generated", "/compare/gamma-vs-beta-vs-alpha" },
        { "compare-wrong-tools", "/compare/alpha-vs-alpha-vs-gam" },
        { "compare-one-tool", "/compare/gamma" },
        { "tool-add-to-comparison", "/tools/beta" },
    };

    [Theory]
    [MemberData(nameof(PageTypes))]
    public async Task The_pages_that_change_a_comparison_pass_axe_at_both_widths(string name, string path) =>
        await site.AssertWorksAtBothWidths(name, path);

    [Theory]
    [InlineData(360)]
    [InlineData(1280)]
    public async Task With_javascript_type_ahead_picks_each_tool_by_mouse_or_keyboard(int width)
    {
        var page = await site.NewPage(width);
        await page.GotoAsync("/");
        var first = page.GetByRole(AriaRole.Combobox, new() { Name = "First tool" });
        await first.PressSequentiallyAsync("gam");
        var gamma = page.GetByRole(AriaRole.Option, new() { Name = "Gamma" });
        await Assertions.Expect(gamma).ToBeVisibleAsync();
        Assert.Equal("true", await first.GetAttributeAsync("aria-expanded"));
        // The open list passes axe too.
        await BrowserSite.AssertNoAxeViolations(page);
        await gamma.ClickAsync();
        await Assertions.Expect(first).ToHaveValueAsync("Gamma");
        Assert.Equal("false", await first.GetAttributeAsync("aria-expanded"));

        var second = page.GetByRole(AriaRole.Combobox, new() { Name = "Second tool" });
        await second.PressSequentiallyAsync("bet");
        await Assertions.Expect(page.GetByRole(AriaRole.Option, new() { Name = "Beta" })).ToBeVisibleAsync();
        await second.PressAsync("ArrowDown");
        await Assertions.Expect(page.GetByRole(AriaRole.Option, new() { Name = "Beta" })).ToHaveAttributeAsync("aria-selected", "true");
        await second.PressAsync("Enter");
        await Assertions.Expect(second).ToHaveValueAsync("Beta");

        await page.GetByRole(AriaRole.Button, new() { Name = "Compare", Exact = true }).ClickAsync();
        await BrowserSite.WaitForPage(page, "**/compare/gamma-vs-beta");
        Assert.Equal("Gamma vs Beta", await page.Locator("h1").InnerTextAsync());

        // The comparison's own "Add a tool" has the same type-ahead.
        var add = page.GetByRole(AriaRole.Combobox, new() { Name = "Add a tool" });
        await add.PressSequentiallyAsync("alp");
        await page.GetByRole(AriaRole.Option, new() { Name = "Alpha" }).ClickAsync();
        await page.Locator(".change-tools").GetByRole(AriaRole.Button, new() { Name = "Compare" }).ClickAsync();
        await BrowserSite.WaitForPage(page, "**/compare/gamma-vs-beta-vs-alpha");
        Assert.Equal(3, await page.Locator(".tool-col").CountAsync());
        Assert.Empty(site.ForeignRequests);
    }

    [Fact]
    public async Task Without_javascript_a_visitor_adds_and_removes_tools_with_plain_forms_and_links()
    {
        var page = await site.NewPage(360, javaScript: false);
        await page.GotoAsync("/tools/beta");
        await page.GetByLabel("Compare Beta with").FillAsync("Gamma");
        await page.Locator(".add-to-comparison").GetByRole(AriaRole.Button, new() { Name = "Compare" }).ClickAsync();
        await BrowserSite.WaitForPage(page, "**/compare/beta-vs-gamma");
        Assert.Equal("Beta vs Gamma", await page.Locator("h1").InnerTextAsync());

        await page.GetByLabel("Add a tool").FillAsync("delta");
        await page.Locator(".change-tools").GetByRole(AriaRole.Button, new() { Name = "Compare" }).ClickAsync();
        await BrowserSite.WaitForPage(page, "**/compare/beta-vs-gamma-vs-delta");
        Assert.Equal(["beta", "gamma", "delta"], await page.Locator(".tool-col").EvaluateAllAsync<string[]>("cols => cols.map(c => c.dataset.tool)"));

        await page.GetByRole(AriaRole.Link, new() { Name = "Remove Gamma" }).ClickAsync();
        await BrowserSite.WaitForPage(page, "**/compare/beta-vs-delta");
        Assert.Equal("Beta vs Delta", await page.Locator("h1").InnerTextAsync());
        Assert.Equal(0, await page.GetByRole(AriaRole.Link, new() { Name = "Remove Beta" }).CountAsync());
    }
}
