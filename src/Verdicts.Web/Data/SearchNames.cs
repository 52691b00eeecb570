using Dapper;
using Microsoft.Data.Sqlite;

namespace Verdicts.Web.Data;

/// <summary>
/// <c>search_names</c>: the name of every published tool, comparison and reviewer in an FTS5 trigram index, written by
/// the importer in its transaction and read by <see cref="Pages.NameSearch"/>. After an edit only the changed rows are
/// rewritten, and the comparisons whose title is made of a changed tool's name.
/// </summary>
public static class SearchNames
{
    private const string Rows = $"""
        SELECT name, 'tool' AS kind, slug, tagline AS detail FROM tools WHERE @all OR slug IN @tools
        UNION ALL
        SELECT {ComparisonTitle.Sql}, 'comparison', c.slug, coalesce(c.question, '') FROM comparisons c WHERE @all OR c.slug IN @comparisons
        UNION ALL
        SELECT name, 'reviewer', slug, lens FROM reviewers WHERE @all OR slug IN @reviewers
        """;

    private const int MaxChangedForUpdate = 500;

    /// <param name="changed">The slugs the import rewrote, or null for every row (a first load).</param>
    public static void Rebuild(SqliteConnection connection, SqliteTransaction transaction,
        (IReadOnlyList<string> Tools, IReadOnlyList<string> Reviewers, IReadOnlyList<string> Comparisons)? changed)
    {
        // Past a few hundred slugs a statement's parameters run out, and rewriting every row is as quick anyway.
        if (changed is not { } c || c.Tools.Count + c.Reviewers.Count + c.Comparisons.Count > MaxChangedForUpdate)
        {
            connection.Execute($"DELETE FROM search_names; INSERT INTO search_names (name, kind, slug, detail) {Rows}",
                new { all = true, tools = Array.Empty<string>(), comparisons = Array.Empty<string>(), reviewers = Array.Empty<string>() }, transaction);
            return;
        }
        if (c.Tools.Count == 0 && c.Reviewers.Count == 0 && c.Comparisons.Count == 0)
            return;
        // A comparison without a title of its own is called by its tools' names, so a renamed tool renames it.
        const string TitledBy = "SELECT DISTINCT comparison_slug FROM comparison_tools WHERE tool_slug IN @tools";
        var comparisons = c.Comparisons.Union(connection.Query<string>(TitledBy, new { tools = c.Tools }, transaction), StringComparer.Ordinal).ToList();
        // kind and slug are not indexed: these deletes read the table's rows once, a few milliseconds at 10 000 tools.
        const string Remove = """
            DELETE FROM search_names WHERE (kind = 'tool' AND slug IN @tools) OR (kind = 'comparison' AND slug IN @comparisons)
                                        OR (kind = 'reviewer' AND slug IN @reviewers)
            """;
        var keys = new { all = false, tools = c.Tools, comparisons, reviewers = c.Reviewers };
        connection.Execute(Remove, keys, transaction);
        connection.Execute($"INSERT INTO search_names (name, kind, slug, detail) {Rows}", keys, transaction);
    }
}
