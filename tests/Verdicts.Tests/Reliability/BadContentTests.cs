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
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(limit.Token);
        return (process.ExitCode, await output + await error);
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
