using System.Diagnostics;
using System.Net;
using System.Text;
using Verdicts.Tests.Infrastructure;
using Verdicts.Web.Content;

namespace Verdicts.Tests.Reliability;

/// <summary>Bad content files: the site keeps serving the last good version, says where the problem is, never answers 500.</summary>
public sealed class BadContentTests
{
    private static async Task<(int ExitCode, string Output)> CheckInChildProcess(string folder)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Verdicts.Web.dll"));
        start.ArgumentList.Add("check");
        start.ArgumentList.Add(folder);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            // A safety net, not a performance check: a check that hangs is stopped rather than left running.
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("check did not finish within 60 seconds");
        }
        return (process.ExitCode, await output + await error);
    }

    /// <summary>The errors the site reports to admins, misplaced files included.</summary>
    private static List<ContentError> StoredErrors(VerdictsApp app)
    {
        using var connection = app.Database.Open();
        return Dapper.SqlMapper.Query<(string Path, long Line, long Column, string Message)>(connection, "SELECT path, line, \"column\", message FROM content_errors")
            .Select(e => new ContentError(e.Path, (int)e.Line, (int)e.Column, e.Message))
            .ToList();
    }

    private const string ToolFrontMatter = "---\nname: Dense\ncategory: C\ntagline: T\npricing:\n  entry: Free\n---\n";

    /// <summary>Just under 1 MiB of <paramref name="pattern"/>, in paragraphs of <paramref name="paragraphChars"/> characters.</summary>
    private static string Pathological(string pattern, int paragraphChars)
    {
        var paragraph = string.Concat(Enumerable.Repeat(pattern, paragraphChars / pattern.Length));
        var body = new StringBuilder();
        do
            body.Append(paragraph).Append("\n\n");
        while (body.Length + paragraph.Length + 2 < ContentParser.MaxFileBytes - 1024);
        return ToolFrontMatter + body;
    }

    [Theory]
    [InlineData("[a](", 1000 * 1000)]
    [InlineData("www.a.co ", 1000 * 1000)]
    [InlineData("*a_ ", 32 * 1024)]
    [InlineData("[ a_", 32 * 1024)]
    public async Task A_megabyte_of_links_or_emphasis_that_markdig_parses_in_quadratic_time_is_reported_by_check(string pattern, int paragraphChars)
    {
        using var content = TestContent.Sample();
        content.File("tools/dense.md", Pathological(pattern, paragraphChars));

        var (exitCode, output) = await CheckInChildProcess(content.Root);

        Assert.Equal(1, exitCode);
        var lines = output.TrimEnd().Split('\n');
        // The body starts on line 8, after the seven lines of front matter; the first paragraph is as heavy as any.
        Assert.StartsWith("tools/dense.md:8:1: error: ", Assert.Single(lines, l => l.Contains("error:", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Equal("11 files, 1 errors", lines[^1]);
    }

    [Fact]
    public async Task A_megabyte_of_unclosed_links_saved_while_running_is_reported_and_other_edits_still_appear()
    {
        using var content = TestContent.Sample();
        using var site = await SiteProcess.StartAsync(content);
        using var client = new HttpClient { BaseAddress = new Uri(site.BaseUrl) };

        content.File("tools/dense.md", Pathological("[a](", 1000 * 1000));
        content.Tool("alpha", "Alpha", tagline: "Edited beside the dense file");

        await VerdictsApp.Eventually(async () => (await client.GetStringAsync(new Uri("/tools/alpha", UriKind.Relative))).Contains("Edited beside the dense file", StringComparison.Ordinal),
            "the edit of another file shows", TimeSpan.FromSeconds(30));
        await VerdictsApp.Eventually(() => Task.FromResult(site.Output.Any(l => l.Contains("tools/dense.md:8:1: error: ", StringComparison.Ordinal))),
            "the dense file is reported", TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri("/tools/dense", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task A_noncharacter_in_a_comparison_is_reported_at_its_line_and_column_by_check()
    {
        using var content = TestContent.Sample();
        content.Comparison("alpha-or-beta", ["alpha", "beta"], "2026-03-01", body: "First line.\nAn \uFFFF here.");

        var (exitCode, output) = await CheckInChildProcess(content.Root);

        Assert.Equal(1, exitCode);
        // Front matter: '---', tools, published, '---'; the body's second line is line 6, and U+FFFF its fourth character.
        Assert.Contains("comparisons/alpha-or-beta.md:6:4: error: character U+FFFF is not allowed", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_noncharacter_saved_into_a_comparison_keeps_the_feed_answering_with_the_last_good_text()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.Get("/feed.xml")).StatusCode);
        var generation = app.Reloader.Generation;

        content.Comparison("alpha-or-beta", ["alpha", "beta"], "2026-03-01", body: "Broken \uFFFE intro.");
        await app.WaitForReloadAfter(generation);

        var feed = await client.Get("/feed.xml");
        Assert.Equal(HttpStatusCode.OK, feed.StatusCode);
        var xml = System.Xml.Linq.XDocument.Parse(await feed.Content.ReadAsStringAsync());
        var summary = xml.Descendants().Single(e => e.Name.LocalName == "summary").Value;
        Assert.Contains("Why compare them.", summary, StringComparison.Ordinal);
        var error = Assert.Single(app.Reloader.Snapshot.Errors);
        // '---', tools, published, '---', then the body: "Broken " is seven characters.
        Assert.Equal(("comparisons/alpha-or-beta.md", 5, 8), (error.Path, error.Line, error.Column));
        Assert.Equal(HttpStatusCode.OK, (await client.Get("/compare/alpha-or-beta")).StatusCode);
    }

    [Theory]
    [InlineData("tools/alpha.MD")]
    [InlineData("tools/alpha.Md")]
    [InlineData("tools/alpha.markdown")]
    public async Task A_twin_of_a_tool_not_named_in_lowercase_md_is_reported_and_the_genuine_file_keeps_being_served(string twin)
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        var client = app.CreateClient();
        var generation = app.Reloader.Generation;

        content.File(twin, TestContent.ToolText("Impostor", tagline: "Not the real one"));
        await app.WaitForReloadAfter(generation);

        var page = await client.GetStringAsync(new Uri("/tools/alpha", UriKind.Relative));
        Assert.Contains("The first tool", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Impostor", page, StringComparison.Ordinal);
        var error = Assert.Single(StoredErrors(app));
        Assert.Equal((twin, 1, 1), (error.Path, error.Line, error.Column));
        Assert.Contains("lowercase '.md'", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, app.Reloader.Snapshot.Verdicts.Values.Count(v => v.ToolSlug == "alpha"));
    }

    [Fact]
    public async Task Check_reports_a_capitalised_md_twin_and_loads_only_the_genuine_file()
    {
        using var content = TestContent.Sample();
        content.File("tools/alpha.MD", TestContent.ToolText("Impostor"));

        var (exitCode, output) = await CheckInChildProcess(content.Root);

        Assert.Equal(1, exitCode);
        var lines = output.TrimEnd().Split('\n');
        Assert.StartsWith("tools/alpha.MD:1:1: error: ", lines[0], StringComparison.Ordinal);
        Assert.Equal("10 files, 1 errors", lines[^1]);
    }

    [Fact]
    public async Task A_new_tool_file_named_after_a_live_tools_alias_is_reported_with_it_and_the_live_tool_stays()
    {
        using var content = TestContent.Sample();
        content.Tool("gamma", "Gamma", category: "Inference Runtimes", tagline: "The third tool", extra: "aliases: [old-gamma]\n");
        await using var app = new VerdictsApp(content);
        var client = app.CreateClient();
        var generation = app.Reloader.Generation;

        content.Tool("old-gamma", "Old Gamma", tagline: "Claims the alias");
        await app.WaitForReloadAfter(generation);

        Assert.Contains("The third tool", await client.GetStringAsync(new Uri("/tools/gamma", UriKind.Relative)), StringComparison.Ordinal);
        Assert.DoesNotContain("Claims the alias", await client.GetStringAsync(new Uri("/tools/old-gamma", UriKind.Relative)), StringComparison.Ordinal);
        var errors = app.Reloader.Snapshot.Errors;
        Assert.Contains(errors, e => e.Path == "tools/old-gamma.md" && e.Message.Contains("tools/gamma.md", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Path == "tools/gamma.md" && e.Message.Contains("tools/old-gamma.md", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_new_tool_claiming_a_live_tools_alias_is_reported_with_it_and_the_live_tool_stays()
    {
        using var content = TestContent.Sample();
        content.Tool("gamma", "Gamma", category: "Inference Runtimes", tagline: "The third tool", extra: "aliases: [shared]\n");
        await using var app = new VerdictsApp(content);
        var client = app.CreateClient();
        var generation = app.Reloader.Generation;

        // Sorted before gamma, so a resolver going by path order alone would hand it the alias.
        content.Tool("delta", "Delta", tagline: "Claims the same alias", extra: "aliases: [shared]\n");
        await app.WaitForReloadAfter(generation);

        Assert.Contains("gamma", app.Reloader.Snapshot.Tools.Keys);
        Assert.DoesNotContain("delta", app.Reloader.Snapshot.Tools.Keys);
        Assert.Contains("The third tool", await client.GetStringAsync(new Uri("/tools/shared", UriKind.Relative)), StringComparison.Ordinal);
        var errors = app.Reloader.Snapshot.Errors;
        Assert.Contains(errors, e => e.Path == "tools/delta.md" && e.Message.Contains("tools/gamma.md", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Path == "tools/gamma.md" && e.Message.Contains("tools/delta.md", StringComparison.Ordinal));
    }

    [Fact]
    public void A_yaml_alias_bomb_is_refused_without_expanding_it()
    {
        var bomb = new StringBuilder("---\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (var i = 1; i < 40; i++)
            bomb.Append(System.Globalization.CultureInfo.InvariantCulture, $"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]\n");
        bomb.Append("---\n");
        var before = GC.GetAllocatedBytesForCurrentThread();

        var parsed = ContentParser.Parse("tools/bomb.md", ContentKind.Tool, Encoding.UTF8.GetBytes(bomb.ToString()));

        // Fully expanded this is 10^40 nodes; refused at the first anchor it costs almost nothing.
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 16 * 1024 * 1024, "the bomb was expanded");
        Assert.Equal("YAML anchors (&name) are not allowed in front matter", Assert.Single(parsed.Errors).Message);
    }

    [Theory]
    [InlineData("yaml-brackets", "---\nname: {0}\n---\n", "[")]
    [InlineData("yaml-braces", "---\nname: {0}\n---\n", "{")]
    [InlineData("markdown-brackets", "---\nname: A\ncategory: C\ntagline: T\npricing:\n  entry: Free\n---\n{0}x\n", "[")]
    [InlineData("markdown-quotes", "---\nname: A\ncategory: C\ntagline: T\npricing:\n  entry: Free\n---\n{0} x\n", ">")]
    [InlineData("markdown-emphasis", "---\nname: A\ncategory: C\ntagline: T\npricing:\n  entry: Free\n---\n{0}x\n", "*")]
    [InlineData("markdown-lists", "---\nname: A\ncategory: C\ntagline: T\npricing:\n  entry: Free\n---\n{0}\n", "- ")]
    public async Task One_hundred_thousand_nested_brackets_neither_crash_nor_hang_the_loader(string name, string template, string opener)
    {
        using var content = TestContent.Sample();
        content.File($"tools/{name}.md", string.Format(System.Globalization.CultureInfo.InvariantCulture, template, string.Concat(Enumerable.Repeat(opener, 100_000))));

        // In a child process: if the loader recursed until the stack overflowed, only that process would die.
        var (exitCode, output) = await CheckInChildProcess(content.Root);

        Assert.True(exitCode is 0 or 1, $"check crashed (exit {exitCode}):\n{output[..Math.Min(output.Length, 2000)]}");
        Assert.Matches(@"\d+ files, \d+ errors", output.TrimEnd().Split('\n')[^1]);
    }

    [Fact]
    public async Task A_50_megabyte_file_is_refused_unread_and_the_rest_is_served()
    {
        using var content = TestContent.Sample();
        using (var huge = File.Create(content.PathOf("tools/huge.md")))
            huge.SetLength(50L * 1024 * 1024);
        await using var app = new VerdictsApp(content);

        Assert.Equal(HttpStatusCode.OK, (await app.CreateClient().Get("/tools/alpha")).StatusCode);
        var error = Assert.Single(app.Reloader.Snapshot.Errors);
        Assert.Equal(("tools/huge.md", 1, 1), (error.Path, error.Line, error.Column));
        Assert.Contains("limited to 1 MiB", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_deleted_while_referenced_reports_the_references_and_nothing_answers_500()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.Get("/compare/alpha-or-beta")).StatusCode);

        content.Delete("tools/beta.md");
        await VerdictsApp.Eventually(() => Task.FromResult(app.Reloader.Snapshot.Errors.Any(e => e.Path == "comparisons/alpha-or-beta.md")), "the comparison is reported");

        Assert.Contains(app.Reloader.Snapshot.Errors, e => e.Path == "verdicts/beta/ada.md" && e.Message.Contains("tool 'beta'", StringComparison.Ordinal));
        foreach (var path in new[] { "/compare/alpha-or-beta", "/tools/beta", "/compare/alpha-vs-beta", "/api/tools/beta" })
            Assert.Equal(HttpStatusCode.NotFound, (await client.Get(path)).StatusCode);
        foreach (var path in new[] { "/", "/tools/alpha", "/reviewers/bo", "/feed.xml", "/sitemap.xml", "/search?q=beta" })
            Assert.Equal(HttpStatusCode.OK, (await client.Get(path)).StatusCode);
    }

    [Fact]
    public async Task A_file_replaced_many_times_while_being_read_ends_on_its_last_version()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        var client = app.CreateClient();

        for (var i = 0; i < 300; i++)
        {
            var temporary = content.PathOf($"tools/.alpha.{i}.tmp");
            await File.WriteAllTextAsync(temporary, TestContent.ToolText("Alpha", tagline: $"Version {i}"));
            File.Move(temporary, content.PathOf("tools/alpha.md"), overwrite: true);
            if (i % 50 == 0)
                Assert.Equal(HttpStatusCode.OK, (await client.Get("/tools/alpha")).StatusCode);
        }

        await VerdictsApp.Eventually(async () => (await client.GetStringAsync(new Uri("/tools/alpha", UriKind.Relative))).Contains("Version 299", StringComparison.Ordinal), "the last version shows");
        Assert.Empty(app.Reloader.Snapshot.Errors);
    }

    [Fact]
    public async Task A_content_path_that_is_not_a_readable_folder_starts_on_the_existing_database_and_says_so()
    {
        using var content = TestContent.Sample();
        await using (var first = new VerdictsApp(content))
            Assert.Equal(HttpStatusCode.OK, (await first.CreateClient().Get("/tools/alpha")).StatusCode);

        var notAFolder = Path.Combine(content.Scratch, "not-a-folder");
        await File.WriteAllTextAsync(notAFolder, "a file where the content folder should be");
        await using var second = new VerdictsApp(content, AdminSession.AdminSettings().Append(new("Verdicts:ContentPath", notAFolder)).ToDictionary());
        Assert.Equal(HttpStatusCode.OK, (await second.CreateClient().Get("/tools/alpha")).StatusCode);

        var health = await (await AdminSession.SignIn(second)).GetPage("/admin");
        Assert.Contains("content folder is missing or unreadable", health.QuerySelector("[role=alert]").Text(), StringComparison.Ordinal);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task An_unreadable_content_folder_keeps_the_site_up_on_the_existing_database_and_says_so()
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root" || !File.Exists("/usr/bin/setpriv"))
            Assert.Skip("needs root and setpriv to run the site as an unprivileged user, for whom folder permissions apply");
        using var content = TestContent.Sample();
        using (var first = await SiteProcess.StartAsync(content))
        {
            first.Terminate();
            Assert.True(first.WaitForExit(TimeSpan.FromSeconds(15)));
        }
        // The site (as nobody) owns its database but may not read the content folder at all.
        foreach (var path in Directory.GetFileSystemEntries(content.Scratch, "verdicts.db*").Append(content.Scratch))
            Assert.Equal(0, await Run("chown", "nobody", path));
        File.SetUnixFileMode(content.Root, UnixFileMode.None);
        try
        {
            using var site = await SiteProcess.StartAsync(content, asNobody: true);
            using var client = new HttpClient { BaseAddress = new Uri(site.BaseUrl) };
            foreach (var page in new[] { "/", "/tools/alpha", "/compare/alpha-or-beta" })
                Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri(page, UriKind.Relative))).StatusCode);
            Assert.Contains(site.Output, line => line.Contains("Content reload failed; the site keeps serving the last good content", StringComparison.Ordinal));
        }
        finally
        {
            File.SetUnixFileMode(content.Root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private static async Task<int> Run(string program, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        await process.WaitForExitAsync();
        return process.ExitCode;
    }
}
