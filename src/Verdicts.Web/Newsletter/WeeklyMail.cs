using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using AngleSharp.Html.Parser;
using Ganss.Xss;
using MimeKit;
using Verdicts.Web.Data;
using Verdicts.Web.Pages.Compare;

namespace Verdicts.Web.Newsletter;

/// <summary>
/// The weekly message's text and HTML: each comparison with its bottom line (the editor's, else the one its page
/// computes) and each tool's figures, worded as the pages word them. The HTML is one column of inline-styled blocks,
/// without tables, images or anything fetched from elsewhere, which the common mail clients show alike; every link is
/// absolute on the configured site address.
/// </summary>
public sealed class WeeklyMail
{
    /// <summary>A comparison of the week with its tools (column order) and, when no editor wrote a bottom line, the computed one.</summary>
    public sealed record Comparison(WeeklyNewsletter.Entry Entry, IReadOnlyList<ToolCard> Tools, IReadOnlyList<SummaryLine> ComputedBottomLine);

    private const string Muted = "color:#555555;font-size:14px";
    private const string Link = "color:#0b57d0";

    // The editor's bottom line was sanitized at import for the pages; for mail it is narrowed again (no images, no
    // attributes but href) and its relative links made absolute.
    private static readonly HtmlSanitizer MailSanitizer = new(new HtmlSanitizerOptions
    {
        AllowedTags = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "p", "br", "em", "strong", "del", "code", "blockquote", "ul", "ol", "li", "a" },
        AllowedAttributes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "href" },
        AllowedSchemes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "http", "https", "mailto" },
        UriAttributes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "href" },
        AllowedCssProperties = new HashSet<string>(),
        AllowedAtRules = new HashSet<AngleSharp.Css.Dom.CssRuleType>(),
    })
    { KeepChildNodes = true };

    private readonly string text;
    private readonly string html;
    private readonly string siteUrl;

    public WeeklyMail(IReadOnlyList<Comparison> comparisons, string siteUrl)
    {
        this.siteUrl = siteUrl;
        text = Text(comparisons, siteUrl);
        html = Html(comparisons, siteUrl);
    }

    /// <summary>The message body for one subscriber, whose own unsubscribe address ends both parts.</summary>
    public BodyBuilder Body(string unsubscribe) => new()
    {
        TextBody = $"{text}\n--\nYou get this because you subscribed to the weekly email at {siteUrl}.\nUnsubscribe in one step: {unsubscribe}\n",
        HtmlBody = $"""
            {html}<p style="margin:24px 0 0;{Muted}">You get this because you subscribed to the weekly email at {Encode(siteUrl)}. <a href="{Encode(unsubscribe)}" style="{Link}">Unsubscribe in one step</a>.</p>
            </div>
            </body>
            </html>
            """,
    };

    private static string Text(IReadOnlyList<Comparison> comparisons, string siteUrl)
    {
        var body = new StringBuilder("New on Verdicts this week, side by side:\n");
        foreach (var (entry, tools, computed) in comparisons)
        {
            body.Append('\n').Append(entry.Title).Append(": ").Append(entry.Question ?? ComparisonQuestion.Default).Append('\n')
                .Append(siteUrl).Append("/compare/").Append(entry.Slug).Append('\n')
                .Append("Published ").Append(entry.Published).Append('\n');
            if (entry.BottomLineHtml is { } bottomLine)
                body.Append("The bottom line: ").Append(new HtmlParser().ParseDocument(bottomLine).Body!.TextContent.Trim()).Append('\n');
            else
            {
                body.Append("The bottom line, computed from the figures:\n");
                foreach (var line in computed)
                    body.Append("- ").Append(line.Text).Append('\n');
            }
            foreach (var tool in tools)
                body.Append("* ").Append(tool.Name).Append(": ").Append(FiguresOf(tool)).Append('\n');
        }
        return body.ToString();
    }

    private static string Html(IReadOnlyList<Comparison> comparisons, string siteUrl)
    {
        var body = new StringBuilder($"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Verdicts this week</title>
            </head>
            <body style="margin:0;padding:0;background:#ffffff;color:#1a1a1a;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5">
            <div style="max-width:600px;margin:0 auto;padding:24px 16px">
            <p style="margin:0 0 24px;{Muted}">New on <a href="{Encode(siteUrl)}/" style="{Link}">Verdicts</a> this week, side by side.</p>

            """);
        foreach (var (entry, tools, computed) in comparisons)
        {
            var address = Encode($"{siteUrl}/compare/{entry.Slug}");
            body.Append(CultureInfo.InvariantCulture, $"""
                <div style="margin:0 0 28px;padding:0 0 20px;border-bottom:1px solid #dddddd">
                <h2 style="margin:0 0 4px;font-size:20px;line-height:1.3"><a href="{address}" style="{Link}">{Encode(entry.Title)}</a></h2>
                <p style="margin:0 0 12px;{Muted}">{Encode(entry.Question ?? ComparisonQuestion.Default)} · published {Encode(entry.Published)}</p>
                <p style="margin:0 0 4px;font-weight:bold">The bottom line</p>

                """);
            if (entry.BottomLineHtml is { } bottomLine)
                body.Append("<div style=\"margin:0 0 12px\">").Append(MailSanitizer.Sanitize(bottomLine, siteUrl + "/")).Append("</div>\n");
            else
            {
                body.Append(CultureInfo.InvariantCulture, $"<p style=\"margin:0 0 4px;{Muted}\">Computed from the figures, not an editor's call.</p>\n")
                    .Append("<ul style=\"margin:0 0 12px;padding-left:20px\">\n");
                foreach (var line in computed)
                    body.Append("<li>").Append(Encode(line.Text)).Append("</li>\n");
                body.Append("</ul>\n");
            }
            body.Append("<ul style=\"margin:0 0 12px;padding-left:20px\">\n");
            foreach (var tool in tools)
                body.Append("<li style=\"margin:0 0 4px\"><strong>").Append(Encode(tool.Name)).Append("</strong>: ").Append(Encode(FiguresOf(tool))).Append("</li>\n");
            body.Append(CultureInfo.InvariantCulture, $"""
                </ul>
                <p style="margin:0"><a href="{address}" style="{Link}">See {Encode(entry.Title)} side by side</a></p>
                </div>

                """);
        }
        return body.ToString();
    }

    /// <summary>A tool's figures as the comparison page words them: panel share and counts, the community's figure, the entry price.</summary>
    internal static string FiguresOf(ToolCard tool) => string.Create(CultureInfo.InvariantCulture,
        $"panel {(tool.PanelPercent is { } panel ? $"{panel}% ship" : "not judged yet")} ({tool.PanelShip} ship · {tool.PanelSkip} skip); community {Lower(tool.Community.Summary)}; from {tool.EntryPrice}");

    // "No votes yet" reads as "community no votes yet" mid-sentence.
    private static string Lower(string text) => text.Length > 0 && char.IsUpper(text[0]) ? char.ToLowerInvariant(text[0]) + text[1..] : text;

    private static string Encode(string value) => HtmlEncoder.Default.Encode(value);
}
