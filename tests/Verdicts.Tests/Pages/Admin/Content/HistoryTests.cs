using System.Net;
using System.Text;
using Dapper;
using Verdicts.Tests.Infrastructure;
using Verdicts.Web.Admin;

namespace Verdicts.Tests.Pages.Admin.Content;

public sealed class HistoryTests
{
    private static Dictionary<string, string?> TwoAdmins()
    {
        var settings = AdminSession.AdminSettings();
        settings["Verdicts:Admins:1:Name"] = "bo";
        settings["Verdicts:Admins:1:PasswordHash"] = AdminAccounts.Hash("another horse");
        return settings;
    }

    private static async Task<HttpResponseMessage> Save(HttpClient client, string path, string text) =>
        await client.Submit((await client.GetPage($"/admin/content/{path}")).QuerySelector("form.editor-form")!, "Save", null, ("Text", text));

    private static async Task Saved(HttpClient client, string path, string text)
    {
        using var response = await Save(client, path, text);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    private static List<(string Admin, string Action, string? Before, string? After)> Audit(VerdictsApp app, string path)
    {
        using var connection = app.Database.ReadWrites();
        return connection.Query<(string, string, string?, string?)>("SELECT admin, action, sha256_before, sha256_after FROM audit WHERE path = @path ORDER BY id", new { path }).ToList();
    }

    private static string Sha(string text) => Verdicts.Web.Content.ContentParser.Hash(Encoding.UTF8.GetBytes(text));

    [Fact]
    public async Task A_files_history_lists_each_version_newest_first_with_who_changed_it_and_the_diff()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content, TwoAdmins());
        var ada = await AdminSession.SignIn(app);
        var bo = await AdminSession.SignIn(app, "bo", "another horse");
        var original = content.Read("tools/alpha.md");
        var first = TestContent.ToolText("Alpha", tagline: "Ada's tagline");
        var second = TestContent.ToolText("Alpha", tagline: "Ada's tagline", entry: "$9/mo", body: "Bo rewrote the body.");
        await Saved(ada, "tools/alpha.md", first);
        await Saved(bo, "tools/alpha.md", second);
        await Saved(ada, "tools/beta.md", TestContent.ToolText("Beta", tagline: "Another file"));

        var editor = await ada.GetPage("/admin/content/tools/alpha.md");
        var page = await ada.GetPage(editor.QuerySelector("a[href='/admin/history/tools/alpha.md']")!.GetAttribute("href")!);

        var entries = page.QuerySelectorAll("li.history-entry[data-action]").ToList();
        Assert.Equal([("bo", "save"), ("ada", "save")], entries.Select(e => (e.GetAttribute("data-admin"), e.GetAttribute("data-action"))));
        Assert.StartsWith("Saved by bo, ", entries[0].QuerySelector("h2").Text(), StringComparison.Ordinal);
        DiffTable.AssertShows(entries[0], "change-" + entries[0].GetAttribute("data-id"), first, second);
        DiffTable.AssertShows(entries[1], "change-" + entries[1].GetAttribute("data-id"), original, first);
        // The newest is the file as it is; the older one and the original can be restored.
        Assert.Null(entries[0].QuerySelector("button"));
        Assert.Equal("after-" + entries[1].GetAttribute("data-id"), entries[1].QuerySelector("button[name=Version]")!.GetAttribute("value"));
        Assert.Equal("before-" + entries[1].GetAttribute("data-id"), page.QuerySelector("li.history-entry:not([data-action]) button[name=Version]")!.GetAttribute("value"));
    }

    [Fact]
    public async Task A_verdicts_history_says_when_the_reviewer_changed_stance()
    {
        using var content = TestContent.Sample();
        await using var app = AdminSession.App(content);
        var client = await AdminSession.SignIn(app);
        await Saved(client, "verdicts/beta/ada.md", "---\nverdict: skip\n---\nChanged my mind after a month.\n");
        await Saved(client, "verdicts/beta/ada.md", "---\nverdict: skip\n---\nStill a skip, reworded.\n");
        await Saved(client, "verdicts/beta/ada.md", "---\nverdict: ship\n---\nBack to ship after the update.\n");

        var stances = (await client.GetPage("/admin/history/verdicts/beta/ada.md")).QuerySelectorAll("li.history-entry[data-action]")
            .Select(e => e.QuerySelector(".stance")?.Text()).ToList();

        Assert.Equal(["Ada Lane changed stance from “skip” to “ship”.", null, "Ada Lane changed stance from “ship” to “skip”."], stances);
    }

    [Fact]
    public async Task Restoring_a_version_saves_it_through_the_editor_and_records_it()
    {
        using var content = TestContent.Sample();
        await using var app = AdminSession.App(content);
        var client = await AdminSession.SignIn(app);
        var original = content.Read("tools/alpha.md");
        var edited = TestContent.ToolText("Alpha", tagline: "A change to undo");
        await Saved(client, "tools/alpha.md", edited);
        var page = await client.GetPage("/admin/history/tools/alpha.md");
        var form = page.QuerySelector("form.history-form")!;
        var restore = page.QuerySelector("li.history-entry:not([data-action]) button[name=Version]")!.GetAttribute("value")!;

        using var response = await client.Submit(form, restore);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/admin/content/tools/alpha.md?done=restored", response.Headers.Location?.OriginalString);
        Assert.Equal(original, content.Read("tools/alpha.md"));
        Assert.Equal(("ada", "restore", Sha(edited), Sha(original)), Audit(app, "tools/alpha.md")[^1]);
        Assert.Contains("The first tool", await app.CreateClient().GetStringAsync(new Uri("/tools/alpha", UriKind.Relative)), StringComparison.Ordinal);
        var history = await client.GetPage("/admin/history/tools/alpha.md");
        var newest = history.QuerySelector("li.history-entry[data-action]")!;
        Assert.Equal("restore", newest.GetAttribute("data-action"));
        DiffTable.AssertShows(newest, "change-" + newest.GetAttribute("data-id"), edited, original);
    }

    [Fact]
    public async Task Restoring_a_version_that_does_not_validate_is_refused_with_its_errors_and_changes_nothing()
    {
        using var content = TestContent.Sample();
        // Someone put a broken file in place by hand; an admin fixed it, so the broken text is in the history.
        var broken = "---\nname: Alpha\ncategory: Tools\ntagline: Fine\ncolour: blue\npricing:\n  entry: Free\n---\nBody\n";
        content.File("tools/alpha.md", broken);
        await using var app = AdminSession.App(content);
        var client = await AdminSession.SignIn(app);
        var fixedText = TestContent.ToolText("Alpha", tagline: "Fixed");
        await Saved(client, "tools/alpha.md", fixedText);
        var page = await client.GetPage("/admin/history/tools/alpha.md");
        var restore = page.QuerySelector("li.history-entry:not([data-action]) button[name=Version]")!.GetAttribute("value")!;
        var files = EditTests.Files(content);
        var audit = Audit(app, "tools/alpha.md");

        using var response = await client.Submit(page.QuerySelector("form.history-form")!, restore);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var refused = Html.Parse(await response.Content.ReadAsStringAsync());
        Assert.StartsWith("line 5, column 1: unknown key 'colour'", refused.QuerySelector(".error-line").Text(), StringComparison.Ordinal);
        Assert.Equal(broken, refused.QuerySelector("form.editor-form textarea")!.TextContent);
        Assert.Equal(files, EditTests.Files(content));
        Assert.Equal(audit, Audit(app, "tools/alpha.md"));
    }

    [Fact]
    public async Task Restoring_after_someone_else_changed_the_file_shows_the_conflict_page_and_changes_nothing()
    {
        using var content = TestContent.Sample();
        await using var app = AdminSession.App(content);
        var client = await AdminSession.SignIn(app);
        var original = content.Read("tools/alpha.md");
        var edited = TestContent.ToolText("Alpha", tagline: "Edited through the admin");
        await Saved(client, "tools/alpha.md", edited);
        var page = await client.GetPage("/admin/history/tools/alpha.md");
        var theirs = TestContent.ToolText("Alpha", tagline: "Changed on disk after the history was drawn");
        content.File("tools/alpha.md", theirs);
        var audit = Audit(app, "tools/alpha.md");

        using var response = await client.Submit(page.QuerySelector("form.history-form")!,
            page.QuerySelector("li.history-entry:not([data-action]) button[name=Version]")!.GetAttribute("value")!);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(theirs, content.Read("tools/alpha.md"));
        Assert.Equal(audit, Audit(app, "tools/alpha.md"));
        var conflict = Html.Parse(await response.Content.ReadAsStringAsync());
        DiffTable.AssertShows(conflict, "meanwhile", edited, theirs);
        DiffTable.AssertShows(conflict, "yours", theirs, original);
        Assert.Equal(original, conflict.QuerySelector("textarea#submitted-text")!.TextContent);
    }

    [Fact]
    public async Task A_restore_naming_no_version_of_this_file_is_refused_and_changes_nothing()
    {
        using var content = TestContent.Sample();
        await using var app = AdminSession.App(content);
        var client = await AdminSession.SignIn(app);
        await Saved(client, "tools/beta.md", TestContent.ToolText("Beta", tagline: "Only beta has history"));
        var betaChange = (await client.GetPage("/admin/history/tools/beta.md")).QuerySelector("li.history-entry[data-action]")!.GetAttribute("data-id");
        await Saved(client, "tools/alpha.md", TestContent.ToolText("Alpha", tagline: "Now alpha too"));
        var form = (await client.GetPage("/admin/history/tools/alpha.md")).QuerySelector("form.history-form")!;
        var files = EditTests.Files(content);

        foreach (var version in new[] { "after-" + betaChange, "after-999", "sideways-1", "after-", "", "after-1-2" })
        {
            using var response = await client.Submit(form, null, null, ("Version", version));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
        Assert.Equal(files, EditTests.Files(content));
    }
}
