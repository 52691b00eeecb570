using System.Globalization;
using Microsoft.AspNetCore.Html;
using Verdicts.Web.Data;
using Verdicts.Web.Voting;

namespace Verdicts.Web.Pages.Shared;

/// <summary>
/// How every page shows a tool's community votes (the words come from <see cref="CommunityShare"/>), as encoded HTML so
/// that the Razor Pages and the comparison page's Razor Slice draw the same markup. The <c>data-metric</c> hooks are the
/// ones the vote script (wwwroot/js/site.js) updates after a vote.
/// </summary>
public static class CommunityFigures
{
    /// <summary>A figure block's value: headline ("62% ship") and note ("95% range 48–74%, 41 votes"), inside a <c>dd</c>.</summary>
    public static IHtmlContent Figure(ToolCard tool)
    {
        var share = tool.Community;
        return new HtmlContentBuilder(12)
            .AppendHtml("<dd data-metric=\"community-ship\" data-tool=\"").Append(tool.Slug).AppendHtml("\" data-value=\"").Append(Value(share.Percent))
            .AppendHtml("\">").Append(share.Headline)
            .AppendHtml(" <span class=\"figure-note\" data-metric=\"community-votes\" data-tool=\"").Append(tool.Slug).AppendHtml("\" data-value=\"")
            .Append(Number(share.Votes)).AppendHtml("\">").Append(share.Note).AppendHtml("</span></dd>");
    }

    /// <summary>The figure in a short list entry: "Community <strong>62% ship</strong> (95% range 48–74%, 41 votes)".</summary>
    public static IHtmlContent InList(ToolCard tool)
    {
        var share = tool.Community;
        return new HtmlContentBuilder(12)
            .AppendHtml("<span>Community <strong data-metric=\"community-ship\" data-tool=\"").Append(tool.Slug).AppendHtml("\" data-value=\"")
            .Append(Value(share.Percent)).AppendHtml("\">").Append(share.Headline).AppendHtml("</strong> <span class=\"mini-note\" data-metric=\"community-votes\" data-tool=\"")
            .Append(tool.Slug).AppendHtml("\" data-value=\"").Append(Number(share.Votes)).AppendHtml("\">(").Append(share.Note).AppendHtml(")</span></span>");
    }

    /// <summary>The figure as one sentence, above a vote form.</summary>
    public static IHtmlContent Tally(ToolCard tool) => new HtmlContentBuilder(10)
        .AppendHtml("<p class=\"tally\" data-tool=\"").Append(tool.Slug).AppendHtml("\" data-ship=\"").Append(Number(tool.CommunityShip))
        .AppendHtml("\" data-skip=\"").Append(Number(tool.CommunitySkip)).AppendHtml("\"><span class=\"tally-text\">").Append(tool.Community.Summary)
        .AppendHtml("</span></p>");

    /// <summary>"Visitors disagree with the panel…", where enough visitors voted and the panel's share lies outside their range; else nothing.</summary>
    public static IHtmlContent Disagreement(ToolCard tool) =>
        tool.Community.DisagreementWith(tool.PanelShip, tool.PanelSkip, tool.Name) is { } sentence
            ? new HtmlContentBuilder(5).AppendHtml("<p class=\"disagreement\" data-metric=\"disagreement\" data-tool=\"").Append(tool.Slug)
                .AppendHtml("\">").Append(sentence).AppendHtml("</p>")
            : HtmlString.Empty;

    // The chart's drawing area, in viewBox units: the plot spans x 44..314 (a column of 9 per day) and y 16..116 (100%..0%).
    private const int Left = 44, Top = 16, Height = 100, Column = 9;

    /// <summary>
    /// The ship share over the last days as a labelled SVG chart: a point per day with votes (hollow while there are
    /// fewer than <see cref="CommunityShare.FewestForShare"/> votes) and a bar for its 95% range, so one day of votes
    /// already draws; with a table of the same figures as its text equivalent. <paramref name="small"/> for a comparison column.
    /// </summary>
    public static IHtmlContent Trend(CommunityTrend trend, string slug, string name, bool small = false)
    {
        var id = "trend-" + slug;
        var days = trend.Days;
        var html = new HtmlContentBuilder(256);
        html.AppendHtml("<figure class=\"chart").AppendHtml(small ? " chart-small" : "").AppendHtml("\">")
            .AppendHtml("<figcaption><span class=\"chart-title\" id=\"").Append(id).AppendHtml("-title\">").Append(name)
            .AppendHtml(": community ship share, last ").Append(Number(days.Count)).AppendHtml(" days</span> ")
            .AppendHtml("<span class=\"chart-summary\" id=\"").Append(id).AppendHtml("-summary\">").Append(trend.Summary).AppendHtml("</span></figcaption>")
            .AppendHtml("<svg viewBox=\"0 0 320 140\" role=\"img\" aria-labelledby=\"").Append(id).AppendHtml("-title ").Append(id).AppendHtml("-summary\"")
            .AppendHtml(" data-metric=\"community-trend\" data-tool=\"").Append(slug).AppendHtml("\" data-value=\"")
            .Append(string.Join(",", days.Select(d => Value(d.Percent)))).AppendHtml("\">");
        foreach (var percent in new[] { 100, 50, 0 })
        {
            var y = Number(Y(percent));
            html.AppendHtml("<line class=\"chart-axis\" x1=\"").Append(Number(Left)).AppendHtml("\" y1=\"").Append(y).AppendHtml("\" x2=\"")
                .Append(Number(Left + Column * days.Count)).AppendHtml("\" y2=\"").Append(y).AppendHtml("\"></line>")
                .AppendHtml("<text class=\"chart-label\" x=\"").Append(Number(Left - 4)).AppendHtml("\" y=\"").Append(Number(Y(percent) + 3))
                .AppendHtml("\" text-anchor=\"end\">").Append(Number(percent)).AppendHtml("%</text>");
        }
        if (days.Count > 0)
        {
            html.AppendHtml("<text class=\"chart-label\" x=\"").Append(Number(Left)).AppendHtml("\" y=\"134\">").Append(days[0].Date).AppendHtml("</text>")
                .AppendHtml("<text class=\"chart-label\" x=\"").Append(Number(Left + Column * days.Count)).AppendHtml("\" y=\"134\" text-anchor=\"end\">")
                .Append(days[^1].Date).AppendHtml("</text>");
        }
        var drawn = days.Select((d, i) => (Day: d, X: Left + Column * i + Column / 2)).Where(p => p.Day.Percent is not null).ToList();
        if (drawn.Count > 1)
            html.AppendHtml("<polyline class=\"chart-line\" fill=\"none\" points=\"")
                .Append(string.Join(' ', drawn.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.X},{Y(p.Day.Percent!.Value)}")))).AppendHtml("\"></polyline>");
        foreach (var (day, x) in drawn)
        {
            var range = CommunityShare.Wilson(day.Ship, day.Votes);
            html.AppendHtml("<line class=\"chart-range\" x1=\"").Append(Number(x)).AppendHtml("\" y1=\"").Append(Number(Y(range.Low)))
                .AppendHtml("\" x2=\"").Append(Number(x)).AppendHtml("\" y2=\"").Append(Number(Y(range.High))).AppendHtml("\"></line>")
                .AppendHtml("<circle class=\"chart-point").AppendHtml(day.Share.HasShare ? "" : " chart-point-few").AppendHtml("\" cx=\"").Append(Number(x))
                .AppendHtml("\" cy=\"").Append(Number(Y(day.Percent!.Value))).AppendHtml("\" r=\"3\"></circle>");
        }
        html.AppendHtml("</svg>");
        if (drawn.Count > 0)
            html.AppendHtml("<p class=\"chart-key\">Points: the ship share at the end of each day; hollow while fewer than ")
                .Append(Number(CommunityShare.FewestForShare)).AppendHtml(" have voted. Bars: its 95% range.</p>");
        AppendTable(html, trend, name);
        return html.AppendHtml("</figure>");
    }

    /// <summary>The chart's text equivalent: the days on which the tally changed.</summary>
    private static void AppendTable(HtmlContentBuilder html, CommunityTrend trend, string name)
    {
        var changes = trend.Changes.ToList();
        if (changes.Count == 0)
            return;
        html.AppendHtml("<details class=\"chart-table\"><summary>The chart's figures, day by day</summary>")
            .AppendHtml("<div class=\"table-scroll\" tabindex=\"0\" role=\"region\" aria-label=\"").Append(name).AppendHtml(": votes by day, scrolls sideways\">")
            .AppendHtml("<table><caption>Community votes on ").Append(name).AppendHtml(" at the end of each day they changed</caption>")
            .AppendHtml("<thead><tr><th scope=\"col\">Day</th><th scope=\"col\">Ship</th><th scope=\"col\">Skip</th><th scope=\"col\">Share</th></tr></thead><tbody>");
        foreach (var day in changes)
        {
            var share = day.Share;
            html.AppendHtml("<tr><th scope=\"row\"><time datetime=\"").Append(day.Date).AppendHtml("\">").Append(day.Date).AppendHtml("</time></th><td>")
                .Append(Number(day.Ship)).AppendHtml("</td><td>").Append(Number(day.Skip)).AppendHtml("</td><td>")
                .Append(share.Votes == 0 ? "no votes" : share.HasShare ? $"{Figures.Show(share.Percent)} (95% range {share.Interval})" : "too few votes for a share")
                .AppendHtml("</td></tr>");
        }
        html.AppendHtml("</tbody></table></div></details>");
    }

    private static int Y(int percent) => Top + Height - percent;

    private static string Value(int? percent) => percent?.ToString(CultureInfo.InvariantCulture) ?? "";

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
