using Microsoft.Playwright;
using Verdicts.BrowserTests.Infrastructure;

namespace Verdicts.BrowserTests;

/// <summary>Issue 30 in a browser: the vote anchor without JavaScript, and the tool page with its chart under axe.</summary>
public sealed class CommunityNumbersTests(BrowserSite site) : IClassFixture<BrowserSite>
{
    [Fact]
    public async Task A_vote_without_javascript_lands_on_the_tools_vote_box_not_the_top()
    {
        var page = await site.NewPage(360, javaScript: false);
        await page.GotoAsync("/tools/beta");
        await page.Locator("#vote-beta").GetByRole(AriaRole.Button, new() { Name = "Ship it" }).ClickAsync();

        await BrowserSite.WaitForPage(page, "**/tools/beta?voted=beta%3Aship#vote-beta");
        var box = page.Locator("#vote-beta");
        await Assertions.Expect(box).ToBeInViewportAsync();
        Assert.True(await page.EvaluateAsync<double>("() => window.scrollY") > 0, "the page opened at its top");
        Assert.Equal("You voted ship on Beta. You can change or withdraw your vote.", await box.Locator(".vote-status").InnerTextAsync());
        Assert.Equal("true", await box.Locator("button[value='ship']").GetAttributeAsync("aria-pressed"));
        await Assertions.Expect(box.GetByRole(AriaRole.Button, new() { Name = "Withdraw my vote" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task The_tool_page_with_votes_and_its_chart_passes_axe_at_360_and_1280_pixels()
    {
        var voter = await site.NewPage();
        await voter.GotoAsync("/tools/gamma");
        await voter.Locator("#vote-gamma").GetByRole(AriaRole.Button, new() { Name = "Skip it" }).ClickAsync();
        await Assertions.Expect(voter.Locator("#vote-gamma .vote-status")).ToHaveTextAsync("You voted skip on Gamma. You can change or withdraw your vote.");
        await voter.Context.CloseAsync();

        await site.AssertWorksAtBothWidths("tool-with-votes", "/tools/gamma");
        foreach (var width in new[] { 360, 1280 })
        {
            var page = await site.NewPage(width);
            await page.GotoAsync("/tools/gamma");
            Assert.Equal(1, await page.Locator("figure.chart circle.chart-point").CountAsync());
            // The chart's table, opened, passes too.
            await page.Locator("details.chart-table summary").ClickAsync();
            await Assertions.Expect(page.Locator("details.chart-table table")).ToBeVisibleAsync();
            await BrowserSite.AssertNoAxeViolations(page);
            await page.Context.CloseAsync();
        }
    }
}
