using Dapper;
using Microsoft.Data.Sqlite;

namespace Verdicts.Web.Data;

/// <summary>
/// <c>search_names</c>: the name of every published tool, comparison and reviewer in an FTS5 trigram index, written by
/// the importer in its transaction and read by <see cref="Pages.NameSearch"/>. A name's rowid comes from its row's (a
/// tool's is three times the tool's rowid, a comparison's one more, a reviewer's two more), so after an edit the changed
/// names are found and replaced by rowid, without reading the index: <see cref="Forget"/> before the importer deletes
/// the changed rows, <see cref="Write"/> once it has written them again.
/// </summary>
public static class SearchNames
{
    private const string Rows = $"""
        SELECT rowid * 3, name, 'tool' AS kind, slug, tagline AS detail FROM tools WHERE @all OR slug IN (SELECT value FROM json_each(@tools))
        UNION ALL
        SELECT c.rowid * 3 + 1, {ComparisonTitle.Sql}, 'comparison', c.slug, coalesce(c.question, '') FROM comparisons c
         WHERE @all OR c.slug IN (SELECT value FROM json_each(@comparisons))
        UNION ALL
        SELECT rowid * 3 + 2, name, 'reviewer', slug, lens FROM reviewers WHERE @all OR slug IN (SELECT value FROM json_each(@reviewers))
        """;

    private const string RowidsOf = """
        SELECT rowid * 3 FROM tools WHERE slug IN (SELECT value FROM json_each(@tools))
        UNION ALL SELECT rowid * 3 + 1 FROM comparisons WHERE slug IN (SELECT value FROM json_each(@comparisons))
        UNION ALL SELECT rowid * 3 + 2 FROM reviewers WHERE slug IN (SELECT value FROM json_each(@reviewers))
        """;

    /// <summary>Removes the names of rows the importer is about to delete.</summary>
    public static void Forget(SqliteConnection connection, SqliteTransaction transaction,
        IEnumerable<string> tools, IEnumerable<string> reviewers, IEnumerable<string> comparisons) =>
        connection.Execute($"DELETE FROM search_names WHERE rowid IN ({RowidsOf})",
            new { tools = SlugList.Json(tools), comparisons = SlugList.Json(comparisons), reviewers = SlugList.Json(reviewers) }, transaction);

    /// <param name="changed">The slugs the import rewrote, or null for every row (a first load).</param>
    public static void Write(SqliteConnection connection, SqliteTransaction transaction,
        (IReadOnlyList<string> Tools, IReadOnlyList<string> Reviewers, IReadOnlyList<string> Comparisons)? changed)
    {
        const string Insert = $"INSERT INTO search_names (rowid, name, kind, slug, detail) {Rows}";
        if (changed is not { } c)
        {
            connection.Execute($"DELETE FROM search_names; {Insert}", new { all = true, tools = "[]", comparisons = "[]", reviewers = "[]" }, transaction);
            return;
        }
        if (c.Tools.Count == 0 && c.Reviewers.Count == 0 && c.Comparisons.Count == 0)
            return;
        // A comparison without a title of its own is called by its tools' names, so a renamed tool renames it; those
        // comparisons keep their rows, so their names are replaced here.
        const string TitledBy = "SELECT DISTINCT comparison_slug FROM comparison_tools WHERE tool_slug IN (SELECT value FROM json_each(@tools))";
        var titled = connection.Query<string>(TitledBy, new { tools = SlugList.Json(c.Tools) }, transaction).Except(c.Comparisons, StringComparer.Ordinal).ToList();
        Forget(connection, transaction, [], [], titled);
        connection.Execute(Insert, new
        {
            all = false, tools = SlugList.Json(c.Tools), comparisons = SlugList.Json(c.Comparisons.Concat(titled)), reviewers = SlugList.Json(c.Reviewers),
        }, transaction);
    }
}
