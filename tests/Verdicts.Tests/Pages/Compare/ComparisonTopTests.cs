using System.Globalization;
using AngleSharp.Dom;
using Verdicts.Tests.Infrastructure;

namespace Verdicts.Tests.Pages.Compare;

/// <summary>The top of every comparison page: the bottom line, the panel at a glance and the specs side by side.</summary>
public sealed class ComparisonTopTests
{
    // Two made-up models whose specs differ in every way the computed bottom line speaks of.
    private const string SmallSpecs = """
        license: MIT
        specs:
          parameters: 3B
          parameters_billions: 3
          context_tokens: 65536
          inputs: [text]
          open_weights: true
          memory_gb_q4: 2

        """;

    private const string BigSpecs = """
        released: 2026-02-01
        specs:
          parameters: 12B
          parameters_billions: 12
          context_tokens: 131072
          inputs: [image, text]
          open_weights: false
          memory_gb_q4: 7

        """;

    /// <summary>Small and Big, judged by three reviewers: Small 2 ship of 3, Big 1 ship of 3; Ada and Bo split.</summary>
    private static TestContent Models() => new TestContent()
        .Reviewer("ada", "Ada Lane", "Developer experience", 1)
        .Reviewer("bo", "Bo Chen", "Competition", 2)
        .Reviewer("cy", "Cy Park", "The buyer", 3)
        .Tool("small", "Small", extra: SmallSpecs)
        .Tool("big", "Big", entry: "$20/mo", extra: BigSpecs)
        .Tool("plain", "Plain")
        .Verdict("small", "ada", "ship").Verdict("small", "bo", "skip").Verdict("small", "cy", "ship")
        .Verdict("big", "ada", "skip").Verdict("big", "bo", "ship").Verdict("big", "cy", "skip");

    private static string Percent(int ship, int total) => Html.Percent(ship, total);

    private static string[] Texts(IEnumerable<IElement> elements) => [.. elements.Select(e => e.Text())];

    [Fact]
    public async Task A_curated_bottom_line_is_shown_as_the_editors_wrote_it_and_nothing_is_computed()
    {
        using var content = TestContent.Sample().Comparison("alpha-or-beta", ["alpha", "beta"], "2026-03-01",
            "bottom_line: \"Choose **Alpha** if the budget is zero. <script>alert(1)</script>\"\n");
        await using var app = new VerdictsApp(content);
        var page = await app.CreateClient().GetPage("/compare/alpha-or-beta");

        var section = page.QuerySelector(".bottom-line")!;
        Assert.Equal("editorial", section.GetAttribute("data-source"));
        Assert.Equal("Alpha", section.QuerySelector(".bottom-line-text strong").Text());
        Assert.Equal("Choose Alpha if the budget is zero. <script>alert(1)</script>", section.QuerySelector(".bottom-line-text").Text());
        Assert.Empty(section.QuerySelectorAll("script, .computed-note, [data-fact]"));
    }

    [Fact]
    public async Task A_generated_page_computes_its_bottom_line_from_the_data_and_says_it_is_computed()
    {
        using var content = Models();
        await using var app = new VerdictsApp(content);
        app.CastVotes("small", ship: 9, skip: 3);
        app.CastVotes("big", ship: 4, skip: 8);
        var page = await app.CreateClient().GetPage("/compare/small-vs-big");

        var section = page.QuerySelector(".bottom-line")!;
        Assert.Equal("computed", section.GetAttribute("data-source"));
        Assert.Equal("Computed from the data, not an editor's call.", section.QuerySelector(".computed-note").Text());
        var facts = section.QuerySelectorAll("[data-fact]").ToDictionary(li => li.GetAttribute("data-fact")!, li => li.Text());
        Assert.Equal(["panel", "community", "price", "parameters", "context", "open-weights"], facts.Keys);
        // Recomputed here: the panel 2 of 3 against 1 of 3, visitors 9 of 12 against 4 of 12.
        Assert.Equal($"The panel favours Small ({Percent(2, 3)}% ship), against Big {Percent(1, 3)}%.", facts["panel"]);
        Assert.Equal($"Visitors favour Small ({Percent(9, 12)}% ship), against Big {Percent(4, 12)}%.", facts["community"]);
        Assert.Equal("To start: Small Free and Big $20/mo.", facts["price"]);
        // 12 / 3 = 4 times the parameters; memory 7 GB against 2 GB; 131 072 / 65 536 = 2 times the context.
        Assert.Equal($"Big has {12 / 3}× the parameters of Small and needs about 7 GB at 4-bit against 2 GB.", facts["parameters"]);
        Assert.Equal($"Big reads {131072 / 65536}× the context of Small (131,072 against 65,536 tokens).", facts["context"]);
        Assert.Equal("Small publishes open weights; Big does not.", facts["open-weights"]);
    }

    [Fact]
    public async Task A_curated_comparison_without_a_bottom_line_gets_the_computed_one()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        var page = await app.CreateClient().GetPage("/compare/alpha-or-beta");

        var section = page.QuerySelector(".bottom-line")!;
        Assert.Equal("computed", section.GetAttribute("data-source"));
        // Sample: Alpha ship, ship; Beta ship, skip; no votes; entry Free against $20/mo; no specs.
        Assert.Equal([
            $"The panel favours Alpha ({Percent(2, 2)}% ship), against Beta {Percent(1, 2)}%.",
            "No visitor has voted on these tools yet.",
            "To start: Alpha Free and Beta $20/mo.",
        ], Texts(section.QuerySelectorAll("[data-fact]")));
    }

    [Theory]
    [InlineData(9, 10)]
    [InlineData(10, 9)]
    public async Task Community_shares_are_compared_only_when_every_tool_has_ten_votes(int smallVotes, int bigVotes)
    {
        using var content = Models();
        await using var app = new VerdictsApp(content);
        app.CastVotes("small", ship: smallVotes, skip: 0);
        app.CastVotes("big", ship: 0, skip: bigVotes);
        var page = await app.CreateClient().GetPage("/compare/small-vs-big");

        Assert.Equal("Too few visitor votes to compare yet: a share needs 10 votes on each tool.",
            page.QuerySelector(".bottom-line [data-fact='community']").Text());
    }

    [Fact]
    public async Task Alike_tools_and_small_differences_are_said_plainly_without_spec_sentences()
    {
        using var content = new TestContent().Reviewer("ada").SmolLM3().Gemma3Small()
            .Verdict("smollm3", "ada", "ship").Verdict("gemma-3-4b", "ada", "ship");
        await using var app = new VerdictsApp(content);
        var page = await app.CreateClient().GetPage("/compare/smollm3-vs-gemma-3-4b");

        // 4B against 3B is under one and a half times; both publish their weights.
        Assert.Equal([
            "The panel rates both alike: 100% ship for each.",
            "No visitor has voted on these tools yet.",
            "Both start at Free.",
        ], Texts(page.QuerySelectorAll(".bottom-line [data-fact]")));
    }

    [Fact]
    public async Task The_grid_has_a_row_per_reviewer_and_a_column_per_tool_each_verdict_linking_to_its_quote()
    {
        using var content = Models();
        await using var app = new VerdictsApp(content);
        var page = await app.CreateClient().GetPage("/compare/small-vs-big");

        var grid = page.QuerySelector(".glance table")!;
        Assert.Equal(["Small", "Big"], Texts(grid.QuerySelectorAll("thead th")));
        var rows = grid.QuerySelectorAll("tbody tr");
        Assert.Equal(["ada", "bo", "cy"], rows.Select(r => r.GetAttribute("data-reviewer")));
        Assert.Equal("Ada Lane", rows[0].QuerySelector(".glance-reviewer").Text());
        Assert.Equal("Competition", rows[1].QuerySelector(".lens").Text());
        string[] Cells(IElement row) => [.. row.QuerySelectorAll("td").Select(td => $"{td.GetAttribute("data-tool")}:{td.QuerySelector("a.badge")?.FirstChild?.TextContent}")];
        Assert.Equal(["small:Ship", "big:Skip"], Cells(rows[0]));
        Assert.Equal(["small:Skip", "big:Ship"], Cells(rows[1]));
        Assert.Equal(["small:Ship", "big:Skip"], Cells(rows[2]));

        // Every verdict links to an element further down that holds that reviewer's quote on that tool.
        foreach (var link in grid.QuerySelectorAll("tbody a.badge"))
        {
            var row = link.Closest("tr")!.GetAttribute("data-reviewer");
            var tool = link.Closest("td")!.GetAttribute("data-tool");
            var target = page.GetElementById(link.GetAttribute("href")!.TrimStart('#'))!;
            Assert.Equal((row, tool), (target.Closest(".score-row")?.GetAttribute("data-reviewer"), target.GetAttribute("data-tool")));
            Assert.Equal("Clear call, well argued.", target.QuerySelector(".quote").Text());
            Assert.True(link.CompareDocumentPosition(target).HasFlag(DocumentPositions.Following));
        }
    }

    [Fact]
    public async Task Rows_where_the_panel_splits_are_marked_in_words_and_a_missing_verdict_says_so()
    {
        using var content = Models().Reviewer("di", "Di Ray", "Ops", 4).Verdict("small", "di", "ship");
        await using var app = new VerdictsApp(content);
        var page = await app.CreateClient().GetPage("/compare/small-vs-big");

        var rows = page.QuerySelectorAll(".glance tbody tr");
        // Ada ship/skip and Bo skip/ship split; Cy ship/skip splits too; Di judged one tool only.
        Assert.Equal(["Splits", "Splits", "Splits", ""], rows.Select(r => r.QuerySelector(".split-flag").Text()));
        Assert.Equal(["splits", "splits", "splits", "agrees"], rows.Select(r => r.ClassName));
        Assert.Equal("No verdict", rows[3].QuerySelector("td[data-tool='big'] .visually-hidden").Text());
        Assert.Equal("", rows[3].QuerySelector("td[data-tool='big']")!.GetAttribute("data-value"));
        Assert.Equal("3 of 3 reviewers split.", page.QuerySelector(".glance .split-summary").Text());
    }

    [Fact]
    public async Task Panel_share_community_share_and_entry_price_appear_once_in_the_grid()
    {
        using var content = Models();
        await using var app = new VerdictsApp(content);
        app.CastVotes("small", ship: 3, skip: 1);
        var page = await app.CreateClient().GetPage("/compare/small-vs-big");

        foreach (var metric in new[] { "panel-ship", "community-ship", "entry-price", "community-votes" })
        {
            foreach (var tool in new[] { "small", "big" })
            {
                var found = page.QuerySelectorAll($"[data-metric='{metric}'][data-tool='{tool}']");
                Assert.True(found.Length == 1, $"{metric} for {tool} appears {found.Length} times");
                Assert.NotNull(found[0].Closest(".glance tfoot"));
            }
        }
        var footer = page.QuerySelector(".glance tfoot")!;
        Assert.Equal(["panel", "community", "entry"], footer.QuerySelectorAll("tr").Select(r => r.GetAttribute("data-figure")));
        Assert.Equal(Html.Shown(2, 3), footer.QuerySelector("[data-metric='panel-ship'][data-tool='small']").Text());
        Assert.Equal(("2", "1"), (footer.Metric("panel-ship-count", "small"), footer.Metric("panel-skip-count", "small")));
        // Four votes are too few for a share (issue 30): the counts stand in its place.
        Assert.Equal(("", "4"), (footer.Metric("community-ship", "small"), footer.Metric("community-votes", "small")));
        Assert.Equal("3 ship · 1 skip", footer.QuerySelector("[data-metric='community-ship'][data-tool='small']")!.Text());
        Assert.Equal("no votes yet", footer.QuerySelector("[data-metric='community-votes'][data-tool='big']").Text());
        Assert.Equal(("Free", "$20/mo"), (footer.Metric("entry-price", "small"), footer.Metric("entry-price", "big")));
        // Outside the grid and the bottom line, no percentage is repeated: not in the tool cards nor the vote boxes.
        // (Each vote box's small trend chart has its own 0–100% axis: a chart of the share over time, not the figure again.)
        foreach (var chart in page.QuerySelectorAll(".vote-card figure.chart").ToList())
            chart.Remove();
        foreach (var elsewhere in page.QuerySelectorAll(".tool-col, .vote-card, .pricing"))
            Assert.DoesNotContain("%", elsewhere.Text(), StringComparison.Ordinal);
        Assert.DoesNotContain("$20/mo", page.QuerySelector(".tool-col[data-tool='big']").Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_specs_table_shows_each_fact_marks_the_rows_that_differ_and_says_not_stated()
    {
        using var content = Models();
        await using var app = new VerdictsApp(content);
        var page = await app.CreateClient().GetPage("/compare/small-vs-big-vs-plain");

        var table = page.QuerySelector(".specs table")!;
        Assert.Equal(["Small", "Big", "Plain"], Texts(table.QuerySelectorAll("thead th")));
        var rows = table.QuerySelectorAll("tbody tr").ToDictionary(r => r.GetAttribute("data-spec")!);
        Assert.Equal(["parameters", "context", "inputs", "open-weights", "license", "released", "memory-q4"], rows.Keys);
        string[] Values(string key) => Texts(rows[key].QuerySelectorAll("td"));
        Assert.Equal(["3B", "12B", "not stated"], Values("parameters"));
        Assert.Equal(["65,536 tokens", "131,072 tokens", "not stated"], Values("context"));
        // Inputs in the site's fixed order, whatever the file's order.
        Assert.Equal(["text", "text, image", "not stated"], Values("inputs"));
        Assert.Equal(["Yes", "No", "not stated"], Values("open-weights"));
        Assert.Equal(["MIT", "not stated", "not stated"], Values("license"));
        Assert.Equal(["not stated", "2026-02-01", "not stated"], Values("released"));
        Assert.Equal("2026-02-01", rows["released"].QuerySelector("time")?.GetAttribute("datetime"));
        Assert.Equal(["about 2 GB", "about 7 GB", "not stated"], Values("memory-q4"));

        // A row differs where two tools state it differently; one stated value alone differs from nothing.
        var differs = rows.Where(r => r.Value.QuerySelector(".differs-mark") is not null).Select(r => r.Key);
        Assert.Equal(["parameters", "context", "inputs", "open-weights", "memory-q4"], differs);
        var mark = rows["parameters"].QuerySelector(".differs-mark")!;
        Assert.Equal("differs: the tools are not alike here", mark.Text());
        Assert.NotNull(mark.QuerySelector(".visually-hidden"));
        Assert.Equal("Parameters", rows["parameters"].QuerySelector("th")!.FirstChild!.TextContent);
    }

    [Fact]
    public async Task Specs_rows_no_tool_states_are_left_out_and_tools_without_specs_say_so()
    {
        using var content = new TestContent().SmolLM3().Gemma3Small().Tool("plain", "Plain").Tool("other", "Other");
        await using var app = new VerdictsApp(content);
        var client = app.CreateClient();

        var models = await client.GetPage("/compare/smollm3-vs-gemma-3-4b");
        var rows = models.QuerySelectorAll(".specs tbody tr");
        Assert.Equal(["parameters", "inputs", "open-weights", "license", "released"], rows.Select(r => r.GetAttribute("data-spec")));
        Assert.Equal(["parameters", "inputs", "license", "released"], rows.Where(r => r.ClassList.Contains("differs")).Select(r => r.GetAttribute("data-spec")));
        Assert.Equal(["Yes", "Yes"], Texts(rows[2].QuerySelectorAll("td")));
        Assert.Null(rows[2].QuerySelector(".differs-mark"));

        var none = await client.GetPage("/compare/plain-vs-other");
        Assert.Null(none.QuerySelector(".specs table"));
        Assert.Equal("None of these tools has its specs stated here yet.", none.QuerySelector(".specs .section-lede").Text());
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    public async Task Three_and_four_tool_pages_give_every_tool_a_column_in_each_table(int count)
    {
        using var content = Models().Tool("extra", "Extra", entry: "$5/mo").Verdict("extra", "cy", "ship");
        string[] slugs = [.. new[] { "small", "big", "plain", "extra" }.Take(count)];
        await using var app = new VerdictsApp(content);
        var page = await app.CreateClient().GetPage("/compare/" + string.Join("-vs-", slugs));

        Assert.Equal(count.ToString(CultureInfo.InvariantCulture), page.QuerySelector(".comparison")?.GetAttribute("data-tools"));
        Assert.Equal(slugs, page.QuerySelectorAll(".glance thead th").Select(th => th.GetAttribute("data-tool")));
        foreach (var row in page.QuerySelectorAll(".glance tbody tr, .glance tfoot tr, .specs tbody tr, .pricing tbody tr"))
            Assert.Equal(count, row.QuerySelectorAll("td").Length);
        Assert.Equal(slugs, page.QuerySelectorAll(".glance tbody tr[data-reviewer='cy'] td").Select(td => td.GetAttribute("data-tool")));
        Assert.Equal(slugs, page.QuerySelectorAll(".tool-col").Select(c => c.GetAttribute("data-tool")));
        Assert.Equal(slugs.Select(s => $"/tools/{s}/vote"), page.QuerySelectorAll(".community form.vote-form").Select(f => f.GetAttribute("action")));
        // Plain has no verdicts and Extra one: the panel's sentence names every tool that is not ahead.
        var panel = page.QuerySelector(".bottom-line [data-fact='panel']").Text();
        Assert.StartsWith(count == 4 ? "The panel favours Extra (100% ship)" : $"The panel favours Small ({Percent(2, 3)}% ship)", panel, StringComparison.Ordinal);
        Assert.Contains("Plain (not judged)", panel, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_long_quote_folds_behind_its_opening_words_and_a_short_one_does_not()
    {
        var words = string.Join(' ', Enumerable.Range(1, 150).Select(i => $"word{i}"));
        using var content = Models().Verdict("big", "cy", "skip", words);
        await using var app = new VerdictsApp(content);
        var page = await app.CreateClient().GetPage("/compare/small-vs-big");

        var cell = page.GetElementById("quote-cy--big")!;
        var fold = cell.QuerySelector("details.quote-fold")!;
        Assert.Null(fold.GetAttribute("open"));
        Assert.Equal(words, fold.QuerySelector("blockquote.quote").Text());
        var opening = fold.QuerySelector("summary .quote-opening").Text();
        Assert.EndsWith("…", opening, StringComparison.Ordinal);
        Assert.StartsWith(opening.TrimEnd('…'), words, StringComparison.Ordinal);
        Assert.True(opening.Length < words.Length / 2);
        Assert.Equal("Read the whole quote", fold.QuerySelector("summary .fold-more").Text());
        Assert.Null(page.GetElementById("quote-cy--small")!.QuerySelector("details"));
    }
}
