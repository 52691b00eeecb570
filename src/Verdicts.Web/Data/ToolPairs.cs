using Dapper;
using Microsoft.Data.Sqlite;

namespace Verdicts.Web.Data;

/// <summary>
/// <c>tool_pairs</c>: how many curated comparisons hold each pair of tools, kept by the importer in its transaction from
/// <c>comparison_tools</c>. A first load counts every pair; after an edit only the pairs of the tools that the changed
/// comparisons named, before or after, are counted again.
/// </summary>
public static class ToolPairs
{
    private const string Count = """
        SELECT x.tool_slug, y.tool_slug, count(*)
          FROM comparison_tools x JOIN comparison_tools y ON y.comparison_slug = x.comparison_slug AND x.tool_slug < y.tool_slug
        """;

    public static void RebuildAll(SqliteConnection connection, SqliteTransaction transaction) =>
        connection.Execute($"DELETE FROM tool_pairs; INSERT INTO tool_pairs (a, b, together) {Count} GROUP BY x.tool_slug, y.tool_slug;",
            transaction: transaction);

    /// <summary>Counts again every pair holding one of <paramref name="tools"/>: every comparison holding such a pair holds that tool.</summary>
    public static void Rebuild(SqliteConnection connection, SqliteTransaction transaction, IEnumerable<string> tools)
    {
        const string Sql = $"""
            DELETE FROM tool_pairs WHERE a IN (SELECT value FROM json_each(@tools)) OR b IN (SELECT value FROM json_each(@tools));
            INSERT INTO tool_pairs (a, b, together)
            {Count}
             WHERE x.comparison_slug IN (SELECT comparison_slug FROM comparison_tools WHERE tool_slug IN (SELECT value FROM json_each(@tools)))
               AND (x.tool_slug IN (SELECT value FROM json_each(@tools)) OR y.tool_slug IN (SELECT value FROM json_each(@tools)))
             GROUP BY x.tool_slug, y.tool_slug;
            """;
        connection.Execute(Sql, new { tools = SlugList.Json(tools) }, transaction);
    }
}
