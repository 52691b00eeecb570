using System.Globalization;
using System.Text;
using Verdicts.Tests.Infrastructure;
using Verdicts.Web.Content;

namespace Verdicts.Tests.Content;

public sealed class ContentParserTests
{
    internal static ParsedFile Parse(string path, string text) =>
        ContentParser.Parse(path, ContentParser.KindOf(path)!.Value, Encoding.UTF8.GetBytes(text));

    internal static ContentError SingleError(string path, string text)
    {
        var parsed = Parse(path, text);
        Assert.Null(parsed.Document);
        return Assert.Single(parsed.Errors);
    }

    [Fact]
    public void A_complete_tool_file_yields_every_field()
    {
        var parsed = Parse("tools/smollm3.md", """
            ---
            name: SmolLM3
            category: Developer Tools
            tagline: Small and local
            vendor: Hugging Face
            website: https://huggingface.co/HuggingFaceTB/SmolLM3-3B
            license: Apache-2.0
            tags: [open-weights, on-device]
            released: 2025-07-08
            aliases: [smol-lm-3]
            pricing:
              entry: Free
              plans:
                - name: Weights
                  price: Free
                  notes: On the Hub
            ---
            A **small** model.
            """);

        Assert.Empty(parsed.Errors);
        var tool = Assert.IsType<ToolDocument>(parsed.Document);
        Assert.Equal(("smollm3", "SmolLM3", "Developer Tools", "developer-tools"), (tool.Slug, tool.Name, tool.Category, tool.CategorySlug));
        Assert.Equal(("Small and local", "Hugging Face", "Apache-2.0", "2025-07-08", "Free"), (tool.Tagline, tool.Vendor, tool.License, tool.Released, tool.EntryPrice));
        Assert.Equal("https://huggingface.co/HuggingFaceTB/SmolLM3-3B", tool.Website);
        Assert.Equal(["open-weights", "on-device"], tool.Tags);
        Assert.Equal("smol-lm-3", Assert.Single(tool.Aliases).Slug);
        Assert.Equal(new PricePlan("Weights", "Free", "On the Hub"), Assert.Single(tool.Plans));
        Assert.Equal("<p>A <strong>small</strong> model.</p>", tool.DescriptionHtml.Trim());
    }

    [Theory]
    [InlineData("name")]
    [InlineData("category")]
    [InlineData("tagline")]
    public void A_tool_without_a_required_key_is_rejected_at_the_top_of_the_file(string key)
    {
        var text = TestContent.ToolText("Alpha").Replace($"\n{key}:", "\nother_" + key + ":", StringComparison.Ordinal)
            .Replace($"other_{key}:", "#", StringComparison.Ordinal);
        var error = SingleError("tools/alpha.md", text);
        Assert.Equal((1, 1), (error.Line, error.Column));
        Assert.Equal($"required key '{key}' is missing", error.Message);
    }

    [Fact]
    public void A_tool_without_an_entry_price_is_rejected()
    {
        var error = SingleError("tools/alpha.md", "---\nname: A\ncategory: C\ntagline: T\npricing:\n  plans: []\n---\n");
        Assert.Equal("required key 'pricing.entry' is missing", error.Message);
    }

    [Fact]
    public void An_unknown_key_is_an_error_at_its_own_line_and_column()
    {
        var error = SingleError("tools/alpha.md", "---\nname: A\ncategory: C\ntagline: T\n  \nnmae: typo\npricing:\n  entry: Free\n---\n");
        Assert.Equal("tools/alpha.md:6:1: error: unknown key 'nmae' (allowed here: name, category, tagline, pricing, vendor, website, license, tags, released, aliases, draft, specs, sources, checked)", error.ToString());
    }

    [Fact]
    public void An_unknown_nested_key_names_its_full_path()
    {
        var error = SingleError("tools/alpha.md", "---\nname: A\ncategory: C\ntagline: T\npricing:\n  entry: Free\n  plans:\n    - name: Pro\n      price: $5\n      cost: 5\n---\n");
        Assert.Equal((10, 7), (error.Line, error.Column));
        Assert.StartsWith("unknown key 'pricing.plans[].cost'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tagline_over_140_characters_is_rejected_at_its_line()
    {
        var error = SingleError("tools/alpha.md", TestContent.ToolText("A", tagline: new string('x', 141)));
        Assert.Equal((4, 10), (error.Line, error.Column));
        Assert.Contains("141 characters long; the limit is 140", error.Message, StringComparison.Ordinal);
        Assert.Empty(Parse("tools/alpha.md", TestContent.ToolText("A", tagline: new string('é', 140))).Errors);
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("ftp://example.com/")]
    [InlineData("example.com")]
    [InlineData("/relative")]
    public void A_website_must_be_an_absolute_http_or_https_url(string url)
    {
        var error = SingleError("tools/alpha.md", TestContent.ToolText("A", extra: $"website: \"{url}\"\n"));
        Assert.Equal(7, error.Line);
        Assert.Equal("'website' must be an absolute http or https URL", error.Message);
    }

    [Theory]
    [InlineData("2026/01/05")]
    [InlineData("2026-1-5")]
    [InlineData("2026-02-30")]
    [InlineData("05.01.2026")]
    [InlineData("2026-01-05T10:00:00Z")]
    [InlineData("[2026]")]
    public void Dates_must_be_real_iso_dates(string value)
    {
        var error = SingleError("tools/alpha.md", TestContent.ToolText("A", extra: $"released: {value}\n"));
        Assert.Equal((7, 11), (error.Line, error.Column));
        Assert.Equal("'released' must be a date written YYYY-MM-DD", error.Message);
    }

    [Theory]
    [InlineData("de-DE")]
    [InlineData("tr-TR")]
    [InlineData("ar-SA")]
    public void Dates_and_numbers_do_not_depend_on_the_process_culture(string culture)
    {
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo(culture);
            var tool = Assert.IsType<ToolDocument>(Parse("tools/alpha.md", TestContent.ToolText("Istanbul", extra: "released: 2026-12-31\n")).Document);
            Assert.Equal("2026-12-31", tool.Released);
            var reviewer = Assert.IsType<ReviewerDocument>(Parse("reviewers/ida.md", "---\nname: IDA\nlens: L\norder: -3\n---\n").Document);
            Assert.Equal(-3, reviewer.Order);
            Assert.Equal("tr-error", ContentParser.SlugFor("TR Error"));
        }
        finally
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = saved;
        }
    }

    [Theory]
    [InlineData("no")]
    [InlineData("yes")]
    [InlineData("off")]
    [InlineData("1.0")]
    [InlineData("0x10")]
    [InlineData("2026-01-01")]
    public void A_yaml_keyword_in_a_text_field_stays_that_text(string value)
    {
        var tool = Assert.IsType<ToolDocument>(Parse("tools/alpha.md", TestContent.ToolText(value).Replace($"\"{value}\"", value, StringComparison.Ordinal)).Document);
        Assert.Equal(value, tool.Name);
    }

    [Theory]
    [InlineData("draft: yes")]
    [InlineData("draft: \"true\"")]
    [InlineData("draft: 1")]
    public void Flags_take_only_true_or_false(string line)
    {
        var error = SingleError("tools/alpha.md", TestContent.ToolText("A", extra: line + "\n"));
        Assert.Equal("'draft' must be true or false", error.Message);
        Assert.Equal(7, error.Line);
    }

    [Theory]
    [InlineData("high")]
    [InlineData("1.5")]
    [InlineData("[1]")]
    public void Reviewer_order_must_be_a_whole_number(string value)
    {
        var error = SingleError("reviewers/ida.md", $"---\nname: Ida\nlens: DX\norder: {value}\n---\nBio\n");
        Assert.Equal("reviewers/ida.md:4:8: error: 'order' must be a whole number", error.ToString());
    }

    [Fact]
    public void A_verdict_must_be_ship_or_skip()
    {
        var error = SingleError("verdicts/alpha/ida.md", "---\ndate: 2026-01-01\nverdict: maybe\n---\nQuote\n");
        Assert.Equal("verdicts/alpha/ida.md:3:10: error: 'verdict' must be ship or skip, not 'maybe'", error.ToString());
    }

    [Fact]
    public void A_verdict_without_a_quote_is_rejected_where_the_quote_belongs()
    {
        var error = SingleError("verdicts/alpha/ida.md", "---\nverdict: ship\n---\n  \n");
        Assert.Equal((4, 1), (error.Line, error.Column));
        Assert.Contains("quote", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_verdict_file_names_its_tool_and_reviewer()
    {
        var verdict = Assert.IsType<VerdictDocument>(Parse("verdicts/alpha/ida.md", "---\nverdict: skip\ndate: 2026-04-01\n---\nNot yet.\n").Document);
        Assert.Equal(("alpha", "ida", "skip", "2026-04-01"), (verdict.ToolSlug, verdict.ReviewerSlug, verdict.Verdict, verdict.Date));
        Assert.Equal("Not yet.", verdict.QuoteText);
    }

    [Theory]
    [InlineData("[alpha]", 2, 8, "'tools' lists 1 tools; a comparison needs 2 to 4")]
    [InlineData("[a, b, c, d, e]", 2, 8, "'tools' lists 5 tools; a comparison needs 2 to 4")]
    [InlineData("[alpha, beta, alpha]", 2, 22, "tool 'alpha' is listed more than once")]
    [InlineData("alpha", 2, 8, "'tools' must be a list")]
    public void A_comparison_lists_two_to_four_distinct_tools(string tools, int line, int column, string message)
    {
        var error = SingleError("comparisons/pair.md", $"---\ntools: {tools}\npublished: 2026-01-01\n---\n");
        Assert.Equal(new ContentError("comparisons/pair.md", line, column, message), error);
    }

    [Fact]
    public void A_comparison_keeps_its_tools_in_display_order()
    {
        var comparison = Assert.IsType<ComparisonDocument>(Parse("comparisons/pair.md", "---\ntools:\n  - beta\n  - alpha\npublished: 2026-01-02\nfeatured: true\n---\nIntro\n").Document);
        Assert.Equal(["beta", "alpha"], comparison.Tools.Select(t => t.Slug));
        Assert.True(comparison.Featured);
        Assert.Null(comparison.Title);
    }

    [Theory]
    [InlineData("tools/Alpha.md")]
    [InlineData("tools/al_pha.md")]
    [InlineData("tools/alpha--beta.md")]
    [InlineData("tools/-alpha.md")]
    [InlineData("tools/alpha-vs-beta.md")]
    [InlineData("comparisons/a-vs-b.md")]
    [InlineData("verdicts/Alpha/ida.md")]
    public void File_and_folder_names_must_be_valid_slugs(string path)
    {
        var error = SingleError(path, TestContent.ToolText("A"));
        Assert.Equal((1, 1), (error.Line, error.Column));
        Assert.Contains("not a valid", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("README.md", null)]
    [InlineData("tools/.alpha.md.swp", null)]
    [InlineData("tools/alpha.md~", null)]
    [InlineData("tools/.#alpha.md", null)]
    [InlineData("tools/alpha.txt", null)]
    [InlineData("tools/alpha.md", ContentKind.Tool)]
    [InlineData("tools/alpha.MD", null)]
    [InlineData("tools/alpha.Md", null)]
    [InlineData("tools/alpha.markdown", null)]
    [InlineData("verdicts/alpha/ida.md", ContentKind.Verdict)]
    [InlineData("verdicts/ida.md", null)]
    public void Only_markdown_files_in_the_content_layout_are_content(string path, ContentKind? kind)
    {
        Assert.Equal(kind, ContentParser.KindOf(path));
    }

    [Fact]
    public void Invalid_utf8_is_rejected_with_its_position_and_offset()
    {
        var bytes = Encoding.UTF8.GetBytes("---\nname: Caf").Concat(new byte[] { 0xC3, 0x28 }).Concat(Encoding.UTF8.GetBytes("\n---\n")).ToArray();
        var parsed = ContentParser.Parse("reviewers/ida.md", ContentKind.Reviewer, bytes);
        var error = Assert.Single(parsed.Errors);
        Assert.Equal((2, 10), (error.Line, error.Column));
        Assert.Equal("invalid UTF-8 byte 0xC3 at byte offset 13; save the file as UTF-8", error.Message);
    }

    [Fact]
    public void A_byte_order_mark_is_dropped_and_crlf_gives_the_same_document_as_lf()
    {
        var text = TestContent.ToolText("Alpha", extra: "tags: [a, b]\n", body: "Line one\nline two.\n\nSecond paragraph.");
        var lfFile = Parse("tools/alpha.md", text);
        var lf = Assert.IsType<ToolDocument>(lfFile.Document);
        var crlfFile = Parse("tools/alpha.md", text.Replace("\n", "\r\n", StringComparison.Ordinal));
        var bomFile = ContentParser.Parse("tools/alpha.md", ContentKind.Tool,
            [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(text.Replace("\n", "\r\n", StringComparison.Ordinal))]);
        var mixedFile = Parse("tools/alpha.md", text.Replace("Line one\n", "Line one\r", StringComparison.Ordinal));

        foreach (var otherFile in new[] { crlfFile, bomFile, mixedFile })
        {
            var other = Assert.IsType<ToolDocument>(otherFile.Document);
            Assert.Equal(lf.DescriptionHtml, other.DescriptionHtml);
            Assert.Equal(lfFile.Source, otherFile.Source);
            Assert.Equal(lf with { Sha256 = "", Tags = [], Plans = [], Aliases = [], Sources = [] }, other with { Sha256 = "", Tags = [], Plans = [], Aliases = [], Sources = [] });
            Assert.Equal(lf.Tags, other.Tags);
        }
    }

    [Fact]
    public void A_file_over_one_mebibyte_is_rejected_before_parsing()
    {
        var bytes = Encoding.UTF8.GetBytes(TestContent.ToolText("A", body: new string('x', 1024 * 1024)));
        var error = Assert.Single(ContentParser.Parse("tools/alpha.md", ContentKind.Tool, bytes).Errors);
        Assert.Equal((1, 1), (error.Line, error.Column));
        Assert.Contains("limited to 1 MiB", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("name: &a Alpha\n", 2, 7, "YAML anchors (&name) are not allowed in front matter")]
    [InlineData("name: Alpha\ncategory: *a\n", 3, 11, "YAML aliases (*name) are not allowed in front matter")]
    [InlineData("name: !!binary QQ==\n", 2, 7, "YAML tags (tag:yaml.org,2002:binary) are not allowed in front matter")]
    [InlineData("name: A\nname: B\n", 3, 1, "duplicate key 'name'")]
    public void Yaml_features_front_matter_never_needs_are_refused(string yaml, int line, int column, string message)
    {
        var error = SingleError("tools/alpha.md", $"---\n{yaml}---\n");
        Assert.Equal(new ContentError("tools/alpha.md", line, column, message), error);
    }

    [Fact]
    public void An_alias_bomb_is_refused_at_the_first_anchor()
    {
        var bomb = new StringBuilder("---\na: &a [x, x, x, x, x, x, x, x, x]\n");
        for (var i = 1; i < 30; i++)
            bomb.Append(CultureInfo.InvariantCulture, $"{(char)('a' + i % 26)}{i}: &{(char)('a' + i % 26)}{i} [*{(char)('a' + (i - 1) % 26)}{(i == 1 ? "" : (i - 1).ToString(CultureInfo.InvariantCulture))}, *{(char)('a' + (i - 1) % 26)}{(i == 1 ? "" : (i - 1).ToString(CultureInfo.InvariantCulture))}]\n");
        bomb.Append("---\n");
        var error = SingleError("tools/alpha.md", bomb.ToString());
        Assert.Equal((2, 4), (error.Line, error.Column));
        Assert.Contains("anchors", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deep_nesting_is_refused_with_its_position()
    {
        var error = SingleError("tools/alpha.md", $"---\nname: {new string('[', 100_000)}\n---\n");
        Assert.Equal(2, error.Line);
        Assert.Equal($"front matter is nested deeper than {YamlTree.MaxDepth} levels", error.Message);
    }

    [Theory]
    [InlineData("name: A\n\tcategory: B\n", 3)]
    [InlineData("name: A\n  category: B\n", 3)]
    [InlineData("name: \"A\ncategory: B\n", 3)]
    [InlineData("name: [A\n", 3)]
    public void Yaml_syntax_errors_are_reported_at_their_line(string yaml, int line)
    {
        var error = SingleError("tools/alpha.md", $"---\n{yaml}---\n");
        Assert.Equal(line, error.Line);
        Assert.StartsWith("invalid YAML: ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Line:", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("name: A\n", "front matter is not closed: add a line '---' after the YAML")]
    [InlineData("", "front matter is not closed: add a line '---' after the YAML")]
    public void Unclosed_front_matter_is_reported(string yaml, string message)
    {
        var error = SingleError("tools/alpha.md", $"---\n{yaml}");
        Assert.Equal(new ContentError("tools/alpha.md", 1, 1, message), error);
    }

    [Fact]
    public void A_file_without_front_matter_is_reported()
    {
        var error = SingleError("tools/alpha.md", "# Just Markdown\n");
        Assert.Equal((1, 1), (error.Line, error.Column));
        Assert.StartsWith("file must start with a front matter block", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Control_characters_are_rejected_with_their_position()
    {
        var error = SingleError("tools/alpha.md", "---\nname: A\0B\n---\n");
        Assert.Equal(new ContentError("tools/alpha.md", 2, 8, "control character U+0000 is not allowed"), error);
    }

    [Theory]
    [InlineData('\u202A')]
    [InlineData('\u202E')]
    [InlineData('\u2066')]
    [InlineData('\u2069')]
    public void Bidirectional_controls_are_rejected_with_their_position(char control)
    {
        var error = SingleError("tools/alpha.md", $"---\nname: Alpha {control}ahpla\n---\n");
        Assert.Equal(new ContentError("tools/alpha.md", 2, 13,
            $"bidirectional control U+{(int)control:X4} is not allowed: it makes text display in another order than it is stored"), error);
    }

    [Fact]
    public void Right_to_left_text_and_the_direction_marks_are_allowed()
    {
        const string Name = "Alpha \u200F\u05D0\u05DC\u05E4\u05D0\u200E 2";
        var parsed = Parse("tools/alpha.md", $"---\nname: {Name}\ncategory: Developer Tools\ntagline: T\npricing:\n  entry: Free\n  plans: []\n---\nText.\n");

        Assert.Empty(parsed.Errors);
        Assert.Equal(Name, Assert.IsType<ToolDocument>(parsed.Document).Name);
    }

    [Theory]
    [InlineData("\uFFFE", "U+FFFE")]
    [InlineData("\uFFFF", "U+FFFF")]
    [InlineData("\uFDD0", "U+FDD0")]
    [InlineData("\U0001FFFF", "U+1FFFF")]
    [InlineData("\u0085", "U+0085")]
    [InlineData("\u009F", "U+009F")]
    public void Characters_that_xml_and_html_cannot_carry_are_rejected_with_their_position(string character, string codePoint)
    {
        // Line 9, after the body's first line "Fine." and the four characters "Bad " (one column per character).
        var error = SingleError("tools/alpha.md", TestContent.ToolText("A", body: $"Fine.\nBad {character} text."));

        Assert.Equal(new ContentError("tools/alpha.md", 9, 5, $"character {codePoint} is not allowed: it cannot appear in HTML or XML"), error);
    }

    [Fact]
    public void A_body_too_dense_with_links_is_rejected_at_its_heaviest_paragraph()
    {
        // 64 KB of unclosed links in one paragraph: Markdig needs seconds for it. It starts on line 10, after the
        // front matter's seven lines, a paragraph and a blank line.
        var dense = string.Concat(Enumerable.Repeat("[a](", 16 * 1024));
        var error = SingleError("tools/alpha.md", TestContent.ToolText("A", body: $"An ordinary paragraph.\n\n{dense}"));

        Assert.Equal(("tools/alpha.md", 10, 1), (error.Path, error.Line, error.Column));
        Assert.Contains($"{16 * 1024 * 2} links and emphasis marks in {dense.Length + 1} characters", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_long_body_of_ordinary_linked_and_emphasised_prose_is_accepted()
    {
        var sentence = "Plain words with a [link](https://a.example/page) and *some emphasis* now and then. ";
        var paragraph = string.Concat(Enumerable.Repeat(sentence, 6));
        var body = string.Join("\n\n", Enumerable.Repeat(paragraph, 128));

        var parsed = Parse("tools/alpha.md", TestContent.ToolText("A", body: body));

        Assert.Empty(parsed.Errors);
        Assert.Equal(128 * 6, System.Text.RegularExpressions.Regex.Count(parsed.Document!.Body.Html, "<a href=\"https://a.example/page\">link</a>"));
    }

    [Fact]
    public void A_scalar_where_a_mapping_belongs_is_reported()
    {
        var error = SingleError("tools/alpha.md", "---\nname: A\ncategory: C\ntagline: T\npricing: Free\n---\n");
        Assert.Equal(new ContentError("tools/alpha.md", 5, 10, "'pricing' must be a mapping of keys to values"), error);
    }
}
