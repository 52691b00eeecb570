using Microsoft.Playwright;
using Verdicts.BrowserTests.Infrastructure;

namespace Verdicts.BrowserTests;

/// <summary>The shapes pages take when the catalogue outgrows a list: pagers, "all tools" links, a typed compare form.</summary>
public sealed class LargeCatalogueTests(LargeCatalogueSite site) : IClassFixture<LargeCatalogueSite>
{
    public static TheoryData<string, string> PageTypes => new()
    {
        { "home-large", "/" },
        { "compare-picker-typed", "/compare?a=Alpha&b=Nothing" },
        { "compare-suggestions", "/compare?a=Alpha&b=gam" },
        { "category-page-2", "/categories/developer-tools?page=2" },
        { "reviewer-page-2", "/reviewers/cy?page=2" },
    };

    [Theory]
    [MemberData(nameof(PageTypes))]
    public async Task Cut_short_pages_pass_axe_in_light_and_dark_mode_at_both_widths(string name, string path) =>
        await site.AssertWorksAtBothWidths(name, path);

    [Fact]
    public async Task Without_javascript_a_visitor_types_two_names_to_compare_and_pages_through_a_category()
    {
        var page = await site.NewPage(360, javaScript: false);
        await page.GotoAsync("/");
        await page.GetByLabel("First tool").FillAsync("gamma");
        await page.GetByLabel("Second tool").FillAsync("Beta");
        await page.GetByRole(AriaRole.Button, new() { Name = "Compare" }).ClickAsync();
        await BrowserSite.WaitForPage(page, "**/compare/gamma-vs-beta");
        Assert.Equal("Gamma vs Beta", await page.Locator("h1").InnerTextAsync());

        // Half a name: the form comes back with what was typed and the tools it could mean.
        await page.GotoAsync("/");
        await page.GetByLabel("First tool").FillAsync("Alpha");
        await page.GetByLabel("Second tool").FillAsync("gam");
        await page.GetByRole(AriaRole.Button, new() { Name = "Compare" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Gamma" }).ClickAsync();
        await BrowserSite.WaitForPage(page, "**/compare/alpha-vs-gamma");
        Assert.Equal("Alpha vs Gamma", await page.Locator("h1").InnerTextAsync());

        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Link, new() { Name = "All 2 tools in Developer Tools" }).ClickAsync();
        await BrowserSite.WaitForPage(page, "**/categories/developer-tools");
        Assert.Equal("alpha", await page.Locator(".tool-list li").GetAttributeAsync("data-tool"));
        await page.GetByRole(AriaRole.Link, new() { Name = "Next" }).ClickAsync();
        await BrowserSite.WaitForPage(page, "**/categories/developer-tools?page=2");
        Assert.Equal("beta", await page.Locator(".tool-list li").GetAttributeAsync("data-tool"));
        Assert.Equal(0, await page.GetByRole(AriaRole.Link, new() { Name = "Next" }).CountAsync());
    }

    [Fact]
    public async Task An_admin_pages_through_the_tallies_and_names_a_tool_to_withdraw_by_typing_it_at_360_px()
    {
        var page = await site.NewPage(360);
        await BrowserSite.SignIn(page);
        await page.GotoAsync("/admin/votes");
        await page.GetByRole(AriaRole.Link, new() { Name = "Next" }).ClickAsync();
        await BrowserSite.WaitForPage(page, "**/admin/votes?page=2");
        Assert.Equal("Tallies (page 2 of 4)", await page.Locator("#tallies-title").InnerTextAsync());
        await BrowserSite.AssertNoAxeViolations(page);
        await BrowserSite.Screenshot(page, "admin-votes-paged");
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 0, $"the votes page scrolls sideways by {overflow}px at 360px");

        await page.GetByLabel("Tool (its name or slug)").FillAsync("gamma");
        await page.GetByLabel("From (UTC)").FillAsync("2026-03-01T00:00");
        await page.GetByLabel("To (UTC)").FillAsync("2026-03-01T23:59");
        await page.GetByRole(AriaRole.Button, new() { Name = "Count the votes" }).ClickAsync();
        await Assertions.Expect(page.Locator("#withdraw [role=status]")).ToContainTextAsync("There are no votes for Gamma between");
        await BrowserSite.AssertNoAxeViolations(page);
    }
}
