using System.Text;
using Verdicts.Tests.Infrastructure;
using Verdicts.Web.Content;

namespace Verdicts.Tests.Content;

public sealed class ContentResolverTests
{
    private static ParsedFile File(string path, string text) =>
        ContentParser.Parse(path, ContentParser.KindOf(path)!.Value, Encoding.UTF8.GetBytes(text));

    private static ParsedFile Tool(string slug, string extra = "") => File($"tools/{slug}.md", TestContent.ToolText(slug, extra: extra));

    private static ParsedFile Reviewer(string slug) => File($"reviewers/{slug}.md", "---\nname: R\nlens: L\n---\n");

    private static ParsedFile Verdict(string tool, string reviewer) => File($"verdicts/{tool}/{reviewer}.md", "---\nverdict: ship\n---\nQuote\n");

    private static ContentSnapshot Resolve(params ParsedFile[] files) => ContentResolver.Resolve(files, _ => null);

    [Fact]
    public void A_verdict_for_a_missing_tool_or_reviewer_is_rejected()
    {
        var snapshot = Resolve(Tool("alpha"), Reviewer("ida"), Verdict("alpha", "ida"), Verdict("ghost", "ida"), Verdict("alpha", "nobody"));

        Assert.Equal(["alpha/ida"], snapshot.Verdicts.Keys);
        Assert.Equal([
            "verdicts/alpha/nobody.md:1:1: error: reviewer 'nobody' (the file name) does not exist or was rejected",
            "verdicts/ghost/ida.md:1:1: error: tool 'ghost' (the folder name) does not exist or was rejected",
        ], snapshot.Errors.Select(e => e.ToString()).Order(StringComparer.Ordinal));
        Assert.Equal(FileState.Rejected, snapshot.Files.Single(f => f.Path == "verdicts/ghost/ida.md").State);
    }

    [Fact]
    public void A_verdict_for_a_rejected_tool_is_rejected_too()
    {
        var snapshot = Resolve(File("tools/alpha.md", "---\nname: A\n---\n"), Reviewer("ida"), Verdict("alpha", "ida"));
        Assert.Empty(snapshot.Verdicts);
        Assert.Contains(snapshot.Errors, e => e.Path == "verdicts/alpha/ida.md");
    }

    [Fact]
    public void A_comparison_naming_a_missing_or_draft_tool_is_rejected_at_that_tool()
    {
        var snapshot = Resolve(Tool("alpha"), Tool("beta", "draft: true\n"),
            File("comparisons/pair.md", "---\ntools:\n  - alpha\n  - ghost\npublished: 2026-01-01\n---\n"),
            File("comparisons/draft.md", "---\ntools: [alpha, beta]\npublished: 2026-01-01\n---\n"));

        Assert.Empty(snapshot.Comparisons);
        Assert.Equal([
            "comparisons/draft.md:2:16: error: tool 'beta' is a draft and cannot be compared yet",
            "comparisons/pair.md:4:5: error: tool 'ghost' does not exist or was rejected",
        ], snapshot.Errors.Select(e => e.ToString()).Order(StringComparer.Ordinal));
        Assert.Equal(FileState.Draft, snapshot.Files.Single(f => f.Path == "tools/beta.md").State);
    }

    [Fact]
    public void An_alias_that_is_another_tools_slug_rejects_the_file_holding_the_alias()
    {
        var snapshot = Resolve(Tool("alpha", "aliases: [beta]\n"), Tool("beta"));

        Assert.Equal(["beta"], snapshot.Tools.Keys);
        var error = Assert.Single(snapshot.Errors);
        Assert.Equal("tools/alpha.md:7:11: error: alias 'beta' is the slug of another tool", error.ToString());
    }

    [Fact]
    public void Two_tools_claiming_one_alias_keep_the_first_and_reject_the_second()
    {
        var snapshot = Resolve(Tool("alpha", "aliases: [old]\n"), Tool("beta", "aliases:\n  - old\n"));

        Assert.Equal(["alpha"], snapshot.Tools.Keys);
        Assert.Equal("tools/beta.md:8:5: error: alias 'old' is already an alias of tool 'alpha'", Assert.Single(snapshot.Errors).ToString());
    }

    [Fact]
    public void A_file_claiming_a_slug_a_live_tool_holds_is_refused_and_both_files_are_told_of_each_other()
    {
        var live = Resolve(Tool("gamma", "aliases: [shared]\n"));

        // delta sorts first: going by path order alone it would take the alias and gamma would go.
        var snapshot = ContentResolver.Resolve([Tool("delta", "aliases: [shared]\n"), Tool("gamma", "aliases: [shared]\n")], _ => null, live);

        Assert.Equal(["gamma"], snapshot.Tools.Keys);
        Assert.Equal([FileState.Rejected, FileState.Loaded], snapshot.Files.OrderBy(f => f.Path, StringComparer.Ordinal).Select(f => f.State));
        // The alias sits on line 7 (after '---', name, category, tagline, pricing and entry), after "aliases: [".
        Assert.Equal([
            "tools/delta.md:7:11: error: alias 'shared' is already held by tools/gamma.md; this file is not loaded while that tool holds it",
            "tools/gamma.md:1:1: error: 'shared' is also claimed by tools/delta.md, which is not loaded while this tool holds it",
        ], snapshot.Errors.Select(e => e.ToString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_broken_file_falls_back_to_its_last_good_version()
    {
        var good = Tool("alpha");
        var broken = File("tools/alpha.md", "---\nname: A\n");
        var snapshot = ContentResolver.Resolve([broken], path => path == "tools/alpha.md" ? good.Document : null);

        Assert.Same(good.Document, snapshot.Tools["alpha"]);
        Assert.Equal(FileState.Stale, Assert.Single(snapshot.Files).State);
        Assert.Equal("tools/alpha.md:1:1: error: front matter is not closed: add a line '---' after the YAML", Assert.Single(snapshot.Errors).ToString());
    }

    [Fact]
    public void A_file_that_breaks_a_cross_file_rule_falls_back_to_its_last_good_version()
    {
        var good = File("comparisons/pair.md", "---\ntools: [alpha, beta]\npublished: 2026-01-01\n---\nOld\n");
        var edited = File("comparisons/pair.md", "---\ntools: [alpha, ghost]\npublished: 2026-01-01\n---\nNew\n");
        var snapshot = ContentResolver.Resolve([Tool("alpha"), Tool("beta"), edited], path => path == good.Path ? good.Document : null);

        Assert.Same(good.Document, snapshot.Comparisons["pair"]);
        Assert.Single(snapshot.Errors);
    }

    [Fact]
    public void Files_judged_one_at_a_time_in_resolve_order_end_as_a_whole_resolve_does()
    {
        ParsedFile[] folder =
        [
            File("comparisons/ab.md", "---\ntools: [alpha, beta]\npublished: 2026-01-01\n---\nA rejected tool in it.\n"),
            File("comparisons/ad.md", "---\ntools: [alpha, delta]\npublished: 2026-01-01\n---\nWhy.\n"),
            File("comparisons/ag.md", "---\ntools: [alpha, gamma]\npublished: 2026-01-01\n---\nA draft in it.\n"),
            Verdict("alpha", "ida"), Verdict("ghost", "ida"), Verdict("beta", "nobody"),
            Tool("delta"), Tool("beta", "aliases: [old-alpha]\n"), Tool("alpha", "aliases: [old-alpha]\n"), Tool("gamma", "draft: true\n"),
            Reviewer("ida"), File("reviewers/bad.md", "---\nname: [\n---\n"),
        ];
        var whole = Resolve(folder);

        var ordered = ContentResolver.InResolveOrder(folder, f => f.Path, f => f.Kind).ToList();
        Assert.Equal(["reviewers/bad.md", "reviewers/ida.md", "tools/alpha.md", "tools/beta.md", "tools/delta.md", "tools/gamma.md",
            "verdicts/alpha/ida.md", "verdicts/beta/nobody.md", "verdicts/ghost/ida.md", "comparisons/ab.md", "comparisons/ad.md", "comparisons/ag.md"],
            ordered.Select(f => f.Path));
        var resolution = new ContentResolution(ordered.Where(f => f.Kind == ContentKind.Tool).Select(f => f.Path), _ => null);
        foreach (var file in ordered)
        {
            // Each file's fate is final when it is added: the same as the whole resolve gives it.
            var (status, accepted) = resolution.Add(file);
            Assert.Equal(whole.Files.Single(f => f.Path == file.Path), status);
            Assert.Same(whole.AcceptedAt(file.Path, file.Kind), accepted);
        }
        var streamed = resolution.Finish();

        Assert.Equal(whole.Files, streamed.Files);
        Assert.Equal(whole.Errors, streamed.Errors);
        Assert.Equal(whole.Tools.Keys, streamed.Tools.Keys);
        Assert.Equal(whole.Verdicts.Keys, streamed.Verdicts.Keys);
        Assert.Equal(whole.Comparisons.Keys, streamed.Comparisons.Keys);
        Assert.Equal(["alpha", "delta", "gamma"], streamed.Tools.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["alpha/ida"], streamed.Verdicts.Keys);
        Assert.Equal(["ad"], streamed.Comparisons.Keys);
        Assert.Contains(streamed.Errors, e => e.Path == "tools/beta.md" && e.Message == "alias 'old-alpha' is already an alias of tool 'alpha'");
    }

    [Fact]
    public void A_file_added_out_of_resolve_order_is_refused_rather_than_judged_against_too_little()
    {
        var resolution = new ContentResolution(["tools/alpha.md"], _ => null);
        resolution.Add(Tool("alpha"));

        var error = Assert.Throws<InvalidOperationException>(() => resolution.Add(Reviewer("ida")));
        Assert.Contains("reviewers/ida.md", error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => resolution.Add(Tool("alpha")));
    }
}
