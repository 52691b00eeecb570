using AngleSharp.Html.Parser;
using Verdicts.Web.Content;

namespace Verdicts.Tests.Content;

public sealed class MarkdownRendererTests
{
    private static AngleSharp.Html.Dom.IHtmlDocument Render(string markdown) =>
        new HtmlParser().ParseDocument($"<body>{MarkdownRenderer.ToHtml(markdown)}</body>");

    [Theory]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("<img src=x onerror=alert(1)>")]
    [InlineData("<a href=\"https://ok.example\" onclick=\"alert(1)\">x</a>")]
    [InlineData("<iframe src=\"https://evil.example\"></iframe>")]
    [InlineData("<svg onload=alert(1)></svg>")]
    [InlineData("<style>body{display:none}</style>")]
    public void Raw_html_is_shown_as_text_never_as_markup(string markdown)
    {
        var body = Render(markdown).Body!;
        Assert.Empty(body.QuerySelectorAll("script, img, iframe, svg, style, a"));
        Assert.Contains(markdown.Split(' ')[0], body.TextContent, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[x](javascript:alert(1))")]
    [InlineData("[x](JaVaScRiPt:alert(1))")]
    [InlineData("[x](&#106;avascript:alert(1))")]
    [InlineData("[x](&#x6A;avascript&colon;alert(1))")]
    [InlineData("[x](java%0ascript:alert(1))")]
    [InlineData("[x](vbscript:msgbox(1))")]
    [InlineData("[x](data:text/html;base64,PHNjcmlwdD4=)")]
    [InlineData("<javascript:alert(1)>")]
    [InlineData("[x]: javascript:alert(1)\n\n[y][x]")]
    public void Links_with_dangerous_schemes_lose_their_target(string markdown)
    {
        foreach (var link in Render(markdown).QuerySelectorAll("a"))
        {
            var href = link.GetAttribute("href");
            Assert.True(href is null || !href.Contains(':', StringComparison.Ordinal) || href.StartsWith("http", StringComparison.Ordinal),
                $"unsafe href survived: {href}");
        }
    }

    [Theory]
    [InlineData("![x](data:image/svg+xml;base64,PHN2Zz4=)")]
    [InlineData("![x](javascript:alert(1))")]
    public void Images_with_data_or_script_sources_are_dropped(string markdown)
    {
        Assert.All(Render(markdown).QuerySelectorAll("img"), img => Assert.Null(img.GetAttribute("src")));
    }

    [Theory]
    [InlineData("[x](https://example.com/a?b=c)", "https://example.com/a?b=c")]
    [InlineData("[x](http://example.com/)", "http://example.com/")]
    [InlineData("[x](mailto:team@example.com)", "mailto:team@example.com")]
    [InlineData("[x](/tools/alpha)", "/tools/alpha")]
    [InlineData("[x](../alpha)", "../alpha")]
    [InlineData("https://example.com/auto", "https://example.com/auto")]
    public void Safe_links_survive(string markdown, string href)
    {
        Assert.Equal(href, Render(markdown).QuerySelector("a")?.GetAttribute("href"));
    }

    // Markdown exercising every construct the pipeline knows, and links of every kind the sanitizer judges.
    public static TheoryData<string> Markups =>
    [
        "# Title\n\nText",
        "H~2~O and x^2^ and ==marked== and ++inserted++",
        "| a | b |\n|:--|--:|\n| 1 | 2 |",
        "Plain *text* with `code` and\n\n> a quote\n\n- a\n- b",
        "1. one\n2. two\n\n3) three",
        "```js\nalert(1)\n```",
        "Read [the docs](https://example.com/docs?a=1&b=2#part) first.",
        "[rel](/tools/alpha), [up](../beta), [here](#x), [next](?page=2) and [far](//cdn.example.com/a)",
        "Mail [us](mailto:team@example.com) or [shout](MAILTO:TEAM@EXAMPLE.COM), [loud](HTTPS://EXAMPLE.COM/)",
        "Auto https://example.com/auto, www.example.com and <https://example.com/angle>",
        "[ünï](https://example.com/ünï) and [gap](<https://example.com/a b>) and [q](https://example.com/\"q\")",
        "[titled](https://example.com/a \"A <title> & more\") and ![pic](https://example.com/p.png)",
        "[tel](tel:123) [x](javascript:alert(1)) [y](&#106;avascript:alert(1)) [z](:nothing) [e]()",
        "[x]: https://example.com/ref\n\nBy [reference][x], **[bold link](/b)** and `[not](/a)`",
        "Raw <b>tags</b> & <script>alert(1)</script> stay text",
        "",
    ];

    [Theory]
    [MemberData(nameof(Markups))]
    public void Every_body_is_what_the_production_sanitizer_makes_of_markdigs_html(string markdown)
    {
        Assert.Equal(MarkdownRenderer.Sanitizer.Sanitize(Markdig.Markdown.ToHtml(markdown, MarkdownRenderer.Pipeline)), MarkdownRenderer.ToHtml(markdown));
    }

    // Markup Markdig never emits with raw HTML disabled, given straight to the production sanitizer: its configuration,
    // not the Markdown parser, is what keeps each of these out. Dropped tags keep their content as inert text, so a
    // Markdown h1 stays readable without becoming a second h1 on the page.
    [Theory]
    [InlineData("<a href=\"javascript:x\">x</a>", "<a>x</a>")]
    [InlineData("<a href=\"JaVaScRiPt:x\">x</a>", "<a>x</a>")]
    [InlineData("<a href=\"java&#115;cript:x\">x</a>", "<a>x</a>")]
    [InlineData("<a href=\" javascript:x\">x</a>", "<a>x</a>")]
    [InlineData("<a href=\"vbscript:x\">x</a>", "<a>x</a>")]
    [InlineData("<a href=\"data:text/html;base64,PHNjcmlwdD4=\">x</a>", "<a>x</a>")]
    [InlineData("<a href=\"tel:123\">x</a>", "<a>x</a>")]
    [InlineData("<a href=\"https://ok.example\" onclick=\"x\">x</a>", "<a href=\"https://ok.example\">x</a>")]
    [InlineData("<a href=\"https://ok.example\" target=\"_blank\" class=\"c\" id=\"i\">x</a>", "<a href=\"https://ok.example\">x</a>")]
    [InlineData("<img src=\"javascript:x\" alt=\"a\" onerror=\"x\">", "<img alt=\"a\">")]
    [InlineData("<img src=\"data:image/svg+xml;base64,PHN2Zz4=\" alt=\"a\">", "<img alt=\"a\">")]
    [InlineData("<p onclick=\"x\" style=\"color: red\">x</p>", "<p>x</p>")]
    [InlineData("<table><tbody><tr><td style=\"text-align: right;\">1</td></tr></tbody></table>", "<table><tbody><tr><td>1</td></tr></tbody></table>")]
    [InlineData("<script>alert(1)</script>", "alert(1)")]
    [InlineData("<script>x = '<img src=x onerror=alert(1)>'</script>", "x = '&lt;img src=x onerror=alert(1)&gt;'")]
    [InlineData("<style>p { color: red }</style>", "p { color: red }")]
    [InlineData("<iframe src=\"https://evil.example\"></iframe>", "")]
    [InlineData("<svg onload=\"alert(1)\"><text>x</text></svg>", "x")]
    [InlineData("<form action=\"https://evil.example\"><input name=\"q\"></form>", "")]
    [InlineData("<h1>Title</h1>", "Title")]
    [InlineData("<div><span>text</span></div>", "text")]
    public void The_production_sanitizer_strips_what_markdown_never_needs(string html, string expected)
    {
        Assert.Equal(expected, MarkdownRenderer.Sanitizer.Sanitize(html));
    }

    [Theory]
    [InlineData("<a href=\"https://example.com/a?b=1&amp;c=2#d\" title=\"t\">x</a>")]
    [InlineData("<a href=\"mailto:team@example.com\">x</a>")]
    [InlineData("<a href=\"/tools/alpha\">x</a>")]
    [InlineData("<img src=\"https://example.com/p.png\" alt=\"a\" title=\"t\">")]
    [InlineData("<ol start=\"3\"><li>x</li></ol>")]
    [InlineData("<h2>a</h2><blockquote><p><em>b</em> <strong>c</strong> <del>d</del></p></blockquote><hr><pre><code>e</code></pre>")]
    [InlineData("<table><thead><tr><th>a</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>")]
    public void The_production_sanitizer_keeps_what_markdown_makes(string html)
    {
        Assert.Equal(html, MarkdownRenderer.Sanitizer.Sanitize(html));
    }

    [Theory]
    [MemberData(nameof(Markups))]
    public void Parsing_once_gives_the_same_html_and_text_as_rendering_each_alone(string markdown)
    {
        Assert.Equal((MarkdownRenderer.ToHtml(markdown), Markdig.Markdown.ToPlainText(markdown, MarkdownRenderer.Pipeline).Trim()), MarkdownRenderer.Render(markdown, withText: true));
        Assert.Equal((MarkdownRenderer.ToHtml(markdown), null), MarkdownRenderer.Render(markdown, withText: false));
    }

    [Fact]
    public void Texts_rendered_one_after_another_on_one_thread_carry_nothing_over()
    {
        var markups = Markups.Select(row => row.Data).ToList();
        var expected = markups.Select(m => Markdig.Markdown.ToPlainText(m, MarkdownRenderer.Pipeline).Trim()).ToList();

        // Twice over, forwards then backwards, so each text follows a different one the second time.
        var rendered = markups.Concat(Enumerable.Reverse(markups)).Select(m => MarkdownRenderer.Render(m, withText: true).Text).ToList();

        Assert.Equal(expected.Concat(Enumerable.Reverse(expected)), rendered);
    }

    [Fact]
    public void A_body_given_up_on_midway_leaves_the_bodies_after_it_unharmed()
    {
        // Markdig gives up on this body part-way through rendering it, inside a tight list. Its own pooled renderers
        // then stayed in that list, and every later paragraph one of them rendered came out without its tags.
        var givenUp = "- item " + new string('[', 200) + "\n";
        Assert.Throws<ArgumentException>(() => MarkdownRenderer.Render(givenUp, withText: true));
        Assert.Throws<ArgumentException>(() => MarkdownRenderer.Render(givenUp, withText: false));

        string[] later = ["One paragraph.\n\nAnother, with *emphasis* and [a link](https://example.com/x).", "- a\n- b\n\nText after.", "> quote\n\npara"];
        var expected = later.Select(m => (Html: Markdig.Markdown.ToHtml(m, MarkdownRenderer.Pipeline), Text: (string?)Markdig.Markdown.ToPlainText(m, MarkdownRenderer.Pipeline).Trim())).ToList();
        Assert.StartsWith("<p>One paragraph.</p>", expected[0].Html, StringComparison.Ordinal);
        for (var round = 0; round < 3; round++)
            Assert.Equal(expected, later.Select(m => MarkdownRenderer.Render(m, withText: true)).ToList());
    }

    [Fact]
    public void Plain_text_drops_the_markup()
    {
        Assert.Equal("A bold move.", MarkdownRenderer.ToPlainText("A **bold** [move](https://x.example)."));
    }

    [Fact]
    public void A_body_renders_the_same_html_and_text_after_dropping_them()
    {
        const string markdown = "Fast *and* small, see [the card](https://example.com/card \"Card\").\n\n- one\n- two <b>";
        var body = new MarkdownBody(markdown, withText: true);
        var html = body.Html;
        var text = body.Text;
        Assert.Equal(MarkdownRenderer.ToHtml(markdown), html);
        Assert.Equal(MarkdownRenderer.ToPlainText(markdown), text);

        body.DropRendering();

        Assert.Equal(html, body.Html);
        Assert.Equal(text, body.Text);
        Assert.Equal(markdown, body.Markdown);
        Assert.Equal(new MarkdownBody(markdown, withText: false), body);
        Assert.NotEqual(new MarkdownBody(markdown + " ", withText: false), body);
    }
}
