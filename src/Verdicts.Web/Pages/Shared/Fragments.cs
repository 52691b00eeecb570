using System.Globalization;
using Microsoft.AspNetCore.Html;
using Verdicts.Web.Data;

namespace Verdicts.Web.Pages.Shared;

/// <summary>
/// The two fragments every comparison repeats per tool, built as encoded HTML rather than partial views: a
/// partial costs a view lookup and a view context each time, and these are on the uncached render path.
/// </summary>
public static class Fragments
{
    /// <summary>A horizontal share bar drawn in SVG: the page's CSP allows no inline styles, and attributes are not styles.</summary>
    public static IHtmlContent Bar(int? percent, string label, string kind)
    {
        var html = new HtmlContentBuilder(9);
        html.AppendHtml("<svg class=\"bar bar-").Append(kind).AppendHtml("\" viewBox=\"0 0 100 10\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"")
            .Append(label).AppendHtml("\"><rect class=\"bar-track\" width=\"100\" height=\"10\" rx=\"2\"></rect>");
        if (percent is > 0)
            html.AppendHtml("<rect class=\"bar-fill\" width=\"").Append(percent.Value.ToString(CultureInfo.InvariantCulture)).AppendHtml("\" height=\"10\" rx=\"2\"></rect>");
        return html.AppendHtml("</svg>");
    }

    public static IHtmlContent PanelBar(ToolCard tool) => Bar(tool.PanelPercent,
        tool.PanelPercent is { } p ? $"Panel: {p}% ship for {tool.Name}" : $"Panel: no verdicts on {tool.Name} yet", "panel");

    public static IHtmlContent CommunityBar(ToolCard tool) => Bar(tool.CommunityPercent, tool.Community.BarLabel(tool.Name), "community");

    /// <summary>
    /// The ship/skip form for one tool. No antiforgery token: it would make the page uncacheable; cross-site posts
    /// are refused by the origin check instead. <paramref name="voted"/> is this visitor's choice after a no-JavaScript vote.
    /// Its id is the anchor a no-JavaScript vote returns to (<see cref="Voting.VotingEndpoints.WithVoted"/>).
    /// </summary>
    public static IHtmlContent VoteForm(string slug, string name, string returnPath, string? voted)
    {
        var status = voted switch
        {
            "ship" or "skip" => $"You voted {voted} on {name}. You can change or withdraw your vote.",
            "clear" => "Your vote was withdrawn.",
            _ => "",
        };
        var html = new HtmlContentBuilder(24);
        html.AppendHtml("<form class=\"vote-form\" id=\"").Append(AnchorOf(slug)).AppendHtml("\" method=\"post\" action=\"/tools/").Append(slug).AppendHtml("/vote\" data-tool=\"").Append(slug).AppendHtml("\">")
            .AppendHtml("<input type=\"hidden\" name=\"return\" value=\"").Append(returnPath).AppendHtml("\">")
            .AppendHtml("<fieldset><legend>Your verdict on ").Append(name).AppendHtml("</legend>")
            .AppendHtml("<button type=\"submit\" name=\"choice\" value=\"ship\" class=\"vote vote-ship\" aria-pressed=\"").AppendHtml(voted == "ship" ? "true" : "false").AppendHtml("\">Ship it</button> ")
            .AppendHtml("<button type=\"submit\" name=\"choice\" value=\"skip\" class=\"vote vote-skip\" aria-pressed=\"").AppendHtml(voted == "skip" ? "true" : "false").AppendHtml("\">Skip it</button> ")
            .AppendHtml("<button type=\"submit\" name=\"choice\" value=\"clear\" class=\"vote vote-clear\">Withdraw my vote</button></fieldset>")
            .AppendHtml("<p class=\"vote-status\" role=\"status\">").Append(status).AppendHtml("</p></form>");
        return html;
    }

    /// <summary>The id of a tool's vote form on a page, and so the anchor a vote without JavaScript returns to.</summary>
    public static string AnchorOf(string slug) => "vote-" + slug;

    /// <summary>The vote form for a tool on the page this request is for, showing the visitor's choice after a no-JavaScript vote.</summary>
    public static IHtmlContent VoteForm(HttpRequest request, string slug, string name) => VoteForm(slug, name, request.Path, VotedFor(request, slug));

    /// <summary>The visitor's choice for a tool, as told by the address a no-JavaScript vote redirected to.</summary>
    private static string? VotedFor(HttpRequest request, string slug) =>
        request.Query["voted"].ToString().Split(':') is [var tool, var choice and ("ship" or "skip" or "clear")] && tool == slug ? choice : null;
}
