using Verdicts.Web.Data;

namespace Verdicts.Web.Pages.Shared;

/// <summary>A horizontal share bar drawn in SVG: the page's CSP allows no inline styles, and attributes are not styles.</summary>
public sealed record BarModel(int? Percent, string Label, string Kind)
{
    public static BarModel Panel(ToolCard tool) => new(tool.PanelPercent,
        tool.PanelPercent is { } p ? $"Panel: {p}% ship for {tool.Name}" : $"Panel: no verdicts on {tool.Name} yet", "panel");

    public static BarModel Community(ToolCard tool) => new(tool.CommunityPercent,
        tool.CommunityPercent is { } p ? $"Community: {p}% ship for {tool.Name}" : $"Community: no votes on {tool.Name} yet", "community");
}

/// <param name="Voted">What this visitor just chose, when the page was reached through a no-JavaScript vote.</param>
public sealed record VoteFormModel(string ToolSlug, string ToolName, string ReturnPath, string? Voted)
{
    public string Pressed(string choice) => Voted == choice ? "true" : "false";

    public string Status => Voted switch
    {
        "ship" => $"Your vote: ship {ToolName}.",
        "skip" => $"Your vote: skip {ToolName}.",
        "clear" => "Your vote was withdrawn.",
        _ => "",
    };
}
