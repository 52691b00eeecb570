using Dapper;
using Verdicts.Tests.Infrastructure;
using Verdicts.Web.Content;
using Verdicts.Web.Data;

namespace Verdicts.Tests.Content;

/// <summary>The tool keys <c>specs</c>, <c>sources</c> and <c>checked</c>, and the comparison key <c>bottom_line</c>.</summary>
public sealed class ToolSpecsTests
{
    private const string Specs = """
        specs:
          parameters: 8x7B (47B total)
          parameters_billions: 46.7
          context_tokens: 32768
          inputs: [text, code]
          open_weights: true
          memory_gb_q4: 26.5
        sources:
          - https://example.org/model-card
          - http://example.org/blog
        checked: 2026-11-30

        """;

    private static ParsedFile Parse(string path, string text) => ContentParserTests.Parse(path, text);

    private static ContentError SingleError(string path, string text) => ContentParserTests.SingleError(path, text);

    [Fact]
    public void A_tool_with_specs_sources_and_checked_yields_every_value()
    {
        var parsed = Parse("tools/mix.md", TestContent.ToolText("Mix", extra: Specs));

        Assert.Empty(parsed.Errors);
        var tool = Assert.IsType<ToolDocument>(parsed.Document);
        Assert.Equal(new ToolSpecs { Parameters = "8x7B (47B total)", ParametersBillions = 46.7, ContextTokens = 32768, OpenWeights = true, MemoryGbQ4 = 26.5 },
            tool.Specs! with { Inputs = null });
        Assert.Equal(["text", "code"], tool.Specs!.Inputs!);
        Assert.Equal(["https://example.org/model-card", "http://example.org/blog"], tool.Sources);
        Assert.Equal("2026-11-30", tool.Checked);
    }

    [Fact]
    public void Every_key_is_optional_and_a_tool_without_them_has_no_specs()
    {
        var none = Assert.IsType<ToolDocument>(Parse("tools/cursor.md", TestContent.ToolText("Cursor")).Document);
        Assert.Null(none.Specs);
        Assert.Empty(none.Sources);
        Assert.Null(none.Checked);

        var partial = Assert.IsType<ToolDocument>(Parse("tools/small.md", TestContent.ToolText("Small", extra: "specs:\n  parameters: 3B\n")).Document);
        Assert.Equal(new ToolSpecs { Parameters = "3B" }, partial.Specs);
    }

    [Fact]
    public void Open_weights_false_is_kept_apart_from_not_stated()
    {
        var tool = Assert.IsType<ToolDocument>(Parse("tools/closed.md", TestContent.ToolText("Closed", extra: "specs:\n  open_weights: false\n")).Document);
        Assert.False(tool.Specs!.OpenWeights);
    }

    [Fact]
    public void An_unknown_specs_key_is_an_error_at_its_own_line_and_column()
    {
        // Front matter lines: 2 name, 3 category, 4 tagline, 5 pricing, 6 entry, 7 specs, 8 the typo.
        var error = SingleError("tools/alpha.md", TestContent.ToolText("Alpha", extra: "specs:\n  paramters: 3B\n"));
        Assert.Equal("tools/alpha.md:8:3: error: unknown key 'specs.paramters' (allowed here: parameters, parameters_billions, context_tokens, inputs, open_weights, memory_gb_q4)", error.ToString());
    }

    [Theory]
    [InlineData("  parameters_billions: three\n", 8, 24, "'specs.parameters_billions' must be a number greater than zero, such as 3 or 2.5")]
    [InlineData("  parameters_billions: -3\n", 8, 24, "'specs.parameters_billions' must be a number greater than zero, such as 3 or 2.5")]
    [InlineData("  memory_gb_q4: \"2.0\"\n", 8, 17, "'specs.memory_gb_q4' must be a number greater than zero, such as 3 or 2.5")]
    [InlineData("  memory_gb_q4: 2,5\n", 8, 17, "'specs.memory_gb_q4' must be a number greater than zero, such as 3 or 2.5")]
    [InlineData("  context_tokens: 128k\n", 8, 19, "'specs.context_tokens' must be a whole number")]
    [InlineData("  context_tokens: 0\n", 8, 19, "'specs.context_tokens' must be a whole number greater than zero")]
    [InlineData("  open_weights: yes\n", 8, 17, "'specs.open_weights' must be true or false")]
    [InlineData("  inputs: text\n", 8, 11, "'specs.inputs' must be a list")]
    [InlineData("  inputs: [text, smell]\n", 8, 18, "each item of 'specs.inputs' must be one of text, image, audio, video, code, not 'smell'")]
    [InlineData("  inputs: [text, text]\n", 8, 18, "'text' is listed more than once in 'specs.inputs'")]
    [InlineData("  parameters: [3B]\n", 8, 15, "'specs.parameters' must be text")]
    public void A_wrong_specs_value_is_an_error_at_the_value(string line, int lineNo, int column, string message)
    {
        var error = SingleError("tools/alpha.md", TestContent.ToolText("Alpha", extra: "specs:\n" + line));
        Assert.Equal((lineNo, column, message), (error.Line, error.Column, error.Message));
    }

    [Theory]
    [InlineData("specs: 3B\n", 7, 8, "'specs' must be a mapping of keys to values")]
    [InlineData("sources: https://example.org\n", 7, 10, "'sources' must be a list")]
    [InlineData("sources:\n  - https://example.org\n  - ftp://example.org/card\n", 9, 5, "each item of 'sources' must be an absolute http or https URL")]
    [InlineData("sources: [/relative/card]\n", 7, 11, "each item of 'sources' must be an absolute http or https URL")]
    [InlineData("checked: 2026-02-30\n", 7, 10, "'checked' must be a date written YYYY-MM-DD")]
    public void A_wrong_sources_or_checked_value_is_an_error_at_the_value(string extra, int line, int column, string message)
    {
        var error = SingleError("tools/alpha.md", TestContent.ToolText("Alpha", extra: extra));
        Assert.Equal((line, column, message), (error.Line, error.Column, error.Message));
    }

    [Fact]
    public void A_bottom_line_is_rendered_and_sanitized_like_every_body()
    {
        var parsed = Parse("comparisons/a-or-b.md",
            "---\ntools: [a, b]\npublished: 2026-01-01\nbottom_line: \"Pick **A** <script>alert(1)</script> [here](javascript:alert(1))\"\n---\nIntro\n");

        var comparison = Assert.IsType<ComparisonDocument>(parsed.Document);
        var html = comparison.BottomLine!.Html;
        Assert.Contains("<strong>A</strong>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
        Assert.DoesNotContain("javascript:", html, StringComparison.Ordinal);
        Assert.Equal(MarkdownRenderer.ToHtml("Pick **A** <script>alert(1)</script> [here](javascript:alert(1))"), html);
    }

    [Theory]
    [InlineData("bottom_line: [a, b]\n", 4, 14, "'bottom_line' must be text")]
    public void A_bottom_line_must_be_text(string extra, int line, int column, string message)
    {
        var error = SingleError("comparisons/a-or-b.md", $"---\ntools: [a, b]\npublished: 2026-01-01\n{extra}---\nIntro\n");
        Assert.Equal((line, column, message), (error.Line, error.Column, error.Message));
    }

    [Fact]
    public void A_bottom_line_over_600_characters_is_refused_at_its_value()
    {
        var error = SingleError("comparisons/a-or-b.md", $"---\ntools: [a, b]\npublished: 2026-01-01\nbottom_line: {new string('x', 601)}\n---\nIntro\n");
        Assert.Equal((4, 14, "'bottom_line' is 601 characters long; the limit is 600"), (error.Line, error.Column, error.Message));
    }

    [Fact]
    public async Task The_import_stores_the_specs_in_the_tool_column_and_the_bottom_line_with_the_comparison()
    {
        using var content = new TestContent()
            .Tool("mix", "Mix", extra: Specs).Tool("plain", "Plain")
            .Comparison("mix-or-plain", ["mix", "plain"], extra: "bottom_line: \"Take *Mix* offline.\"\n");
        await using var app = new VerdictsApp(content);
        _ = app.CreateClient();

        using var connection = app.Database.Open();
        var columns = ToolColumns.Load(connection, app.Tallies, ["mix", "plain"]);
        var mix = columns[0].Tool;
        Assert.Equal((46.7, 32768L, true, 26.5, "8x7B (47B total)"),
            (mix.Specs!.ParametersBillions, mix.Specs.ContextTokens, mix.Specs.OpenWeights, mix.Specs.MemoryGbQ4, mix.Specs.Parameters));
        Assert.Equal(["text", "code"], mix.Specs.Inputs!);
        Assert.Equal(["https://example.org/model-card", "http://example.org/blog"], mix.Sources!);
        Assert.Equal("2026-11-30", mix.Checked);
        Assert.Null(columns[1].Tool.Specs);
        Assert.Empty(columns[1].Tool.Sources!);
        Assert.Null(columns[1].Tool.Checked);
        Assert.Equal("<p>Take <em>Mix</em> offline.</p>",
            connection.ExecuteScalar<string>("SELECT bottom_line_html FROM comparisons WHERE slug = 'mix-or-plain'")!.Trim());
    }
}
