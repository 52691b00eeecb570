using Microsoft.Playwright;
using Verdicts.BrowserTests.Infrastructure;

namespace Verdicts.BrowserTests;

public sealed class AdminTests(BrowserSite site) : IClassFixture<BrowserSite>
{
    [Fact]
    public async Task An_admin_edits_a_tagline_previews_saves_and_sees_it_on_the_public_page()
    {
        var page = await site.NewPage();
        await BrowserSite.SignIn(page);
        Assert.Equal("Content health", await page.Locator("h1").InnerTextAsync());
        await BrowserSite.AssertNoAxeViolations(page);
        await BrowserSite.Screenshot(page, "admin-health");

        await page.GotoAsync("/admin/content/tools/beta.md");
        var text = await EditorTests.FileOnPage(page);
        await EditorTests.ReplaceText(page, text.Replace("The second tool", "Edited from the browser", StringComparison.Ordinal));

        await page.GetByRole(AriaRole.Button, new() { Name = "Preview" }).ClickAsync();
        await Assertions.Expect(page.Locator(".preview .tagline")).ToHaveTextAsync("Edited from the browser");
        Assert.Contains("The second tool", await site.Browser!.NewPageAsync().ContinueWith(async p =>
        {
            var publicPage = await p;
            await publicPage.GotoAsync(site.BaseUrl + "/tools/beta");
            return await publicPage.Locator(".lede").InnerTextAsync();
        }).Unwrap(), StringComparison.Ordinal);
        await BrowserSite.AssertNoAxeViolations(page);
        await BrowserSite.Screenshot(page, "admin-editor");

        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await BrowserSite.WaitForPage(page, "**/admin/content/tools/beta.md?done=saved");
        await Assertions.Expect(page.Locator(".notice-ok")).ToContainTextAsync("Saved");

        var visitor = await site.NewPage();
        await visitor.GotoAsync("/tools/beta");
        Assert.Equal("Edited from the browser", await visitor.Locator(".lede").InnerTextAsync());
    }

    [Fact]
    public async Task A_save_with_a_mistake_shows_the_line_and_the_cursor_goes_there()
    {
        var page = await site.NewPage();
        await BrowserSite.SignIn(page);
        await page.GotoAsync("/admin/content/tools/gamma.md");
        var text = await EditorTests.FileOnPage(page);
        await EditorTests.ReplaceText(page, text.Replace("category:", "categroy:", StringComparison.Ordinal));
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        await Assertions.Expect(page.Locator(".error-line").First).ToContainTextAsync("unknown key 'categroy'");
        await page.Locator(".error-line button").First.ClickAsync();
        await Assertions.Expect(page.Locator("#cursor-position")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^Line 3, "));
        await BrowserSite.AssertNoAxeViolations(page);
    }

    [Fact]
    public async Task An_admin_narrows_the_file_list_by_kind_and_path_at_360_px()
    {
        var page = await site.NewPage(360);
        await BrowserSite.SignIn(page);
        await page.GotoAsync("/admin/content");
        await page.GetByLabel("Kind").SelectOptionAsync("verdict");
        await page.GetByLabel("Path contains").FillAsync("beta");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await BrowserSite.WaitForPage(page, "**/admin/content?kind=verdict&path=beta");

        var paths = await page.Locator(".file-list li").EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.path)");
        Assert.NotEmpty(paths);
        Assert.All(paths, p => Assert.StartsWith("verdicts/beta/", p, StringComparison.Ordinal));
        await BrowserSite.AssertNoAxeViolations(page);
        await BrowserSite.Screenshot(page, "admin-content-filtered");
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 0, $"the file list scrolls sideways by {overflow}px at 360px");
    }
}
