namespace Verdicts.Web.Data;

/// <summary>One of a tool's plans (<c>tool_plans</c>), as the tool and comparison pages list them.</summary>
public sealed record PlanRow
{
    public required string ToolSlug { get; init; }
    public required string Name { get; init; }
    public required string Price { get; init; }
    public string? Notes { get; init; }
}
