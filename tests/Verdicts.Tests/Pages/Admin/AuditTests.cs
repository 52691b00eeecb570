using System.Net;
using Dapper;
using Verdicts.Tests.Infrastructure;

namespace Verdicts.Tests.Pages.Admin;

public sealed class AuditTests
{
    private static async Task<HttpResponseMessage> Save(HttpClient client, string path, string text) =>
        await client.Submit((await client.GetPage($"/admin/content/{path}")).QuerySelector("form.editor-form")!, "Save", null, ("Text", text));

    [Fact]
    public async Task The_audit_log_shows_a_saves_diff_a_rename_a_delete_and_a_vote_withdrawal_with_who_and_when()
    {
        using var content = TestContent.Sample();
        var clock = new TestClock(new DateTimeOffset(2026, 12, 6, 16, 4, 6, TimeSpan.Zero));
        await using var app = new VerdictsApp(content, AdminSession.AdminSettings()) { Clock = clock };
        var client = await AdminSession.SignIn(app);
        var before = content.Read("tools/beta.md");
        var edited = TestContent.ToolText("Beta", tagline: "Edited for the audit", entry: "$20/mo");

        using (var saved = await Save(client, "tools/beta.md", edited))
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var rename = (await client.GetPage("/admin/content/tools/alpha.md")).QuerySelector("form[action*='handler=Rename']")!;
        using (var renamed = await client.Submit(rename, "Rename", null, ("NewSlug", "alpha-prime")))
            Assert.Equal(HttpStatusCode.Redirect, renamed.StatusCode);
        var gamma = content.Read("tools/gamma.md");
        var delete = (await client.GetPage("/admin/content/tools/gamma.md?handler=Delete")).QuerySelector("form[action*='handler=Delete']")!;
        using (var deleted = await client.Submit(delete, "Yes, delete the file"))
            Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        using (var connection = app.Database.OpenWrites())
        {
            connection.Execute("INSERT INTO votes (tool_slug, voter, choice, voted_at) VALUES ('beta', @voter, 'ship', @at)",
                new[] { "2026-03-01T10:02:00.000Z", "2026-03-01T10:04:00.000Z" }.Select(at => new { voter = Guid.NewGuid().ToString("N"), at }));
        }
        await app.Recount("beta");
        var votes = await client.FormOn("/admin/votes", "form.withdraw-form");
        using var asked = await client.PostForm(votes, values: [("Tool", "beta"), ("From", "2026-03-01T10:00"), ("To", "2026-03-01T10:05")]);
        var confirm = Html.Parse(await asked.Content.ReadAsStringAsync()).QuerySelector("form.confirm-form")!;
        using (var withdrawn = await client.PostForm(confirm))
            Assert.Equal(HttpStatusCode.Redirect, withdrawn.StatusCode);

        var page = await client.GetPage("/admin/audit");

        var when = "2026-12-06T16:04:06Z";
        var save = page.QuerySelector("tr[data-path='tools/beta.md'][data-action='save']")!;
        Assert.Equal(["ada", "save"], save.QuerySelectorAll("td").Skip(1).Take(2).Select(c => c.Text()));
        Assert.Equal(when, save.QuerySelector("time")!.GetAttribute("datetime"));
        DiffTable.AssertShows(save, "audit-" + save.GetAttribute("data-id"), before, edited);
        Assert.Equal("/admin/history/tools/beta.md", save.QuerySelector("th a")!.GetAttribute("href"));

        var renameRows = page.QuerySelectorAll("tr[data-action='rename']");
        Assert.Contains(renameRows, r => r.GetAttribute("data-path") == "tools/alpha-prime.md");
        Assert.Contains(renameRows, r => r.GetAttribute("data-path") == "tools/alpha.md");
        Assert.All(renameRows, r => Assert.Equal("tool 'alpha' renamed to 'alpha-prime'", r.QuerySelector(".audit-detail").Text()));
        Assert.All(renameRows, r => Assert.Equal("ada", r.QuerySelectorAll("td")[1].Text()));

        var removed = page.QuerySelector("tr[data-path='tools/gamma.md'][data-action='delete']")!;
        var gammaLines = gamma.TrimEnd('\n').Split('\n').Length;
        Assert.Equal($"0 lines added, {gammaLines} removed", removed.QuerySelector(".audit-diff summary").Text());
        DiffTable.AssertShows(removed, "audit-" + removed.GetAttribute("data-id"), gamma, "");

        var withdrawal = page.QuerySelector("tr[data-path='votes/beta'][data-action='withdraw-votes']")!;
        Assert.Equal("2 votes from 2026-03-01T10:00:00Z to 2026-03-01T10:06:00Z (end excluded)", withdrawal.QuerySelector(".audit-detail").Text());
        Assert.Equal(when, withdrawal.QuerySelector("time")!.GetAttribute("datetime"));
    }

    [Fact]
    public async Task A_diff_too_long_to_keep_is_summarised_by_its_counts()
    {
        using var content = TestContent.Sample();
        await using var app = AdminSession.App(content);
        var client = await AdminSession.SignIn(app);
        var before = content.Read("tools/alpha.md");
        var lines = Enumerable.Range(1, 600).Select(i => $"Line {i} of a long body.").ToList();
        var edited = TestContent.ToolText("Alpha", tagline: "The first tool", body: string.Join('\n', lines));

        using (var saved = await Save(client, "tools/alpha.md", edited))
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);

        var expected = DiffTable.Expected(before, edited);
        var row = (await client.GetPage("/admin/audit")).QuerySelector("tr[data-path='tools/alpha.md']")!;
        Assert.Null(row.QuerySelector("table.diff"));
        Assert.Equal($"{expected.Inserted.Count} lines added, {expected.Deleted.Count} removed", row.QuerySelector(".audit-diff summary").Text());
        Assert.Contains("too long", row.QuerySelector(".diff-summary").Text(), StringComparison.Ordinal);
        using var connection = app.Database.ReadWrites();
        var (diff, added, removed) = connection.QuerySingle<(string?, long, long)>("SELECT diff, lines_added, lines_removed FROM audit");
        Assert.Null(diff);
        Assert.Equal((expected.Inserted.Count, expected.Deleted.Count), ((int)added, (int)removed));
    }

    [Fact]
    public async Task The_audit_log_shows_fifty_entries_a_page_and_links_to_the_older_ones()
    {
        using var content = TestContent.Sample();
        await using var app = AdminSession.App(content);
        var client = await AdminSession.SignIn(app);
        using (var connection = app.Database.OpenWrites())
        {
            connection.Execute("INSERT INTO audit (at, admin, action, path, detail) VALUES (@at, 'ada', 'export-subscribers', 'subscribers', @detail)",
                Enumerable.Range(1, 73).Select(i => new { at = $"2026-12-06T10:{i / 60:00}:{i % 60:00}Z", detail = $"entry {i}" }));
        }

        var first = await client.GetPage("/admin/audit");
        Assert.Equal(Enumerable.Range(24, 50).Reverse().Select(i => $"entry {i}"), first.QuerySelectorAll("tbody tr .audit-detail").Select(c => c.Text()));
        var older = first.QuerySelector("a[rel='next']")!.GetAttribute("href")!;
        var second = await client.GetPage(older);
        Assert.Equal(Enumerable.Range(1, 23).Reverse().Select(i => $"entry {i}"), second.QuerySelectorAll("tbody tr .audit-detail").Select(c => c.Text()));
        Assert.Null(second.QuerySelector("a[rel='next']"));

        foreach (var bad in new[] { "?before=x", "?before=-1", "?before=1&before=2", "?before=99999999999999999999" })
        {
            using var response = await client.Get("/admin/audit" + bad);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
    }
}
