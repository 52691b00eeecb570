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

    [Fact]
    public void Resolving_only_what_an_edit_touches_gives_what_resolving_every_file_gives()
    {
        // Random edits over a small set of names, so that slugs, aliases, drafts, broken files and missing tools collide
        // often. The seeds are fixed: a failure names its seed and step, and reruns the same way.
        for (var seed = 1; seed <= 300; seed++)
        {
            var random = new Random(seed);
            var files = new Dictionary<string, ParsedFile>(StringComparer.Ordinal);
            for (var i = 0; i < 12; i++)
                Put(files, RandomFile(random));
            // As served after the first reload: a first load knows no live tool, so it reports a clash as an alias or slug
            // already used rather than as one a live tool holds; from the next resolve on, the live holder is named.
            var first = ContentResolver.Resolve(files.Values, _ => null);
            var live = ContentResolver.Resolve(files.Values, path => first.AcceptedAt(path, ContentParser.KindOf(path)!.Value), first);
            for (var step = 0; step < 12; step++)
            {
                var changed = new HashSet<string>(StringComparer.Ordinal);
                var replaced = new List<ParsedFile>();
                for (var n = random.Next(1, 4); n > 0; n--)
                {
                    var file = RandomFile(random);
                    if (changed.Add(file.Path) && files.TryGetValue(file.Path, out var old))
                        replaced.Add(old);
                    if (files.ContainsKey(file.Path) && random.Next(4) == 0)
                        files.Remove(file.Path);
                    else
                        Put(files, file);
                }
                var before = live;
                ContentDocument? LastGood(string path) => before.AcceptedAt(path, ContentParser.KindOf(path)!.Value);
                var whole = ContentResolver.Resolve(files.Values, LastGood, before);
                var edited = ContentResolver.ResolveEdit(before, files.GetValueOrDefault, changed, replaced, LastGood);

                var where = $"seed {seed}, step {step}, changed {string.Join(", ", changed)}";
                Assert.True(whole.Files.SequenceEqual(edited.Files), $"{where}: file states differ");
                Assert.True(Errors(whole).SequenceEqual(Errors(edited)), $"{where}: errors differ; only in the whole resolve: {string.Join("; ", Errors(whole).Except(Errors(edited)))}; only in the edit: {string.Join("; ", Errors(edited).Except(Errors(whole)))}");
                Assert.True(Accepted(whole).SequenceEqual(Accepted(edited)), $"{where}: accepted documents differ");
                // What the next edit looks up must be what a whole resolve would index.
                Assert.True(Indexed(whole).SequenceEqual(Indexed(edited)), $"{where}: indexes differ; only in the whole resolve: {string.Join("; ", Indexed(whole).Except(Indexed(edited)))}; only in the edit: {string.Join("; ", Indexed(edited).Except(Indexed(whole)))}");
                live = edited;
            }
        }
    }

    private static void Put(Dictionary<string, ParsedFile> files, ParsedFile file) => files[file.Path] = file;

    private static ParsedFile RandomFile(Random random)
    {
        // "Alpha" is no valid slug: its files are refused, yet it differs from alpha only in case, as the rules' keys do not.
        string[] tools = ["alpha", "beta", "gamma", "delta", "Alpha"];
        string[] reviewers = ["ida", "jo"];
        string Pick(string[] names) => names[random.Next(names.Length)];
        switch (random.Next(4))
        {
            case 0:
                var slug = Pick(tools);
                return random.Next(6) switch
                {
                    0 => File($"tools/{slug}.md", "---\nname: Broken\n---\n"),
                    1 => Tool(slug, "draft: true\n"),
                    2 or 3 => Tool(slug, $"aliases: [{Pick(tools)}-old, {(random.Next(2) == 0 ? Pick(tools) : Pick(tools) + "-old")}]\n"),
                    _ => Tool(slug, $"tagline: \"Version {random.Next(3)}\"\n".Replace("tagline", "vendor", StringComparison.Ordinal)),
                };
            case 1:
                var reviewer = Pick(reviewers);
                return random.Next(4) == 0 ? File($"reviewers/{reviewer}.md", "---\nname: R\n---\n") : File($"reviewers/{reviewer}.md", $"---\nname: R{random.Next(3)}\nlens: L\n---\n");
            case 2:
                return File($"verdicts/{Pick(tools)}/{Pick(reviewers)}.md", $"---\nverdict: {(random.Next(2) == 0 ? "ship" : "skip")}\n---\nQuote {random.Next(3)}\n");
            default:
                var named = random.Next(5) == 0 ? "ghost" : Pick(tools) + (random.Next(5) == 0 ? "-old" : "");
                return File($"comparisons/c{random.Next(3)}.md", $"---\ntools: [{Pick(tools)}, {named}]\npublished: 2026-01-0{random.Next(1, 9)}\n---\n");
        }
    }

    private static List<string> Errors(ContentSnapshot snapshot) => [.. snapshot.Errors.Select(e => e.ToString()).Order(StringComparer.Ordinal)];

    // The index's keys ignore case, and keep the spelling that came first: compared in lower case.
    private static List<string> Indexed(ContentSnapshot snapshot) =>
        [.. snapshot.Index.AliasOwners.Select(a => $"alias {a.Key.ToLowerInvariant()} {a.Value}")
            .Concat(snapshot.Index.ToolFiles.Select(t => $"tool file {t.Key.ToLowerInvariant()} {t.Value}"))
            .Concat(snapshot.Index.ToolClaims.Select(c => $"claim {c.Key.ToLowerInvariant()} {string.Join(' ', c.Value.Order(StringComparer.Ordinal))}"))
            .Concat(snapshot.Index.SharedClaims.Select(c => $"shared {c.ToLowerInvariant()}"))
            .Concat(snapshot.Index.ComparisonsNaming.Select(c => $"named {c.Key.ToLowerInvariant()} {string.Join(' ', c.Value.Order(StringComparer.Ordinal))}"))
            .Order(StringComparer.Ordinal)];

    private static List<string> Accepted(ContentSnapshot snapshot) =>
        [.. snapshot.Documents.Select(d => $"{d.Kind} {d.Slug} {d.Path} {d.Sha256}").Order(StringComparer.Ordinal)];
}
