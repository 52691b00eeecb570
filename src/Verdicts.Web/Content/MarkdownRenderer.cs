using Ganss.Xss;
using Markdig;
using Markdig.Renderers;

namespace Verdicts.Web.Content;

/// <summary>
/// Markdown to safe HTML. Markdig escapes raw HTML; HtmlSanitizer then keeps only harmless tags and
/// link targets, so entity-encoded or mixed-case <c>javascript:</c> and <c>data:</c> URLs never survive.
/// One pipeline and one sanitizer serve every file: both are safe to share across threads.
/// </summary>
public static class MarkdownRenderer
{
    internal static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UseEmphasisExtras()
        .UseAutoLinks()
        .UsePipeTables()
        .DisableHtml()
        .Build();

    // The one configuration every body goes through, and the one the tests check. Sanitize is safe to call from
    // several threads on one instance as long as nothing changes its settings afterwards.
    internal static readonly HtmlSanitizer Sanitizer = CreateSanitizer();

    public static string ToHtml(string markdown) => Render(markdown, withText: false).Html;

    /// <summary>
    /// The safe HTML and, if asked for, the plain text of one Markdown text, parsed once for both: during an import
    /// parsing was most of the cost of rendering, and quotes and descriptions need both forms.
    /// </summary>
    public static (string Html, string? Text) Render(string markdown, bool withText)
    {
        if (markdown.Length == 0)
            return ("", withText ? "" : null);
        var document = Markdown.Parse(markdown, Pipeline);
        var html = RenderWith(document, plain: false);
        return (Sanitizer.Sanitize(html), withText ? PlainText(document) : null);
    }

    public static string ToPlainText(string markdown) =>
        markdown.Length == 0 ? "" : PlainText(Markdown.Parse(markdown, Pipeline));

    /// <summary>As Markdown.ToPlainText renders, from a document already parsed.</summary>
    private static string PlainText(Markdig.Syntax.MarkdownDocument document) =>
        RenderWith(document, plain: true).Trim();

    /// <summary>
    /// A new renderer for every document, not Markdig's pooled ones: Markdig gives up on some bodies part-way through
    /// rendering them (brackets nested hundreds deep in a list item), and the renderer it then returns to its pool
    /// still believes it is inside a tight list, so every later paragraph it renders loses its tags.
    /// </summary>
    private static string RenderWith(Markdig.Syntax.MarkdownDocument document, bool plain)
    {
        var writer = new StringWriter();
        var renderer = new HtmlRenderer(writer);
        if (plain)
        {
            renderer.EnableHtmlForBlock = false;
            renderer.EnableHtmlForInline = false;
            renderer.EnableHtmlEscape = false;
        }
        Pipeline.Setup(renderer);
        renderer.Render(document);
        return writer.ToString();
    }

    private static HtmlSanitizer CreateSanitizer()
    {
        var options = new HtmlSanitizerOptions
        {
            AllowedTags = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
            {
                "p", "br", "hr", "em", "strong", "del", "code", "pre", "blockquote", "ul", "ol", "li",
                "a", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "img",
            },
            AllowedAttributes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "href", "title", "src", "alt", "start" },
            AllowedSchemes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "http", "https", "mailto" },
            UriAttributes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "href", "src" },
            AllowedCssProperties = new HashSet<string>(),
            AllowedAtRules = new HashSet<AngleSharp.Css.Dom.CssRuleType>(),
        };
        var sanitizer = new HtmlSanitizer(options);
        // Content headings sit inside pages that own h1; keep Markdown's h1 as text rather than a second h1.
        sanitizer.KeepChildNodes = true;
        return sanitizer;
    }
}
