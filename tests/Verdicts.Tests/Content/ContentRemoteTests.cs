using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Verdicts.Tests.Infrastructure;
using Verdicts.Web.Content;

namespace Verdicts.Tests.Content;

/// <summary>
/// The content folder as a clone of a git remote (<c>Verdicts:ContentRemote</c>): each site here clones a bare
/// repository of its own test, and "someone else" pushes to it through a working clone of the test's own.
/// </summary>
public sealed class ContentRemoteTests
{
    private const string MissingGit = "git is not installed: run `apt-get install -y git` as root (.ci/run does this)";

    [Fact]
    public async Task A_site_clones_the_remote_into_an_empty_content_folder_at_start()
    {
        using var remote = GitRemote.Seeded();
        using var content = new TestContent();
        await using var app = Site(content, remote);

        var page = await app.CreateClient().GetStringAsync(new Uri("/tools/alpha", UriKind.Relative));

        Assert.Contains("The first tool", page, StringComparison.Ordinal);
        Assert.True(Directory.Exists(content.PathOf(".git")));
        Assert.Equal(remote.Head(), GitCommand.Run(content.Root, "rev-parse", "HEAD").Trim());
    }

    [Fact]
    public void A_site_refuses_to_start_on_a_content_folder_that_is_not_a_clone_of_the_remote()
    {
        using var remote = GitRemote.Seeded();
        using var content = TestContent.Sample();
        using var app = Site(content, remote);

        var refused = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        var messages = string.Join(" | ", Chain(refused).Select(e => e.Message));
        Assert.Contains("is not empty and not a clone of Verdicts:ContentRemote", messages, StringComparison.Ordinal);
        Assert.False(Directory.Exists(content.PathOf(".git")));
        Assert.Equal(TestContent.ToolText("Alpha", tagline: "The first tool"), content.Read("tools/alpha.md"));
    }

    [Fact]
    public void A_pull_interval_under_a_second_is_refused_at_start()
    {
        using var content = TestContent.Sample();
        using var app = new VerdictsApp(content, new Dictionary<string, string?> { ["Verdicts:ContentPullSeconds"] = "0.5" });

        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => app.CreateClient());

        Assert.Contains("ContentPullSeconds", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_commit_someone_else_pushed_shows_on_the_site_after_a_pull()
    {
        using var remote = GitRemote.Seeded();
        using var content = new TestContent();
        await using var app = Site(content, remote);
        var client = app.CreateClient();
        Assert.DoesNotContain("Pushed from a laptop", await client.GetStringAsync(new Uri("/tools/alpha", UriKind.Relative)), StringComparison.Ordinal);
        remote.Push("tools/alpha.md", TestContent.ToolText("Alpha", tagline: "Pushed from a laptop"));
        var generation = app.Reloader.Generation;

        Assert.True(await Clone(app).PullAsync());
        await app.WaitForReloadAfter(generation);

        Assert.Contains("Pushed from a laptop", await client.GetStringAsync(new Uri("/tools/alpha", UriKind.Relative)), StringComparison.Ordinal);
        Assert.False(await Clone(app).PullAsync());
    }

    [Fact]
    public async Task An_admin_save_is_a_commit_on_the_remote_by_the_admin_naming_the_file()
    {
        using var remote = GitRemote.Seeded();
        using var content = new TestContent();
        await using var app = Site(content, remote);
        var client = await AdminSession.SignIn(app);
        var edited = TestContent.ToolText("Alpha", tagline: "Edited in the browser");

        using var response = await client.Submit(await EditorForm(client, "tools/alpha.md"), "Save", null, ("Text", edited));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(edited, remote.Show("tools/alpha.md"));
        Assert.Equal($"{AdminSession.Name}|Edit tools/alpha.md", remote.Git("log", "-1", "--format=%an|%s").Trim());
        Assert.Contains("Edited in the browser", await app.CreateClient().GetStringAsync(new Uri("/tools/alpha", UriKind.Relative)), StringComparison.Ordinal);
        Assert.Equal("", GitCommand.Run(content.Root, "status", "--porcelain"));
    }

    [Fact]
    public async Task A_files_history_comes_from_git_with_commits_made_elsewhere_and_a_version_restores_through_the_save()
    {
        using var remote = GitRemote.Seeded();
        using var content = new TestContent();
        await using var app = Site(content, remote);
        var seeded = remote.Show("tools/alpha.md");
        var laptop = TestContent.ToolText("Alpha", tagline: "Pushed from a laptop");
        remote.Push("tools/alpha.md", laptop);
        // Pulled here, or by the site's own pull a moment earlier.
        await Clone(app).PullAsync();
        Assert.Equal(laptop, content.Read("tools/alpha.md"));
        var client = await AdminSession.SignIn(app);
        var edited = TestContent.ToolText("Alpha", tagline: "Edited in the browser");
        using (var saved = await client.Submit(await EditorForm(client, "tools/alpha.md"), "Save", null, ("Text", edited)))
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);

        var history = await client.GetPage("/admin/history/tools/alpha.md");

        var entries = history.QuerySelectorAll("li.history-entry[data-admin]").ToList();
        Assert.Equal([AdminSession.Name, "Someone Else", "Someone Else"], entries.Select(e => e.GetAttribute("data-admin")));
        Assert.Equal(["save", "save", "create"], entries.Select(e => e.GetAttribute("data-action")));
        Assert.Contains($"Edit tools/alpha.md", entries[0].Text(), StringComparison.Ordinal);
        Pages.Admin.DiffTable.AssertShows(entries[0], "change-" + entries[0].GetAttribute("data-id"), laptop, edited);
        Pages.Admin.DiffTable.AssertShows(entries[1], "change-" + entries[1].GetAttribute("data-id"), seeded, laptop);

        var restore = history.QuerySelector("form.history-form")!;
        var button = entries[1].QuerySelector("button[name=Version]")!.GetAttribute("value")!;
        using var restored = await client.Submit(restore, button, null);

        Assert.Equal(HttpStatusCode.Redirect, restored.StatusCode);
        Assert.Equal(laptop, content.Read("tools/alpha.md"));
        Assert.Equal(laptop, remote.Show("tools/alpha.md"));
        Assert.Equal(AdminSession.Name, remote.Git("log", "-1", "--format=%an").Trim());
        var after = (await client.GetPage("/admin/history/tools/alpha.md")).QuerySelectorAll("li.history-entry[data-admin]").ToList();
        Assert.Equal(4, after.Count);
        Assert.Contains("The file is this version now.", after[0].Text(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("after-0123456789abcdef0123456789abcdef01234567")]
    [InlineData("after---upload-pack=touch")]
    [InlineData("before-HEAD")]
    public async Task Restoring_a_commit_the_file_never_had_is_refused_and_changes_nothing(string version)
    {
        using var remote = GitRemote.Seeded();
        using var content = new TestContent();
        await using var app = Site(content, remote);
        var client = await AdminSession.SignIn(app);
        var history = await client.GetPage("/admin/history/tools/alpha.md");
        var before = content.Read("tools/alpha.md");

        using var response = await client.Submit(history.QuerySelector("form.history-form")!, null, null, ("Version", version));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before, content.Read("tools/alpha.md"));
    }

    [Fact]
    public async Task A_new_file_a_delete_and_a_rename_are_each_one_commit_on_the_remote()
    {
        using var remote = GitRemote.Seeded();
        using var content = new TestContent();
        await using var app = Site(content, remote);
        var client = await AdminSession.SignIn(app);

        using (var created = await client.Submit(await client.FormOn("/admin/new", "form.admin-form"), "Create", null, ("Kind", "tool"), ("Name", "Delta"), ("Category", "Developer Tools"), ("Tagline", "A new tool"), ("Price", "Free")))
            Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var confirm = (await client.GetPage("/admin/content/tools/gamma.md?handler=Delete")).QuerySelector("form[action*='handler=Delete']")!;
        using (var deleted = await client.Submit(confirm, "Yes, delete the file"))
            Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        var rename = (await client.GetPage("/admin/content/tools/beta.md")).QuerySelector("form[action*='handler=Rename']")!;
        using (var renamed = await client.Submit(rename, "Rename", null, ("NewSlug", "beta-prime")))
            Assert.Equal(HttpStatusCode.Redirect, renamed.StatusCode);

        Assert.Equal(
            ["Tool 'beta' renamed to 'beta-prime'", "Delete tools/gamma.md", "Create tools/delta.md", "The sample content"],
            remote.Git("log", "--format=%s").Trim().Split('\n'));
        Assert.Equal(
            ["comparisons/alpha-or-beta.md", "reviewers/ada.md", "reviewers/bo.md", "tools/alpha.md", "tools/beta-prime.md", "tools/delta.md",
             "verdicts/alpha/ada.md", "verdicts/alpha/bo.md", "verdicts/beta-prime/ada.md", "verdicts/beta-prime/bo.md"],
            remote.Git("ls-tree", "-r", "--name-only", "main").Trim().Split('\n'));
        Assert.Equal("", GitCommand.Run(content.Root, "status", "--porcelain"));
    }

    [Fact]
    public async Task Of_two_saves_of_one_file_through_two_sites_one_wins_and_the_other_gets_the_conflict_page()
    {
        using var remote = GitRemote.Seeded();
        using var contentA = new TestContent();
        using var contentB = new TestContent();
        await using var siteA = Site(contentA, remote);
        await using var siteB = Site(contentB, remote);
        var adminA = await AdminSession.SignIn(siteA);
        var adminB = await AdminSession.SignIn(siteB);
        var formA = await EditorForm(adminA, "tools/alpha.md");
        var formB = await EditorForm(adminB, "tools/alpha.md");
        var textA = TestContent.ToolText("Alpha", tagline: "Saved through A");
        // Different lines of the file: git would merge them, but the admin on B never saw A's change.
        var textB = TestContent.ToolText("Alpha", tagline: "The first tool", body: "Saved through B");

        using var first = await adminA.Submit(formA, "Save", null, ("Text", textA));
        using var second = await adminB.Submit(formB, "Save", null, ("Text", textB));

        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        var page = Html.Parse(await second.Content.ReadAsStringAsync());
        Assert.Equal(textA, page.QuerySelector("pre.conflict")!.TextContent);
        Assert.Equal(textB, page.QuerySelector("textarea#Text")!.TextContent.TrimStart('\n'));
        Assert.Equal(textA, remote.Show("tools/alpha.md"));
        Assert.Equal(textA, contentB.Read("tools/alpha.md"));
        Assert.Equal(remote.Head(), GitCommand.Run(contentB.Root, "rev-parse", "HEAD").Trim());
        Assert.Equal("", GitCommand.Run(contentB.Root, "status", "--porcelain"));

        // The conflict page carries B's text and A's version as its base: saving it again (merged or not) goes through.
        using var again = await adminB.Submit(page.QuerySelector("form.editor-form")!, "Save");
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Equal(textB, remote.Show("tools/alpha.md"));
    }

    [Fact]
    public async Task A_save_after_someone_else_pushed_another_file_goes_on_top_and_keeps_both()
    {
        using var remote = GitRemote.Seeded();
        using var content = new TestContent();
        await using var app = Site(content, remote);
        var client = await AdminSession.SignIn(app);
        var form = await EditorForm(client, "tools/alpha.md");
        var theirs = TestContent.ToolText("Beta", tagline: "Pushed meanwhile", entry: "$20/mo");
        remote.Push("tools/beta.md", theirs);
        var mine = TestContent.ToolText("Alpha", tagline: "Saved after theirs");

        using var response = await client.Submit(form, "Save", null, ("Text", mine));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(mine, remote.Show("tools/alpha.md"));
        Assert.Equal(theirs, remote.Show("tools/beta.md"));
        Assert.Equal(["Edit tools/alpha.md", "Someone else's change"], remote.Git("log", "-2", "--format=%s").Trim().Split('\n'));
        Assert.Contains("Pushed meanwhile", await app.CreateClient().GetStringAsync(new Uri("/tools/beta", UriKind.Relative)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_save_while_the_remote_is_unreachable_answers_503_and_changes_nothing_until_it_is_back()
    {
        using var remote = GitRemote.Seeded();
        using var content = new TestContent();
        await using var app = Site(content, remote);
        var client = await AdminSession.SignIn(app);
        var form = await EditorForm(client, "tools/alpha.md");
        var before = content.Read("tools/alpha.md");
        var head = remote.Head();
        var edited = TestContent.ToolText("Alpha", tagline: "Saved while away");

        HttpResponseMessage refused;
        using (remote.Away())
            refused = await client.Submit(form, "Save", null, ("Text", edited));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);
        var page = Html.Parse(await refused.Content.ReadAsStringAsync());
        Assert.Contains("content remote could not be reached", page.QuerySelector(".notice-error[role=alert]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(edited, page.QuerySelector("textarea#Text")!.TextContent.TrimStart('\n'));
        Assert.Equal(before, content.Read("tools/alpha.md"));
        Assert.Equal(head, GitCommand.Run(content.Root, "rev-parse", "HEAD").Trim());
        Assert.Equal("", GitCommand.Run(content.Root, "status", "--porcelain"));
        Assert.Equal(head, remote.Head());

        // The page the admin was given still holds the edit: sending it again once the remote is back saves it.
        using var retried = await client.Submit(page.QuerySelector("form.editor-form")!, "Save");
        Assert.Equal(HttpStatusCode.Redirect, retried.StatusCode);
        Assert.Equal(edited, remote.Show("tools/alpha.md"));
        refused.Dispose();
    }

    private static VerdictsApp Site(TestContent content, GitRemote remote)
    {
        var settings = AdminSession.AdminSettings();
        settings["Verdicts:ContentRemote"] = remote.Path;
        // Pulls happen when a test asks for one, never on the clock.
        settings["Verdicts:ContentPullSeconds"] = "3600";
        return new VerdictsApp(content, settings);
    }

    private static ContentClone Clone(VerdictsApp app) => app.Services.GetRequiredService<ContentClone>();

    private static async Task<AngleSharp.Dom.IElement> EditorForm(HttpClient client, string path) =>
        (await client.GetPage($"/admin/content/{path}")).QuerySelector("form.editor-form")!;

    private static IEnumerable<Exception> Chain(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            yield return exception;
            if (exception is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.SelectMany(Chain))
                    yield return inner;
            }
        }
    }

    /// <summary>A bare repository in the temp folder holding the sample content, and a working clone to push as someone else.</summary>
    private sealed class GitRemote : IDisposable
    {
        private readonly string scratch = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "verdicts-tests", "remote-" + Guid.NewGuid().ToString("N"));

        private GitRemote()
        {
            Directory.CreateDirectory(scratch);
        }

        public string Path => System.IO.Path.Combine(scratch, "content.git");

        private string Laptop => System.IO.Path.Combine(scratch, "laptop");

        public static GitRemote Seeded()
        {
            if (!GitCommand.IsInstalled())
                Assert.Skip(MissingGit);
            var remote = new GitRemote();
            using (var sample = TestContent.Sample())
            {
                GitCommand.SeedBareRemote(remote.Path, remote.Laptop, sample.Root, "Someone Else", "The sample content");
            }
            return remote;
        }

        /// <summary>Someone else's edit, pushed from their own clone.</summary>
        public void Push(string relative, string text)
        {
            GitCommand.Run(Laptop, "pull", "--quiet", "--ff-only", "origin", "main");
            File.WriteAllText(System.IO.Path.Combine(Laptop, relative), text);
            GitCommand.CommitAndPush(Laptop, "Someone Else", "Someone else's change");
        }

        public string Show(string relative) => Git("show", "main:" + relative);

        public string Head() => Git("rev-parse", "main").Trim();

        public string Git(params string[] arguments) => GitCommand.Run(scratch, ["--git-dir", Path, .. arguments]);

        /// <summary>Moves the repository away until disposed: the remote is unreachable meanwhile.</summary>
        public IDisposable Away()
        {
            var away = Path + ".away";
            Directory.Move(Path, away);
            return new Restore(() => Directory.Move(away, Path));
        }

        public void Dispose()
        {
            try
            {
                Directory.Delete(scratch, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        private sealed class Restore(Action restore) : IDisposable
        {
            public void Dispose() => restore();
        }
    }
}
