using Ganss.Xss;
using Markdig;

namespace Verdicts.Web.Content;

/// <summary>
/// Markdown to safe HTML. Markdig escapes raw HTML; HtmlSanitizer then keeps only harmless tags and
/// link targets, so entity-encoded or mixed-case <c>javascript:</c> and <c>data:</c> URLs never survive.
/// One pipeline and one sanitizer serve every file: both are safe to share across threads.
/// </summary>
public static class MarkdownRenderer
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UseEmphasisExtras()
        .UseAutoLinks()
        .UsePipeTables()
        .DisableHtml()
        .Build();

    private static readonly HtmlSanitizer Sanitizer = CreateSanitizer();

    public static string ToHtml(string markdown)
    {
        if (markdown.Length == 0)
            return "";
        var html = Markdown.ToHtml(markdown, Pipeline);
        return NeedsSanitizer(html) ? Sanitizer.Sanitize(html) : html;
    }

    private static readonly HashSet<string> PlainTags = new(StringComparer.Ordinal)
    {
        "p", "br", "hr", "em", "strong", "del", "code", "pre", "blockquote", "ul", "ol", "li", "h2", "h3", "h4", "h5", "h6",
        "table", "thead", "tbody", "tr", "th", "td",
    };

    /// <summary>
    /// With raw HTML disabled, Markdig escapes all text and emits only its own tags; anything active could only
    /// come in through an attribute (a link or image address). Output with no attribute at all and only tags the
    /// sanitizer keeps anyway is already what the sanitizer would return, so its DOM parse (most of an import's
    /// time for quotes and descriptions) is skipped. Anything else goes through the sanitizer.
    /// </summary>
    private static bool NeedsSanitizer(string html)
    {
        if (html.Contains("=\"", StringComparison.Ordinal))
            return true;
        for (var at = html.IndexOf('<', StringComparison.Ordinal); at >= 0; at = html.IndexOf('<', at + 1))
        {
            var start = at + 1 < html.Length && html[at + 1] == '/' ? at + 2 : at + 1;
            var end = start;
            while (end < html.Length && char.IsAsciiLetterOrDigit(html[end]))
                end++;
            if (end == html.Length || html[end] is not ('>' or ' ' or '/') || !PlainTags.Contains(html[start..end]))
                return true;
        }
        return false;
    }

    public static string ToPlainText(string markdown) =>
        markdown.Length == 0 ? "" : Markdown.ToPlainText(markdown, Pipeline).Trim();

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
