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
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UseEmphasisExtras()
        .UseAutoLinks()
        .UsePipeTables()
        .DisableHtml()
        .Build();

    // Made on first use: building it loads and compiles much of AngleSharp, which most content never needs.
    private static readonly Lazy<HtmlSanitizer> Sanitizer = new(CreateSanitizer);

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
        var html = RenderWith(ref htmlRenderer, plain: false, document);
        html = NeedsSanitizer(html) ? Sanitizer.Value.Sanitize(html) : html;
        return (html, withText ? PlainText(document) : null);
    }

    public static string ToPlainText(string markdown) =>
        markdown.Length == 0 ? "" : PlainText(Markdown.Parse(markdown, Pipeline));

    /// <summary>As Markdown.ToPlainText renders, from a document already parsed.</summary>
    private static string PlainText(Markdig.Syntax.MarkdownDocument document) =>
        RenderWith(ref plainTextRenderer, plain: true, document).Trim();

    /// <summary>
    /// Renders with a renderer kept per thread: making one sets up a renderer object for every kind of block and inline,
    /// for each of the import's 50 000 bodies. Not Markdig's own pooled renderers: Markdig gives up on some bodies
    /// part-way through rendering them (brackets nested hundreds deep in a list item), and the renderer it then returns
    /// to its pool still believes it is inside a tight list, so every later paragraph it renders loses its tags.
    /// </summary>
    private static string RenderWith(ref ReusedRenderer? slot, bool plain, Markdig.Syntax.MarkdownDocument document)
    {
        var renderer = slot ??= new ReusedRenderer(plain);
        try
        {
            renderer.Render(document);
            return renderer.TakeText();
        }
        catch
        {
            // A renderer that failed midway may hold part of a text or the state of the block it was in: the thread's
            // next body gets a new one.
            slot = null;
            throw;
        }
    }

    [ThreadStatic]
    private static ReusedRenderer? htmlRenderer;

    [ThreadStatic]
    private static ReusedRenderer? plainTextRenderer;

    private sealed class ReusedRenderer : HtmlRenderer
    {
        public ReusedRenderer(bool plain)
            : base(new StringWriter())
        {
            if (plain)
            {
                EnableHtmlForBlock = false;
                EnableHtmlForInline = false;
                EnableHtmlEscape = false;
            }
            Pipeline.Setup(this);
        }

        /// <summary>The text rendered so far; the renderer starts afresh for the next document.</summary>
        public string TakeText()
        {
            var text = Writer.ToString()!;
            Reset();
            return text;
        }
    }

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> PlainTags = new HashSet<string>(StringComparer.Ordinal)
    {
        "p", "br", "hr", "em", "strong", "del", "code", "pre", "blockquote", "ul", "ol", "li", "h2", "h3", "h4", "h5", "h6",
        "table", "thead", "tbody", "tr", "th", "td",
    }.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>
    /// With raw HTML disabled, Markdig escapes all text and emits only its own tags; anything active could only
    /// come in through an attribute (a link or image address). Output whose tags are all ones the sanitizer keeps,
    /// bare except for links of the form <c>&lt;a href="…"&gt;</c> to a web, mail or relative address, is already
    /// what the sanitizer would return, so its DOM parse (most of an import's time for quotes and descriptions) is
    /// skipped. Anything else (images, titles, aligned table cells, other schemes) goes through the sanitizer.
    /// </summary>
    internal static bool NeedsSanitizer(string html)
    {
        for (var at = html.IndexOf('<', StringComparison.Ordinal); at >= 0; at = html.IndexOf('<', at + 1))
        {
            var closing = at + 1 < html.Length && html[at + 1] == '/';
            var start = closing ? at + 2 : at + 1;
            var end = start;
            while (end < html.Length && char.IsAsciiLetterOrDigit(html[end]))
                end++;
            var name = html.AsSpan(start, end - start);
            if (!closing && name is "a" && IsSafeLinkOpening(html.AsSpan(end)))
                continue;
            var rest = html.AsSpan(end);
            var bare = rest.StartsWith(">") || (!closing && (rest.StartsWith(" />") || rest.StartsWith("/>")));
            if (!bare || (name is not "a" && !PlainTags.Contains(name)))
                return true;
        }
        return false;
    }

    /// <summary>
    /// True when what follows <c>&lt;a</c> is exactly <c> href="…"&gt;</c> with an address the sanitizer keeps
    /// unchanged: printable ASCII (Markdig percent-encodes the rest), no entity but <c>&amp;amp;</c>, and either no
    /// scheme (relative) or http, https or mailto.
    /// </summary>
    private static bool IsSafeLinkOpening(ReadOnlySpan<char> tag)
    {
        const string opening = " href=\"";
        if (!tag.StartsWith(opening))
            return false;
        var value = tag[opening.Length..];
        var close = value.IndexOf('"');
        if (close < 0 || close + 1 >= value.Length || value[close + 1] != '>')
            return false;
        var url = value[..close];
        for (var i = 0; i < url.Length; i++)
        {
            if (url[i] is <= ' ' or > '~')
                return false;
            if (url[i] == '&' && !url[i..].StartsWith("&amp;"))
                return false;
        }
        var schemeEnd = url.IndexOfAny(":/?#");
        if (schemeEnd < 0 || url[schemeEnd] != ':')
            return url.Length > 0;
        var scheme = url[..schemeEnd];
        return scheme.Equals("http", StringComparison.OrdinalIgnoreCase)
            || scheme.Equals("https", StringComparison.OrdinalIgnoreCase)
            || scheme.Equals("mailto", StringComparison.OrdinalIgnoreCase);
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
