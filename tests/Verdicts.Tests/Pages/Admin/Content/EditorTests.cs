using System.Net;
using Verdicts.Tests.Infrastructure;

namespace Verdicts.Tests.Pages.Admin.Content;

/// <summary>The code editor over the edit page's textarea: served by the site itself, loaded only where it is used, and
/// the page still a plain form without it.</summary>
public sealed class EditorTests
{
    private static async Task<(VerdictsApp App, HttpClient Client)> Open(TestContent content)
    {
        var app = new VerdictsApp(content, AdminSession.AdminSettings());
        return (app, await AdminSession.SignIn(app));
    }

    [Fact]
    public async Task The_editor_bundle_and_its_licences_are_served_by_the_site_as_javascript_and_text()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        var client = app.CreateClient();

        using var bundle = await client.GetAsync("/js/editor.bundle.js");
        Assert.Equal(HttpStatusCode.OK, bundle.StatusCode);
        Assert.Equal("text/javascript", bundle.Content.Headers.ContentType?.MediaType);
        var script = await bundle.Content.ReadAsStringAsync();
        Assert.Contains("editor.bundle.js.LICENSES.txt", script, StringComparison.Ordinal);
        // Bundled for a policy of script-src 'self': no eval and no code built from strings.
        Assert.DoesNotContain("eval(", script, StringComparison.Ordinal);
        Assert.DoesNotContain("new Function(", script, StringComparison.Ordinal);

        using var licences = await client.GetAsync("/js/editor.bundle.js.LICENSES.txt");
        Assert.Equal(HttpStatusCode.OK, licences.StatusCode);
        Assert.Equal("text/plain", licences.Content.Headers.ContentType?.MediaType);
        var text = await licences.Content.ReadAsStringAsync();
        Assert.Contains("@codemirror/view", text, StringComparison.Ordinal);
        Assert.Contains("Permission is hereby granted", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_edit_page_loads_the_bundle_from_the_site_and_nothing_from_another_host()
    {
        using var content = TestContent.Sample();
        var (app, client) = await Open(content);
        await using var _ = app;

        var page = await client.GetPage("/admin/content/tools/alpha.md");

        var scripts = page.QuerySelectorAll("script").Select(s => s.GetAttribute("src")).ToList();
        // Linked with its content fingerprint, so browsers keep it a year (issue 31).
        Assert.Matches(@"^/js/editor\.bundle\.[a-z0-9]+\.js$", Assert.Single(scripts));
        var references = page.QuerySelectorAll("[src], [href], [action], [srcset]")
            .SelectMany(e => new[] { e.GetAttribute("src"), e.GetAttribute("href"), e.GetAttribute("action"), e.GetAttribute("srcset") })
            .OfType<string>().ToList();
        Assert.NotEmpty(references);
        Assert.All(references, r => Assert.True(r.StartsWith('/') && !r.StartsWith("//", StringComparison.Ordinal) || r.StartsWith('#'), $"{r} is not on this site"));
        // The textarea is still the form's field, whole, so the page works as before without the script.
        Assert.Equal(content.Read("tools/alpha.md"), page.QuerySelector("form.editor-form textarea[name=Text]")!.TextContent.TrimStart('\n'));
    }

    [Fact]
    public async Task Only_the_edit_page_lets_style_elements_in_and_only_with_a_fresh_nonce_of_its_own()
    {
        using var content = TestContent.Sample();
        var (app, client) = await Open(content);
        await using var _ = app;
        const string plain = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; font-src 'self'; " +
            "form-action 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

        var nonces = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            using var response = await client.GetAsync("/admin/content/tools/alpha.md");
            var policy = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
            var nonce = Html.Parse(await response.Content.ReadAsStringAsync()).QuerySelector("textarea[name=Text]")!.GetAttribute("data-style-nonce")!;
            Assert.True(Convert.FromBase64String(nonce).Length >= 16);
            Assert.Equal(plain.Replace("style-src 'self'", $"style-src 'self' 'nonce-{nonce}'", StringComparison.Ordinal), policy);
            nonces.Add(nonce);
        }
        Assert.NotEqual(nonces[0], nonces[1]);

        foreach (var path in new[] { "/admin/content", "/admin", "/", "/js/editor.bundle.js" })
        {
            using var response = await client.GetAsync(path);
            Assert.Equal(plain, Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
        }
    }

    [Fact]
    public async Task Other_admin_pages_do_not_load_the_editor()
    {
        using var content = TestContent.Sample();
        var (app, client) = await Open(content);
        await using var _ = app;

        foreach (var path in new[] { "/admin", "/admin/content", "/admin/new", "/admin/audit" })
            Assert.DoesNotContain((await client.GetPage(path)).QuerySelectorAll("script[src]"), s => s.GetAttribute("src")!.Contains("editor", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_refused_save_tells_the_editor_the_line_and_column_of_each_error()
    {
        using var content = TestContent.Sample().Reviewer("zed", "Zed", "L", 3);
        var (app, client) = await Open(content);
        await using var _ = app;
        var form = (await client.GetPage("/admin/content/reviewers/zed.md")).QuerySelector("form.editor-form")!;
        var text = content.Read("reviewers/zed.md").Replace("order: 3", "order: third", StringComparison.Ordinal);
        var lines = text.Split('\n');
        var line = Array.FindIndex(lines, l => l.StartsWith("order:", StringComparison.Ordinal)) + 1;
        var column = lines[line - 1].IndexOf("third", StringComparison.Ordinal) + 1;

        using var response = await client.Submit(form, "Save", null, ("Text", text));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var page = Html.Parse(await response.Content.ReadAsStringAsync());
        var error = Assert.Single(page.QuerySelectorAll(".error-line"));
        Assert.Equal(($"{line}", $"{column}"), (error.GetAttribute("data-line"), error.GetAttribute("data-column")));
        Assert.Equal("'order' must be a whole number", error.QuerySelector(".error-message")?.TextContent);
        // Without the script the position is text: a link would reload the file from disk and drop the refused text.
        Assert.Equal($"line {line}, column {column}", error.QuerySelector(".error-position")?.TextContent);
        Assert.Null(error.QuerySelector("a"));
        var textarea = page.QuerySelector("textarea[name=Text]")!;
        Assert.Equal(($"{line}", $"{column}"), (textarea.GetAttribute("data-line"), textarea.GetAttribute("data-column")));
    }
}
