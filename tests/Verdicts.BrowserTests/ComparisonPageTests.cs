using Microsoft.Playwright;
using Verdicts.BrowserTests.Infrastructure;

namespace Verdicts.BrowserTests;

/// <summary>The site with two real models (their specs as their model cards state them), judged by the panel.</summary>
public sealed class ComparisonSite : BrowserSite
{
    public ComparisonSite() => Content.SmolLM3().Gemma3Small()
        .Verdict("smollm3", "ada", "ship").Verdict("smollm3", "bo", "skip", string.Join(' ', Enumerable.Repeat("A long quote that goes on.", 40)))
        .Verdict("smollm3", "cy", "ship")
        .Verdict("gemma-3-4b", "ada", "ship").Verdict("gemma-3-4b", "bo", "ship").Verdict("gemma-3-4b", "cy", "skip");
}

/// <summary>The top of the comparison page in a real browser: what a phone's first screen shows, the grid's links, axe.</summary>
public sealed class ComparisonPageTests(ComparisonSite site) : IClassFixture<ComparisonSite>
{
    private const string TwoModels = "/compare/smollm3-vs-gemma-3-4b";
    private const string FourTools = "/compare/smollm3-vs-gemma-3-4b-vs-alpha-vs-delta";

    public static TheoryData<string, string> Pages => new()
    {
        { "comparison-models", TwoModels },
        { "comparison-four-way", FourTools },
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task The_comparison_top_passes_axe_in_light_and_dark_mode_at_both_widths(string name, string path) =>
        await site.AssertWorksAtBothWidths(name, path);

    [Theory]
    [InlineData(TwoModels)]
    [InlineData(FourTools)]
    public async Task On_a_phone_the_first_screen_shows_the_bottom_line_and_every_reviewers_row_of_the_grid(string path)
    {
        var page = await site.NewPage(360);
        await page.GotoAsync(path);

        var screen = page.ViewportSize!.Height;
        var bottomLine = await page.Locator(".bottom-line").BoundingBoxAsync();
        var verdictRows = await page.Locator(".glance tbody").BoundingBoxAsync();
        Assert.True(bottomLine!.Y + bottomLine.Height <= screen, $"the bottom line ends at {bottomLine.Y + bottomLine.Height}px, below the first {screen}px");
        Assert.True(verdictRows!.Y + verdictRows.Height <= screen, $"the grid's verdicts end at {verdictRows.Y + verdictRows.Height}px, below the first {screen}px");

        // Each verdict reads as a word, not a colour only: Ship or Skip, or, where there is none, "No verdict" to a screen reader.
        var cells = await page.Locator(".glance tbody td").EvaluateAllAsync<string[]>(
            "cells => cells.map(c => (c.querySelector('a.badge') ?? c.querySelector('.visually-hidden')).firstChild.textContent)");
        Assert.All(cells, text => Assert.Contains(text, new[] { "Ship", "Skip", "No verdict" }));
        // Bo and Cy split these tools in both pages (Bo skip then ship, Cy ship then skip); Ada ships every one she judged.
        Assert.Equal(["bo", "cy"], await page.Locator(".glance tbody tr:has(.split-flag:visible)").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.reviewer)"));
    }

    [Fact]
    public async Task A_wide_table_on_a_phone_scrolls_inside_its_frame_and_never_clips()
    {
        var page = await site.NewPage(360);
        await page.GotoAsync(FourTools);

        foreach (var frame in new[] { ".glance .table-scroll", ".specs .table-scroll" })
        {
            var right = await page.Locator(frame).EvaluateAsync<double>("f => f.getBoundingClientRect().right");
            Assert.True(right <= 360, $"{frame} ends at {right}px, past the screen");
        }
        var specs = page.Locator(".specs .table-scroll");
        Assert.True(await specs.EvaluateAsync<bool>("f => f.scrollWidth > f.clientWidth"), "a four-tool specs table fits a phone without scrolling: the cue is never seen");
        Assert.Equal("overflow-x: auto", "overflow-x: " + await specs.EvaluateAsync<string>("f => getComputedStyle(f).overflowX"));
    }

    [Fact]
    public async Task A_verdict_in_the_grid_takes_the_reader_to_that_quote()
    {
        var page = await site.NewPage(360);
        await page.GotoAsync(TwoModels);

        await page.Locator(".glance tr[data-reviewer='cy'] td[data-tool='gemma-3-4b'] a").ClickAsync();
        await page.WaitForFunctionAsync("location.hash === '#quote-cy--gemma-3-4b'");
        var quote = page.Locator("#quote-cy--gemma-3-4b");
        await Assertions.Expect(quote).ToBeInViewportAsync();
        Assert.Equal("Clear call, well argued.", (await quote.Locator(".quote").InnerTextAsync()).Trim());
    }

    [Fact]
    public async Task A_long_quote_opens_without_javascript()
    {
        var page = await site.NewPage(360, javaScript: false);
        await page.GotoAsync(TwoModels);

        var fold = page.Locator("#quote-bo--smollm3 details");
        await Assertions.Expect(fold.Locator("blockquote")).ToBeHiddenAsync();
        await fold.Locator("summary").ClickAsync();
        await Assertions.Expect(fold.Locator("blockquote")).ToBeVisibleAsync();
        await Assertions.Expect(fold.Locator(".fold-less")).ToBeVisibleAsync();
        await Assertions.Expect(fold.Locator(".quote-opening")).ToBeHiddenAsync();
    }
}
