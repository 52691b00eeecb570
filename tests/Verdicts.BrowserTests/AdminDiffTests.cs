using Microsoft.Playwright;
using Verdicts.BrowserTests.Infrastructure;
using Verdicts.Tests.Infrastructure;

namespace Verdicts.BrowserTests;

public sealed class AdminDiffTests(BrowserSite site) : IClassFixture<BrowserSite>
{
    private static async Task AssertNoSidewaysScroll(IPage page, int width)
    {
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        var wide = await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('body *')].filter(e => !e.closest('.table-scroll') && e.getBoundingClientRect().right > document.documentElement.clientWidth).slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))");
        Assert.True(overflow <= 0, $"{page.Url} scrolls sideways by {overflow}px at {width}px; reaching past the edge outside scroll regions: " + string.Join(", ", wide));
    }

    [Theory]
    [InlineData(360)]
    [InlineData(1280)]
    public async Task The_conflict_page_shows_both_diffs_and_a_very_long_line_on_disk_wraps_inside_the_page(int width)
    {
        var path = $"tools/wide-{width}.md";
        site.Content.File(path, TestContent.ToolText($"Wide {width}", tagline: "Before anyone edits"));
        var page = await site.NewPage(width);
        await BrowserSite.SignIn(page);
        await page.GotoAsync("/admin/content/" + path);
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync(path);
        site.Content.File(path, TestContent.ToolText($"Wide {width}", tagline: "Changed on disk", body: "A line with no break: " + new string('w', 4000)));
        // With script the CodeMirror editor stands in for the textarea (EditorTests).
        var opened = await EditorTests.FileOnPage(page);
        await EditorTests.ReplaceText(page, opened.Replace("Before anyone edits", "My own tagline", StringComparison.Ordinal));

        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        await Assertions.Expect(page.Locator("table.diff[data-diff='meanwhile'] tr[data-change='inserted']").Last).ToContainTextAsync("A line with no break");
        await Assertions.Expect(page.Locator("table.diff[data-diff='yours'] tr[data-change='inserted'] ins").First).ToHaveTextAsync("tagline: \"My own tagline\"");
        await Assertions.Expect(page.Locator("#submitted-text")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("My own tagline"));
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Copy your text" })).ToBeVisibleAsync();
        await AssertNoSidewaysScroll(page, width);
        await BrowserSite.AssertNoAxeViolations(page);
        await BrowserSite.Screenshot(page, "admin-conflict");
    }

    [Fact]
    public async Task The_audit_log_and_a_files_history_pass_axe_and_fit_360_px_and_a_version_is_restored_without_javascript()
    {
        var path = "tools/delta.md";
        var original = site.Content.Read(path);
        var page = await site.NewPage(360, javaScript: false);
        // BrowserSite.SignIn runs axe on the login form, which needs script; this page has none.
        await page.GotoAsync("/admin/login");
        await page.GetByLabel("Name").FillAsync(BrowserSite.AdminName);
        await page.GetByLabel("Password").FillAsync(BrowserSite.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await BrowserSite.WaitForPage(page, "**/admin");
        await page.GotoAsync("/admin/content/" + path);
        var editor = page.GetByLabel("Contents (Markdown with YAML front matter)");
        await editor.FillAsync(original.Replace("A runtime for phones and laptops", "A tagline to take back", StringComparison.Ordinal));
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await BrowserSite.WaitForPage(page, "**/admin/content/tools/delta.md?done=saved");

        foreach (var address in new[] { "/admin/audit", "/admin/history/" + path })
        {
            foreach (var width in new[] { 360, 1280 })
            {
                var look = await site.NewPage(width);
                await BrowserSite.SignIn(look);
                await look.GotoAsync(address);
                await Assertions.Expect(look.Locator("table.diff").First).ToBeVisibleAsync();
                await AssertNoSidewaysScroll(look, width);
                await BrowserSite.AssertNoAxeViolations(look);
                await BrowserSite.Screenshot(look, address == "/admin/audit" ? "admin-audit" : "admin-history");
                await look.Context.CloseAsync();
            }
        }

        await page.GotoAsync("/admin/history/" + path);
        await page.GetByRole(AriaRole.Button, new() { Name = "Restore this version" }).Last.ClickAsync();
        await BrowserSite.WaitForPage(page, "**/admin/content/tools/delta.md?done=restored");
        Assert.Equal(original, site.Content.Read(path));
    }
}
