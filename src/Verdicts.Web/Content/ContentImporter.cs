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
        Func<FileStatus, string?> sourceOf)
    {
        using var connection = database.OpenForWriting();
        using var transaction = connection.BeginTransaction();
        // After a full clear there is nothing to delete first; skipping the deletes matters, because the search
        // index can only find a tool's rows by scanning it.
        var write = new Writer(connection, transaction, Fresh: previous is null);

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

    private sealed class Writer(SqliteConnection connection, SqliteTransaction transaction, bool Fresh)
    {
        private const long SearchRowsPerTool = 1 << 16;

        public void Reviewer(string slug, ReviewerDocument? reviewer)
        {
            if (!Fresh)
                connection.Execute("DELETE FROM reviewers WHERE slug = @slug", new { slug }, transaction);
            if (reviewer is null)
                return;
            connection.Execute("""
                INSERT INTO reviewers (slug, name, lens, sort_order, bio_html, path)
                VALUES (@Slug, @Name, @Lens, @Order, @BioHtml, @Path)
                """, reviewer, transaction);
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
            var toolRow = connection.ExecuteScalar<long>("""
                INSERT INTO tools (slug, name, category, category_slug, tagline, vendor, website, license, tags, released,
                                   entry_price, description_html, description_text, panel_ship, panel_skip, path)
                VALUES (@Slug, @Name, @Category, @CategorySlug, @Tagline, @Vendor, @Website, @License, @Tags, @Released,
                        @EntryPrice, @DescriptionHtml, @DescriptionText, @PanelShip, @PanelSkip, @Path)
                RETURNING rowid
                """, new
            {
                tool.Slug, tool.Name, tool.Category, tool.CategorySlug, tool.Tagline, tool.Vendor, tool.Website, tool.License,
                Tags = JsonSerializer.Serialize(tool.Tags), tool.Released, tool.EntryPrice, tool.DescriptionHtml, tool.DescriptionText,
                PanelShip = verdicts.Count(v => v.Verdict == "ship"),
                PanelSkip = verdicts.Count(v => v.Verdict == "skip"),
                tool.Path,
            }, transaction);
            connection.Execute("INSERT INTO tool_plans (tool_slug, position, name, price, notes) VALUES (@ToolSlug, @Position, @Name, @Price, @Notes)",
                tool.Plans.Select((p, i) => new { ToolSlug = slug, Position = i, p.Name, p.Price, p.Notes }), transaction);
            connection.Execute("INSERT INTO tool_aliases (alias, tool_slug) VALUES (@Alias, @ToolSlug)",
                tool.Aliases.Select(a => new { Alias = a.Slug, ToolSlug = slug }), transaction);
            connection.Execute("""
                INSERT INTO verdicts (tool_slug, reviewer_slug, verdict, date, quote_html, quote_text, path)
                VALUES (@ToolSlug, @ReviewerSlug, @Verdict, @Date, @QuoteHtml, @QuoteText, @Path)
                """, verdicts, transaction);
            // Each tool owns a block of search rowids, so its rows can be replaced without scanning the whole index.
            connection.Execute("INSERT INTO search_index (rowid, tool_slug, kind, title, tagline, body) VALUES (@Row, @ToolSlug, @Kind, @Title, @Tagline, @Body)",
                verdicts.Take((int)SearchRowsPerTool - 1)
                    .Select(v => new { ToolSlug = slug, Kind = "quote", Title = tool.Name, Tagline = "", Body = v.QuoteText })
                    .Prepend(new { ToolSlug = slug, Kind = "tool", Title = tool.Name, tool.Tagline, Body = tool.DescriptionText })
                    .Select((row, i) => new { Row = toolRow * SearchRowsPerTool + i, row.ToolSlug, row.Kind, row.Title, row.Tagline, row.Body }),
                transaction);
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
            connection.Execute("""
                INSERT INTO comparisons (slug, title, question, intro_html, published, featured, tool_set, path)
                VALUES (@Slug, @Title, @Question, @IntroHtml, @Published, @Featured, @ToolSet, @Path)
                """, new
            {
                comparison.Slug, comparison.Title, comparison.Question, comparison.IntroHtml, comparison.Published,
                Featured = comparison.Featured ? 1L : 0L,
                ToolSet = ToolSet(comparison.Tools.Select(t => t.Slug)),
                comparison.Path,
            }, transaction);
            connection.Execute("INSERT INTO comparison_tools (comparison_slug, position, tool_slug) VALUES (@Comparison, @Position, @Tool)",
                comparison.Tools.Select((t, i) => new { Comparison = slug, Position = i, Tool = t.Slug }), transaction);
        }

        public void Files(ContentSnapshot? previous, ContentSnapshot next, DateTimeOffset now, Func<FileStatus, string?> sourceOf)
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
            connection.Execute("""
                INSERT INTO content_files (path, kind, state, sha256, good_sha256, good_source, updated_at)
                VALUES (@Path, @Kind, @State, @Sha256, @GoodSha256, @GoodSource, @At)
                ON CONFLICT (path) DO UPDATE SET
                    kind = excluded.kind, state = excluded.state, sha256 = excluded.sha256, updated_at = excluded.updated_at,
                    good_sha256 = coalesce(excluded.good_sha256, good_sha256),
                    good_source = coalesce(excluded.good_source, good_source)
                """, changed.Select(f =>
            {
                // Only a version accepted as it is on disk becomes the new last good version.
                var good = f.State is FileState.Loaded or FileState.Draft ? sourceOf(f) : null;
                return new
                {
                    f.Path, Kind = f.Kind.ToString().ToLowerInvariant(), State = f.State.ToString().ToLowerInvariant(), f.Sha256,
                    GoodSha256 = good is null ? null : f.Sha256, GoodSource = good, At = at,
                };
            }), transaction);
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

    public static string ToolSet(IEnumerable<string> slugs) => string.Join(' ', slugs.Order(StringComparer.Ordinal));
}
