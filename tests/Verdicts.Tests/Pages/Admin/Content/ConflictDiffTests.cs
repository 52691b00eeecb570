using System.Net;
using Verdicts.Tests.Infrastructure;

namespace Verdicts.Tests.Pages.Admin.Content;

public sealed class ConflictDiffTests
{
    [Fact]
    public async Task A_conflict_shows_what_changed_on_disk_meanwhile_and_the_admins_changes_against_it_and_offers_the_text_back_whole()
    {
        using var content = TestContent.Sample();
        await using var app = AdminSession.App(content);
        var client = await AdminSession.SignIn(app);
        var opened = content.Read("tools/alpha.md");
        var form = (await client.GetPage("/admin/content/tools/alpha.md")).QuerySelector("form.editor-form")!;
        var theirs = TestContent.ToolText("Alpha", tagline: "Saved by someone else", body: "A tool worth a look.\n\nWith a second paragraph.");
        content.File("tools/alpha.md", theirs);
        var mine = TestContent.ToolText("Alpha", tagline: "Mine", entry: "$5/mo") + "\n  indented <b>line</b> & more\n";

        using var response = await client.Submit(form, "Save", null, ("Text", mine));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(theirs, content.Read("tools/alpha.md"));
        var page = Html.Parse(await response.Content.ReadAsStringAsync());
        DiffTable.AssertShows(page, "meanwhile", opened, theirs);
        DiffTable.AssertShows(page, "yours", theirs, mine);
        Assert.Equal(mine, page.QuerySelector("textarea#submitted-text")!.TextContent);
        Assert.True(page.QuerySelector("textarea#submitted-text")!.HasAttribute("readonly"));
        Assert.Equal(theirs, page.QuerySelector("pre.conflict")!.TextContent);
    }

    [Fact]
    public async Task The_conflict_page_carries_the_disk_version_as_the_opened_one_so_a_second_conflict_diffs_from_it()
    {
        using var content = TestContent.Sample();
        await using var app = AdminSession.App(content);
        var client = await AdminSession.SignIn(app);
        var form = (await client.GetPage("/admin/content/tools/alpha.md")).QuerySelector("form.editor-form")!;
        var first = TestContent.ToolText("Alpha", tagline: "First change elsewhere");
        content.File("tools/alpha.md", first);
        using var conflict = await client.Submit(form, "Save", null, ("Text", TestContent.ToolText("Alpha", tagline: "Mine")));
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        var second = TestContent.ToolText("Alpha", tagline: "Second change elsewhere", entry: "Paid");
        content.File("tools/alpha.md", second);

        using var again = await client.Submit(Html.Parse(await conflict.Content.ReadAsStringAsync()).QuerySelector("form.editor-form")!, "Save");

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(second, content.Read("tools/alpha.md"));
        DiffTable.AssertShows(Html.Parse(await again.Content.ReadAsStringAsync()), "meanwhile", first, second);
    }

    [Fact]
    public async Task An_opened_text_that_does_not_match_the_opened_hash_is_not_trusted_for_the_diff()
    {
        using var content = TestContent.Sample();
        await using var app = AdminSession.App(content);
        var client = await AdminSession.SignIn(app);
        var form = (await client.GetPage("/admin/content/tools/alpha.md")).QuerySelector("form.editor-form")!;
        var theirs = TestContent.ToolText("Alpha", tagline: "Saved by someone else");
        content.File("tools/alpha.md", theirs);
        var mine = TestContent.ToolText("Alpha", tagline: "Mine");

        using var response = await client.Submit(form, "Save", null, ("Text", mine), ("OpenedText", "not what was opened\n"));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var page = Html.Parse(await response.Content.ReadAsStringAsync());
        Assert.Null(page.QuerySelector("[data-diff='meanwhile']"));
        Assert.Contains("did not come back with the form", page.QuerySelector(".conflict-section").Text(), StringComparison.Ordinal);
        DiffTable.AssertShows(page, "yours", theirs, mine);
        Assert.Equal(theirs, content.Read("tools/alpha.md"));
    }

    [Fact]
    public async Task A_delete_refused_because_the_file_changed_shows_what_changed_meanwhile()
    {
        using var content = TestContent.Sample();
        await using var app = AdminSession.App(content);
        var client = await AdminSession.SignIn(app);
        var opened = content.Read("tools/alpha.md");
        var form = (await client.GetPage("/admin/content/tools/alpha.md?handler=Delete")).QuerySelector("form.notice-error")!;
        var theirs = TestContent.ToolText("Alpha", tagline: "Saved by someone else while the delete was asked");
        content.File("tools/alpha.md", theirs);

        using var response = await client.Submit(form, null, null);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(theirs, content.Read("tools/alpha.md"));
        DiffTable.AssertShows(Html.Parse(await response.Content.ReadAsStringAsync()), "meanwhile", opened, theirs);
    }

    [Fact]
    public async Task A_rename_refused_because_the_file_changed_shows_what_changed_meanwhile()
    {
        using var content = TestContent.Sample();
        await using var app = AdminSession.App(content);
        var client = await AdminSession.SignIn(app);
        var opened = content.Read("tools/alpha.md");
        var form = (await client.GetPage("/admin/content/tools/alpha.md")).QuerySelector("form[action*='handler=Rename']")!;
        var theirs = TestContent.ToolText("Alpha", tagline: "Saved by someone else while the rename was typed");
        content.File("tools/alpha.md", theirs);

        using var response = await client.Submit(form, null, null, ("NewSlug", "alpha-two"));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(theirs, content.Read("tools/alpha.md"));
        Assert.False(File.Exists(content.PathOf("tools/alpha-two.md")));
        DiffTable.AssertShows(Html.Parse(await response.Content.ReadAsStringAsync()), "meanwhile", opened, theirs);
    }
}
