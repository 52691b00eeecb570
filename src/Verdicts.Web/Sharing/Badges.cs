using System.Globalization;
using System.Text;
using System.Xml;
using Verdicts.Web.Data;
using Verdicts.Web.Pages;

namespace Verdicts.Web.Sharing;

/// <summary>
/// <c>/badges/{tool}.svg</c>: a small image other sites embed, with the tool's panel share and its community figure as the
/// pages word it (a share only from ten votes, the count below). Cached and evicted like the tool's page. Written with an
/// XmlWriter, so names and figures are always encoded.
/// </summary>
public static class Badges
{
    public const double FontSize = 11;
    private const double Height = 20;
    private const double Padding = 6;

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapMethods("/badges/{slug}.svg", GetAndHead.Methods,
            (string slug, HttpContext context, Database database, Voting.VoteTallies tallies, ShareCards cards) =>
            {
                using var connection = database.Open();
                if (ToolColumns.Load(connection, tallies, [slug]).FirstOrDefault() is not { } column)
                    return Results.NotFound();
                CacheTags.TagTools(context, [slug]);
                return Results.Text(Svg(column.Tool, text => cards.Measure(text, (float)FontSize)), "image/svg+xml; charset=utf-8");
            });

    /// <summary>The community figure in a few words: "62% ship" from ten votes, else the count ("4 votes", "no votes yet").</summary>
    public static string Community(ToolCard tool) =>
        tool.Community.HasShare ? $"{Figures.Show(tool.CommunityPercent)} ship"
        : tool.CommunityVotes == 0 ? "no votes yet" : Figures.Count(tool.CommunityVotes, "vote", "votes");

    public static string Value(ToolCard tool) => $"panel {ShareCard.Panel(tool)} · community {Community(tool)}";

    public static string Label(ToolCard tool) => $"{tool.Name} on Verdicts: {Value(tool)}";

    public static string Svg(ToolCard tool, Func<string, float> measure)
    {
        const string Left = "Verdicts";
        var value = Value(tool);
        var leftWidth = Math.Ceiling(measure(Left) + 2 * Padding);
        var rightWidth = Math.Ceiling(measure(value) + 2 * Padding);
        var builder = new StringBuilder();
        using (var svg = XmlWriter.Create(builder, new XmlWriterSettings { OmitXmlDeclaration = true }))
        {
            svg.WriteStartElement("svg", "http://www.w3.org/2000/svg");
            Attribute(svg, "width", leftWidth + rightWidth);
            Attribute(svg, "height", Height);
            svg.WriteAttributeString("role", "img");
            svg.WriteAttributeString("aria-label", Label(tool));
            svg.WriteElementString("title", "http://www.w3.org/2000/svg", Label(tool));
            Rect(svg, 0, leftWidth, "#4b5563");
            Rect(svg, leftWidth, rightWidth, "#2f6f46");
            svg.WriteStartElement("g");
            svg.WriteAttributeString("fill", "#ffffff");
            svg.WriteAttributeString("font-family", "DejaVu Sans,Verdana,Geneva,sans-serif");
            Attribute(svg, "font-size", FontSize);
            Text(svg, leftWidth / 2, Left);
            Text(svg, leftWidth + rightWidth / 2, value);
            svg.WriteEndElement();
            svg.WriteEndElement();
        }
        return builder.ToString();
    }

    private static void Rect(XmlWriter svg, double x, double width, string fill)
    {
        svg.WriteStartElement("rect");
        Attribute(svg, "x", x);
        Attribute(svg, "width", width);
        Attribute(svg, "height", Height);
        svg.WriteAttributeString("fill", fill);
        svg.WriteEndElement();
    }

    private static void Text(XmlWriter svg, double centre, string text)
    {
        svg.WriteStartElement("text");
        Attribute(svg, "x", centre);
        Attribute(svg, "y", 14);
        svg.WriteAttributeString("text-anchor", "middle");
        svg.WriteString(text);
        svg.WriteEndElement();
    }

    private static void Attribute(XmlWriter svg, string name, double value) =>
        svg.WriteAttributeString(name, value.ToString(CultureInfo.InvariantCulture));
}
