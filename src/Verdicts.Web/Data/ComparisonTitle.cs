namespace Verdicts.Web.Data;

/// <summary>A comparison's display title: its own, else its tools' names joined by " vs " in column order.</summary>
public static class ComparisonTitle
{
    /// <summary>The title in SQL, for a query over <c>comparisons c</c>.</summary>
    public const string Sql = """
        coalesce(c.title, (SELECT group_concat(name, ' vs ') FROM (
            SELECT t.name FROM comparison_tools ct JOIN tools t ON t.slug = ct.tool_slug
            WHERE ct.comparison_slug = c.slug ORDER BY ct.position)))
        """;

    /// <summary>The title from a comparison's own (if any) and its tools' names in column order.</summary>
    public static string Of(string? title, IEnumerable<string> toolNames) => title ?? string.Join(" vs ", toolNames);
}
