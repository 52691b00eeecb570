using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Verdicts.BrowserTests.Infrastructure;

namespace Verdicts.BrowserTests;

/// <summary>The admin's content editor: CodeMirror with JavaScript, the plain textarea without it.</summary>
public sealed class EditorTests(BrowserSite site) : IClassFixture<BrowserSite>
{
    private const string Label = "Contents (Markdown with YAML front matter)";

    /// <summary>Collects what the browser reports the site's Content-Security-Policy refused on the page.</summary>
    private static List<string> PolicyRefusals(IPage page)
    {
        var refusals = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
                refusals.Add(message.Text);
        };
        return refusals;
    }

    /// <summary>
    /// Replaces the editor's whole text as an admin would: select all, then paste. (Typed text would be indented by
    /// the editor as it goes, and Chromium's own insertion into the editable element tries inline styles.)
    /// </summary>
    internal static async Task ReplaceText(IPage page, string text)
    {
        var editor = page.GetByLabel(Label);
        await editor.ClickAsync();
        await page.Keyboard.PressAsync("Control+A");
        await editor.EvaluateAsync("(element, text) => { const data = new DataTransfer(); data.setData('text/plain', text); " +
            "element.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true })); }", text);
        Assert.Equal(text, await page.Locator(".cm-content").EvaluateAsync<string>("c => Array.from(c.querySelectorAll('.cm-line'), l => l.textContent).join('\\n')"));
    }

    /// <summary>Signs in; axe checks the form only where the page runs scripts (axe is one).</summary>
    private static async Task SignIn(IPage page, bool javaScript)
    {
        if (javaScript)
        {
            await BrowserSite.SignIn(page);
            return;
        }
        await page.GotoAsync("/admin/login");
        await page.GetByLabel("Name").FillAsync(BrowserSite.AdminName);
        await page.GetByLabel("Password").FillAsync(BrowserSite.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await BrowserSite.WaitForPage(page, "**/admin");
    }

    /// <summary>The file's text as the page sent it, in the form's textarea (the editor's source).</summary>
    internal static Task<string> FileOnPage(IPage page) => page.Locator("textarea[name=Text]").InputValueAsync();

    [Fact]
    public async Task With_javascript_the_editor_shows_line_numbers_highlighting_and_passes_axe_at_both_widths()
    {
        foreach (var width in new[] { 1280, 360 })
        {
            var page = await site.NewPage(width);
            var refusals = PolicyRefusals(page);
            await BrowserSite.SignIn(page);
            await page.GotoAsync("/admin/content/tools/beta.md");

            var lines = (await FileOnPage(page)).TrimEnd('\n').Split('\n').Length;
            await Assertions.Expect(page.Locator(".cm-editor .cm-lineNumbers .cm-gutterElement", new() { HasTextRegex = new Regex($"^{lines}$") })).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("textarea[name=Text]")).ToBeHiddenAsync();
            await Assertions.Expect(page.GetByLabel(Label)).ToHaveAttributeAsync("role", "textbox");
            // The front matter's keys are highlighted apart from their values.
            await Assertions.Expect(page.Locator(".cm-line", new() { HasTextString = "tagline:" }).Locator("span").First).ToHaveTextAsync("tagline");

            await BrowserSite.AssertNoAxeViolations(page);
            await BrowserSite.Screenshot(page, "admin-code-editor");
            Assert.True(refusals.Count == 0, string.Join('\n', refusals));
            await page.Context.CloseAsync();
        }
        Assert.Empty(site.ForeignRequests);
    }

    [Fact]
    public async Task A_save_with_a_bad_value_marks_it_and_clicking_the_error_puts_the_cursor_on_its_line_and_column()
    {
        var page = await site.NewPage();
        var refusals = PolicyRefusals(page);
        await BrowserSite.SignIn(page);
        await page.GotoAsync("/admin/content/reviewers/cy.md");
        var text = (await FileOnPage(page)).Replace("order: 3", "order: third", StringComparison.Ordinal);
        var lines = text.Split('\n');
        var line = Array.FindIndex(lines, l => l.StartsWith("order:", StringComparison.Ordinal)) + 1;
        var column = lines[line - 1].IndexOf("third", StringComparison.Ordinal) + 1;
        Assert.True(line > 1 && column > 1);

        await ReplaceText(page, text);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        await Assertions.Expect(page.Locator(".error-line").First).ToContainTextAsync("'order' must be a whole number");
        await Assertions.Expect(page.Locator(".cm-lintRange-error")).ToHaveTextAsync("third");
        var lineTops = await page.Locator(".cm-lineNumbers .cm-gutterElement", new() { HasTextRegex = new Regex($"^{line}$") }).BoundingBoxAsync();
        var marker = await page.Locator(".cm-gutter-lint .cm-lint-marker-error").BoundingBoxAsync();
        Assert.NotNull(lineTops);
        Assert.NotNull(marker);
        Assert.InRange(marker.Y + marker.Height / 2, lineTops.Y, lineTops.Y + lineTops.Height);

        // Move the cursor away first, so that the click is what brings it to the error.
        await page.GetByLabel(Label).PressAsync("Control+Home");
        await Assertions.Expect(page.Locator("#cursor-position")).ToHaveTextAsync("Line 1, column 1");
        await page.Locator(".error-line button").First.ClickAsync();
        await Assertions.Expect(page.Locator("#cursor-position")).ToHaveTextAsync($"Line {line}, column {column}");
        await Assertions.Expect(page.GetByLabel(Label)).ToBeFocusedAsync();
        await Assertions.Expect(page.Locator(".cm-activeLine")).ToHaveTextAsync(lines[line - 1]);

        await BrowserSite.AssertNoAxeViolations(page);
        await BrowserSite.Screenshot(page, "admin-code-editor-error");
        Assert.True(refusals.Count == 0, string.Join('\n', refusals));
    }

    [Fact]
    public async Task Long_lines_wrap_at_360_px_in_the_editor_and_in_the_plain_textarea()
    {
        var longLine = string.Join(' ', Enumerable.Repeat("a-long-unbroken-word-in-a-description", 30)) + new string('x', 400);
        // The plain textarea is measured on a page whose editor script is not delivered (a page without JavaScript
        // cannot be measured from inside); the page without JavaScript at all then shows it keeps its place.
        foreach (var mode in new[] { "editor", "textarea", "no script" })
        {
            var page = await site.NewPage(360, javaScript: mode != "no script");
            if (mode == "textarea")
                await page.RouteAsync(new Regex(@"/js/editor\.bundle\.([a-z0-9]+\.)?js(\?|$)"), route => route.AbortAsync());
            await SignIn(page, javaScript: mode != "no script");
            await page.GotoAsync("/admin/content/tools/delta.md");
            var text = (await FileOnPage(page)).TrimEnd('\n') + "\n\n" + longLine + "\n";
            if (mode == "editor")
                await ReplaceText(page, text);
            else
                await page.GetByLabel(Label).FillAsync(text);
            await page.GetByRole(AriaRole.Button, new() { Name = "Preview" }).ClickAsync();
            await BrowserSite.WaitForPage(page, "**/admin/content/tools/delta.md**");
            await Assertions.Expect(page.Locator(".preview")).ToBeVisibleAsync();

            var editor = page.Locator(mode == "editor" ? ".cm-editor" : "textarea[name=Text]");
            var box = await editor.BoundingBoxAsync();
            Assert.NotNull(box);
            Assert.True(box.X >= 0 && box.X + box.Width <= 360, $"the {mode} spans {box.X}..{box.X + box.Width}px at 360px");
            var preview = await page.Locator(".preview").BoundingBoxAsync();
            Assert.True(preview!.Y > box.Y + box.Height, $"at 360 px the preview sits below the {mode}");
            await BrowserSite.Screenshot(page, $"admin-{mode.Replace(' ', '-')}-wrapped");
            if (mode == "no script")
            {
                await page.Context.CloseAsync();
                continue;
            }

            Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= 360"), $"the page scrolls sideways at 360px ({mode})");
            var scroller = await page.Locator(mode == "editor" ? ".cm-scroller" : "textarea[name=Text]").EvaluateAsync<int[]>("s => [s.scrollWidth, s.clientWidth]");
            Assert.True(scroller[0] <= scroller[1], $"the {mode} scrolls sideways: {scroller[0]} > {scroller[1]}");
            if (mode == "editor")
            {
                var wrapped = await page.Locator(".cm-line", new() { HasTextString = "xxxxxxxx" }).BoundingBoxAsync();
                Assert.True(wrapped!.Height > 100, "the long line is drawn on several rows");
            }
            else
            {
                Assert.Equal(text, await FileOnPage(page));
            }
            await BrowserSite.AssertNoAxeViolations(page);
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task On_a_wide_screen_the_preview_sits_beside_the_editor()
    {
        var page = await site.NewPage(1280);
        await BrowserSite.SignIn(page);
        await page.GotoAsync("/admin/content/tools/gamma.md");
        await page.GetByRole(AriaRole.Button, new() { Name = "Preview" }).ClickAsync();
        await Assertions.Expect(page.Locator(".preview .tagline")).ToHaveTextAsync("The third tool");

        var editor = await page.Locator(".cm-editor").BoundingBoxAsync();
        var preview = await page.Locator(".preview").BoundingBoxAsync();
        Assert.True(preview!.X >= editor!.X + editor.Width, $"the preview starts at {preview.X}px, inside the editor ending at {editor.X + editor.Width}px");
        Assert.True(preview.Y < editor.Y + editor.Height, "the preview is beside the editor, not below it");
        await BrowserSite.AssertNoAxeViolations(page);
        await BrowserSite.Screenshot(page, "admin-code-editor-preview");
    }

    [Fact]
    public async Task Without_javascript_the_textarea_saves_as_before()
    {
        var page = await site.NewPage(360, javaScript: false);
        await SignIn(page, javaScript: false);
        await page.GotoAsync("/admin/content/tools/alpha.md");
        var editor = page.GetByLabel(Label);
        await Assertions.Expect(editor).ToBeVisibleAsync();
        Assert.Equal(0, await page.Locator(".cm-editor").CountAsync());
        var text = await editor.InputValueAsync();
        await editor.FillAsync(text.Replace("The first tool", "Saved with no script", StringComparison.Ordinal));

        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await BrowserSite.WaitForPage(page, "**/admin/content/tools/alpha.md?done=saved");
        await Assertions.Expect(page.Locator(".notice-ok")).ToContainTextAsync("Saved");
        Assert.Contains("Saved with no script", await page.GetByLabel(Label).InputValueAsync(), StringComparison.Ordinal);

        var visitor = await site.NewPage();
        await visitor.GotoAsync("/tools/alpha");
        Assert.Equal("Saved with no script", await visitor.Locator(".lede").InnerTextAsync());
    }
}
