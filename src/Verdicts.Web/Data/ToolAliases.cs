using Dapper;

namespace Verdicts.Web.Data;

/// <summary>A renamed tool's former slugs, listed under <c>aliases</c>, so that old links and pages still open reach it.</summary>
public static class ToolAliases
{
    /// <summary>The published tool that lists <paramref name="slug"/> among its aliases, or null; matched exactly, as tool slugs are.</summary>
    public static string? RenamedTo(Database database, string slug)
    {
        const string Sql = "SELECT a.tool_slug FROM tool_aliases a JOIN tools t ON t.slug = a.tool_slug WHERE a.alias = @slug COLLATE BINARY";
        using var connection = database.Open();
        return connection.QueryFirstOrDefault<string>(Sql, new { slug });
    }
}
