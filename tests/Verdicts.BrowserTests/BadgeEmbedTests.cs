using Verdicts.BrowserTests.Infrastructure;

namespace Verdicts.BrowserTests;

/// <summary>The site with a configured address, the only way the tool page shows its badge's embed code.</summary>
public sealed class SiteWithAddress : BrowserSite
{
    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["Verdicts:SiteUrl"] = "https://verdicts.example",
    };
}

public sealed class BadgeEmbedTests(SiteWithAddress site) : IClassFixture<SiteWithAddress>
{
    [Fact]
    public async Task The_tool_page_with_its_badge_code_passes_axe_at_both_widths_and_the_code_wraps()
    {
        await site.AssertWorksAtBothWidths("tool-with-badge", "/tools/alpha");

        var page = await site.NewPage(width: 360);
        await page.GotoAsync("/tools/alpha");
        var snippets = page.Locator(".badge-embed pre");
        Assert.Equal(2, await snippets.CountAsync());
        // Wrapped, not scrolled: no snippet is wider than the box it sits in.
        for (var i = 0; i < 2; i++)
            Assert.True(await snippets.Nth(i).EvaluateAsync<bool>("e => e.scrollWidth <= e.clientWidth"));
        await page.Context.CloseAsync();
    }
}
