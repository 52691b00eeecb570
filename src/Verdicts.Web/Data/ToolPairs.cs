using Dapper;
using Microsoft.Data.Sqlite;

namespace Verdicts.Web.Data;

/// <summary>
/// <c>tool_pairs</c>: how many curated comparisons hold each pair of tools, rebuilt whole by the importer whenever tools
/// or comparisons change. A full rebuild is one grouped statement over <c>comparison_tools</c>, a few pairs per comparison.
/// </summary>
public static class ToolPairs
{
    public static void Rebuild(SqliteConnection connection, SqliteTransaction transaction)
    {
        const string Sql = """
            DELETE FROM tool_pairs;
            INSERT INTO tool_pairs (a, b, together)
            SELECT x.tool_slug, y.tool_slug, count(*)
              FROM comparison_tools x JOIN comparison_tools y ON y.comparison_slug = x.comparison_slug AND x.tool_slug < y.tool_slug
             GROUP BY x.tool_slug, y.tool_slug;
            """;
        connection.Execute(Sql, transaction: transaction);
    }
}
