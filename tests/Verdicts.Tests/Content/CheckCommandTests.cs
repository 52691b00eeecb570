using Verdicts.Tests.Infrastructure;

namespace Verdicts.Tests.Content;

public sealed class CheckCommandTests
{
    private static async Task<(int ExitCode, string Output)> RunCheck(params string[] arguments)
    {
        var (exitCode, output, errors) = await SiteCommand.RunAsync("check", arguments);
        // Its output is piped here, so the progress line shown on a terminal must not appear on either stream.
        Assert.Equal("", errors);
        Assert.DoesNotContain('\r', output);
        return (exitCode, output);
    }

    [Fact]
    public async Task Check_prints_every_error_and_a_summary_and_exits_1()
    {
        using var content = TestContent.Sample()
            .File("tools/broken.md", "---\nname: Broken\ncolour: red\n---\n")
            .File("verdicts/ghost/ada.md", "---\nverdict: ship\n---\nQuote\n")
            .File("notes/todo.md", "stray");

        var (exitCode, output) = await RunCheck(content.Root);

        Assert.Equal(1, exitCode);
        var lines = output.TrimEnd().Split('\n');
        Assert.Equal([
            "notes/todo.md:1:1: error: Markdown file outside the content layout: use tools/<slug>.md, reviewers/<slug>.md, verdicts/<tool>/<reviewer>.md or comparisons/<slug>.md",
            "tools/broken.md:1:1: error: required key 'category' is missing",
            "tools/broken.md:1:1: error: required key 'tagline' is missing",
            "tools/broken.md:1:1: error: required key 'pricing' is missing",
            "tools/broken.md:3:1: error: unknown key 'colour' (allowed here: name, category, tagline, pricing, vendor, website, license, tags, released, aliases, draft, specs, sources, checked)",
            "verdicts/ghost/ada.md:1:1: error: tool 'ghost' (the folder name) does not exist or was rejected",
            "12 files, 6 errors",
        ], lines);
    }

    [Fact]
    public async Task Check_exits_0_on_clean_content()
    {
        using var content = TestContent.Sample();
        var (exitCode, output) = await RunCheck(content.Root);
        Assert.Equal("10 files, 0 errors", output.Trim());
        Assert.Equal(0, exitCode);
    }

    [Fact]
    public async Task The_shipped_content_checks_clean()
    {
        var shipped = Path.Combine(Verdicts.Web.VerdictsOptions.FindRepositoryRoot(AppContext.BaseDirectory), "content");
        var (exitCode, output) = await RunCheck(shipped);
        Assert.True(exitCode == 0, output);
        Assert.EndsWith(", 0 errors", output.Trim(), StringComparison.Ordinal);
    }
}
