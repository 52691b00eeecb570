using System.Globalization;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using Verdicts.Web.Data;

namespace Verdicts.Web.Content;

/// <summary>
/// Writes a snapshot into the content tables in one transaction. Given the previous snapshot it rewrites only
/// what changed (a tool is rewritten with its verdicts, since its panel figures come from them); without one it
/// replaces every content row. Votes, subscribers and other visitor data are never touched.
/// </summary>
public sealed class ContentImporter(Database database)
{
    /// <param name="sourceOf">The text of a file whose current version is accepted, to keep as its last good version (null if unknown).</param>
    public void Import(ContentSnapshot? previous, ContentSnapshot next, IReadOnlyList<ContentError> extraErrors, DateTimeOffset now,
        Func<FileStatus, byte[]?> sourceOf)
    {
        using var connection = database.OpenForWriting();
        using var transaction = connection.BeginTransaction();
        // After a full clear there is nothing to delete first; skipping the deletes matters, because the search
        // index can only find a tool's rows by scanning it.
        using var write = new Writer(connection, transaction, Fresh: previous is null);

        if (previous is null)
        {
            foreach (var table in new[] { "tools", "tool_plans", "tool_aliases", "reviewers", "verdicts", "comparisons", "comparison_tools", "search_index" })
                connection.Execute($"DELETE FROM {table}", transaction: transaction);
        }

        foreach (var slug in Changed(previous?.Reviewers, next.Reviewers))
            write.Reviewer(slug, next.Reviewers.GetValueOrDefault(slug));

        var tools = Changed(previous?.Tools, next.Tools)
            .Concat(Changed(previous?.Verdicts, next.Verdicts).Select(key => key[..key.IndexOf('/', StringComparison.Ordinal)]))
            .ToHashSet(StringComparer.Ordinal);
        foreach (var slug in tools)
        {
            // A verdict is only accepted when its reviewer is, so the reviewers name every verdict a tool can have.
            var verdicts = next.Reviewers.Keys.Select(r => next.Verdicts.GetValueOrDefault($"{slug}/{r}")).OfType<VerdictDocument>().ToList();
            write.Tool(slug, next.Tools.GetValueOrDefault(slug), verdicts);
        }

        foreach (var slug in Changed(previous?.Comparisons, next.Comparisons))
            write.Comparison(slug, next.Comparisons.GetValueOrDefault(slug));

        write.Files(previous, next, now, sourceOf);
        var errors = next.Errors.Concat(extraErrors).ToList();
        connection.Execute("DELETE FROM content_errors", transaction: transaction);
        connection.Execute("INSERT INTO content_errors (path, line, \"column\", message) VALUES (@Path, @Line, @Column, @Message)", errors, transaction);
        connection.Execute("""
            INSERT INTO content_reloads (id, reloaded_at, files, errors) VALUES (1, @At, @Files, @Errors)
            ON CONFLICT (id) DO UPDATE SET reloaded_at = excluded.reloaded_at, files = excluded.files, errors = excluded.errors
            """, new { At = now.ToString("O", CultureInfo.InvariantCulture), Files = next.Files.Count, Errors = errors.Count }, transaction);
        transaction.Commit();
    }

    /// <summary>Keys added, removed or whose accepted version differs.</summary>
    private static IEnumerable<string> Changed<T>(IReadOnlyDictionary<string, T>? before, IReadOnlyDictionary<string, T> after)
        where T : ContentDocument
    {
        if (before is null)
            return after.Keys;
        if (ReferenceEquals(before, after))
            return [];
        return after.Where(kv => !before.TryGetValue(kv.Key, out var old) || old.Sha256 != kv.Value.Sha256).Select(kv => kv.Key)
            .Concat(before.Keys.Where(k => !after.ContainsKey(k)));
    }

    /// <summary>
    /// Writes content rows. Each INSERT is prepared once per import and run for every row: a cold import writes some
    /// 200 000 rows, and preparing a statement per tool cost more than the inserts themselves.
    /// </summary>
    private sealed class Writer(SqliteConnection connection, SqliteTransaction transaction, bool Fresh) : IDisposable
    {
        private const long SearchRowsPerTool = 1 << 16;

        private readonly Statement insertReviewer = new(connection, transaction, """
            INSERT INTO reviewers (slug, name, lens, sort_order, bio_html, path) VALUES ($1, $2, $3, $4, CAST($5 AS TEXT), $6)
            """);
        private readonly Statement insertTool = new(connection, transaction, """
            INSERT INTO tools (slug, name, category, category_slug, tagline, vendor, website, license, tags, released,
                               entry_price, description_html, description_text, panel_ship, panel_skip, path)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, CAST($12 AS TEXT), CAST($13 AS TEXT), $14, $15, $16)
            RETURNING rowid
            """);
        private readonly Statement insertPlan = new(connection, transaction,
            "INSERT INTO tool_plans (tool_slug, position, name, price, notes) VALUES ($1, $2, $3, $4, $5)");
        private readonly Statement insertAlias = new(connection, transaction, "INSERT INTO tool_aliases (alias, tool_slug) VALUES ($1, $2)");
        private readonly Statement insertVerdict = new(connection, transaction, """
            INSERT INTO verdicts (tool_slug, reviewer_slug, verdict, date, quote_html, quote_text, path)
            VALUES ($1, $2, $3, $4, CAST($5 AS TEXT), CAST($6 AS TEXT), $7)
            """);
        private readonly Statement insertSearchRow = new(connection, transaction,
            "INSERT INTO search_index (rowid, tool_slug, kind, title, tagline, body) VALUES ($1, $2, $3, $4, $5, CAST($6 AS TEXT))");
        private readonly Statement insertComparison = new(connection, transaction, """
            INSERT INTO comparisons (slug, title, question, intro_html, published, featured, tool_set, path)
            VALUES ($1, $2, $3, CAST($4 AS TEXT), $5, $6, $7, $8)
            """);
        private readonly Statement insertComparisonTool = new(connection, transaction,
            "INSERT INTO comparison_tools (comparison_slug, position, tool_slug) VALUES ($1, $2, $3)");
        private readonly Statement upsertFile = new(connection, transaction, """
            INSERT INTO content_files (path, kind, state, sha256, good_sha256, good_source, updated_at)
            VALUES ($1, $2, $3, $4, $5, CAST($6 AS TEXT), $7)
            ON CONFLICT (path) DO UPDATE SET
                kind = excluded.kind, state = excluded.state, sha256 = excluded.sha256, updated_at = excluded.updated_at,
                good_sha256 = coalesce(excluded.good_sha256, good_sha256),
                good_source = coalesce(excluded.good_source, good_source)
            """);

        public void Dispose()
        {
            foreach (var statement in new[] { insertReviewer, insertTool, insertPlan, insertAlias, insertVerdict, insertSearchRow, insertComparison, insertComparisonTool, upsertFile })
                statement.Dispose();
        }

        public void Reviewer(string slug, ReviewerDocument? reviewer)
        {
            if (!Fresh)
                connection.Execute("DELETE FROM reviewers WHERE slug = @slug", new { slug }, transaction);
            if (reviewer is null)
                return;
            insertReviewer.Run(reviewer.Slug, reviewer.Name, reviewer.Lens, reviewer.Order, reviewer.Body.HtmlUtf8, reviewer.Path);
        }

        public void Tool(string slug, ToolDocument? tool, IReadOnlyList<VerdictDocument> verdicts)
        {
            if (!Fresh)
            {
                // The search rows go first, found through the tool's rowid: the index cannot look them up by slug.
                connection.Execute("""
                    DELETE FROM search_index WHERE rowid BETWEEN (SELECT rowid FROM tools WHERE slug = @slug) * @block
                                                             AND (SELECT rowid FROM tools WHERE slug = @slug) * @block + @block - 1;
                    DELETE FROM tools WHERE slug = @slug;
                    DELETE FROM tool_plans WHERE tool_slug = @slug;
                    DELETE FROM tool_aliases WHERE tool_slug = @slug;
                    DELETE FROM verdicts WHERE tool_slug = @slug;
                    """, new { slug, block = SearchRowsPerTool }, transaction);
            }
            if (tool is null || tool.Draft)
                return;
            var ship = verdicts.Count(v => v.Verdict == "ship");
            var toolRow = (long)insertTool.Scalar(tool.Slug, tool.Name, tool.Category, tool.CategorySlug, tool.Tagline, tool.Vendor, tool.Website,
                tool.License, JsonSerializer.Serialize(tool.Tags), tool.Released, tool.EntryPrice, tool.Body.HtmlUtf8, tool.Body.TextUtf8,
                ship, verdicts.Count - ship, tool.Path)!;
            for (var i = 0; i < tool.Plans.Count; i++)
                insertPlan.Run(slug, i, tool.Plans[i].Name, tool.Plans[i].Price, tool.Plans[i].Notes);
            foreach (var alias in tool.Aliases)
                insertAlias.Run(alias.Slug, slug);
            foreach (var verdict in verdicts)
                insertVerdict.Run(verdict.ToolSlug, verdict.ReviewerSlug, verdict.Verdict, verdict.Date, verdict.Body.HtmlUtf8, verdict.Body.TextUtf8, verdict.Path);
            // Each tool owns a block of search rowids, so its rows can be replaced without scanning the whole index.
            var searchRow = toolRow * SearchRowsPerTool;
            insertSearchRow.Run(searchRow, slug, "tool", tool.Name, tool.Tagline, tool.Body.TextUtf8);
            foreach (var verdict in verdicts.Take((int)SearchRowsPerTool - 1))
                insertSearchRow.Run(++searchRow, slug, "quote", tool.Name, "", verdict.Body.TextUtf8);
        }

        public void Comparison(string slug, ComparisonDocument? comparison)
        {
            if (!Fresh)
            {
                connection.Execute("""
                    DELETE FROM comparisons WHERE slug = @slug;
                    DELETE FROM comparison_tools WHERE comparison_slug = @slug;
                    """, new { slug }, transaction);
            }
            if (comparison is null || comparison.Draft)
                return;
            insertComparison.Run(comparison.Slug, comparison.Title, comparison.Question, comparison.Body.HtmlUtf8, comparison.Published,
                comparison.Featured ? 1L : 0L, ToolSet(comparison.Tools.Select(t => t.Slug)), comparison.Path);
            for (var i = 0; i < comparison.Tools.Count; i++)
                insertComparisonTool.Run(slug, i, comparison.Tools[i].Slug);
        }

        public void Files(ContentSnapshot? previous, ContentSnapshot next, DateTimeOffset now, Func<FileStatus, byte[]?> sourceOf)
        {
            IEnumerable<FileStatus> changed;
            if (previous is null)
            {
                var paths = next.Files.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
                var gone = connection.Query<string>("SELECT path FROM content_files", transaction: transaction).Where(p => !paths.Contains(p)).ToList();
                connection.Execute("DELETE FROM content_files WHERE path = @p", gone.Select(p => new { p }), transaction);
                changed = next.Files;
            }
            else if (SamePaths(previous.Files, next.Files))
            {
                // The usual case after an edit: the same files in the same order, so compare them pairwise.
                changed = next.Files.Where((f, i) => previous.Files[i] != f);
            }
            else
            {
                var before = previous.Files.ToDictionary(f => f.Path, StringComparer.Ordinal);
                var paths = next.Files.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
                connection.Execute("DELETE FROM content_files WHERE path = @p", before.Keys.Where(p => !paths.Contains(p)).Select(p => new { p }), transaction);
                changed = next.Files.Where(f => !before.TryGetValue(f.Path, out var old) || old != f);
            }
            var at = now.ToString("O", CultureInfo.InvariantCulture);
            foreach (var f in changed)
            {
                // Only a version accepted as it is on disk becomes the new last good version.
                var good = f.State is FileState.Loaded or FileState.Draft ? sourceOf(f) : null;
                upsertFile.Run(f.Path, f.Kind.ToString().ToLowerInvariant(), f.State.ToString().ToLowerInvariant(), f.Sha256,
                    good is null ? null : f.Sha256, good, at);
            }
        }

        private static bool SamePaths(IReadOnlyList<FileStatus> before, IReadOnlyList<FileStatus> after)
        {
            if (before.Count != after.Count)
                return false;
            for (var i = 0; i < before.Count; i++)
            {
                if (!string.Equals(before[i].Path, after[i].Path, StringComparison.Ordinal))
                    return false;
            }
            return true;
        }
    }

    /// <summary>A statement with positional parameters, prepared on first use and reused for every row after.</summary>
    private sealed class Statement(SqliteConnection connection, SqliteTransaction transaction, string sql) : IDisposable
    {
        private SqliteCommand? command;

        public void Run(params object?[] values) => Bind(values).ExecuteNonQuery();

        public object? Scalar(params object?[] values) => Bind(values).ExecuteScalar();

        private SqliteCommand Bind(object?[] values)
        {
            if (command is null)
            {
                command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = sql;
                for (var i = 1; i <= values.Length; i++)
                    command.Parameters.Add(new SqliteParameter("$" + i.ToString(CultureInfo.InvariantCulture), null));
            }
            for (var i = 0; i < values.Length; i++)
                command.Parameters[i].Value = values[i] ?? DBNull.Value;
            return command;
        }

        public void Dispose() => command?.Dispose();
    }

    public static string ToolSet(IEnumerable<string> slugs) => string.Join(' ', slugs.Order(StringComparer.Ordinal));
}
