using System.Globalization;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using SQLitePCL;
using Verdicts.Web.Data;

namespace Verdicts.Web.Content;

/// <summary>
/// Writes content into the content tables, each import in one transaction. The first import of a run writes every
/// file as the resolver accepts it (<see cref="BeginFullImport"/>); later ones are given the previous snapshot and
/// rewrite only what changed (a tool is rewritten with its verdicts, since its panel figures come from them).
/// Subscribers and other visitor data are never touched, nor are votes: votes cast under a slug that a tool now lists
/// in its <c>aliases</c> (a rename) are moved by the vote writer, the one owner of vote rows, which reads the aliases
/// from <c>tool_aliases</c> when it starts and whenever <see cref="Imported"/> is raised.
/// </summary>
public sealed class ContentImporter(Database database)
{
    // A field, not a captured parameter, so that a FullImport can reach it.
    private readonly Database database = database;

    /// <summary>Raised after each import commits, before its content is served.</summary>
    public event Action? Imported;

    /// <summary>Starts replacing every content row; nothing changes until <see cref="FullImport.Commit"/>.</summary>
    public FullImport BeginFullImport(DateTimeOffset now) => new(this, now);

    /// <param name="sourceOf">The text of a file whose current version is accepted, to keep as its last good version (null if unknown).</param>
    public void Import(ContentSnapshot previous, ContentSnapshot next, IReadOnlyList<ContentError> extraErrors, DateTimeOffset now,
        Func<FileStatus, byte[]?> sourceOf)
    {
        using var connection = database.OpenForWriting();
        using var transaction = connection.BeginTransaction();
        using var write = new Writer(connection, transaction);

        foreach (var slug in Changed(previous.Reviewers, next.Reviewers))
        {
            write.RemoveReviewer(slug);
            if (next.Reviewers.GetValueOrDefault(slug) is { } reviewer)
                write.Reviewer(reviewer);
        }

        var tools = Changed(previous.Tools, next.Tools)
            .Concat(Changed(previous.Verdicts, next.Verdicts).Select(key => key[..key.IndexOf('/', StringComparison.Ordinal)]))
            .ToHashSet(StringComparer.Ordinal);
        foreach (var slug in tools)
        {
            write.RemoveTool(slug);
            if (next.Tools.GetValueOrDefault(slug) is not { Draft: false } tool)
                continue;
            var searchRow = write.Tool(tool).SearchRow;
            // A verdict is only accepted when its reviewer is, so the reviewers name every verdict a tool can have.
            foreach (var verdict in next.Reviewers.Keys.Select(r => next.Verdicts.GetValueOrDefault($"{slug}/{r}")).OfType<VerdictDocument>())
                searchRow = write.Verdict(verdict, tool.Name, searchRow);
            write.PanelFigures(slug);
        }

        foreach (var slug in Changed(previous.Comparisons, next.Comparisons))
        {
            write.RemoveComparison(slug);
            if (next.Comparisons.GetValueOrDefault(slug) is { Draft: false } comparison)
                write.Comparison(comparison);
        }

        write.Files(previous, next, now, sourceOf);
        write.ErrorsAndReload(next, extraErrors, now);
        transaction.Commit();
        Imported?.Invoke();
    }

    /// <summary>
    /// A first import, written file by file in the order the resolver judges them, in one transaction: a cold start
    /// writes the first files while later ones are still being parsed, rather than parsing everything and then
    /// writing everything on one core. Disposed without <see cref="Commit"/>, it leaves the database as it was.
    /// </summary>
    public sealed class FullImport : IDisposable
    {
        private readonly ContentImporter importer;
        private readonly SqliteConnection connection;
        private readonly SqliteTransaction transaction;
        private readonly Writer write;
        private readonly DateTimeOffset now;
        private readonly string at;
        private readonly Dictionary<string, WrittenTool> toolRows = new(StringComparer.Ordinal);
        // The database held no content files: none can have gone from the folder since.
        private readonly bool startedEmpty;

        // Set while the connection writes through a rollback journal, until the database is back in WAL mode.
        private bool writesDirectly;

        internal FullImport(ContentImporter importer, DateTimeOffset now)
        {
            this.importer = importer;
            var database = importer.database;
            this.now = now;
            at = now.ToString("O", CultureInfo.InvariantCulture);
            connection = database.OpenForWriting();
            try
            {
                startedEmpty = connection.ExecuteScalar<bool>("SELECT NOT EXISTS (SELECT 1 FROM content_files)");
                if (startedEmpty)
                    writesDirectly = TryRollbackJournal(database, connection);
                transaction = connection.BeginTransaction();
                // After a full clear there is nothing to delete first; skipping the deletes matters, because the search
                // index can only find a tool's rows by scanning it.
                foreach (var table in new[] { "tools", "tool_plans", "tool_aliases", "reviewers", "verdicts", "comparisons", "comparison_tools", "search_index" })
                    connection.Execute($"DELETE FROM {table}", transaction: transaction);
                write = new Writer(connection, transaction);
            }
            catch
            {
                connection.Dispose();
                throw;
            }
        }

        /// <summary>Writes one file's outcome, in the order <see cref="ContentResolution"/> gave it.</summary>
        /// <param name="accepted">The document accepted for the file (its current or its last good version), if any.</param>
        /// <param name="source">The file's text as read: kept as its last good version when that text was accepted.</param>
        public void Add(FileStatus status, ContentDocument? accepted, byte[]? source)
        {
            switch (accepted)
            {
                case ReviewerDocument reviewer:
                    write.Reviewer(reviewer);
                    break;
                case ToolDocument { Draft: false } tool:
                    var (row, searchRow) = write.Tool(tool);
                    toolRows[tool.Slug] = new(tool.Name, row, searchRow, 0, 0);
                    break;
                case VerdictDocument verdict when toolRows.TryGetValue(verdict.ToolSlug, out var tool):
                    toolRows[verdict.ToolSlug] = tool with
                    {
                        SearchRow = write.Verdict(verdict, tool.Name, tool.SearchRow),
                        Ship = tool.Ship + (verdict.Verdict == "ship" ? 1 : 0),
                        Skip = tool.Skip + (verdict.Verdict == "skip" ? 1 : 0),
                    };
                    break;
                case ComparisonDocument { Draft: false } comparison:
                    write.Comparison(comparison);
                    break;
            }
            write.File(status, status.State is FileState.Loaded or FileState.Draft ? source : null, at);
        }

        /// <summary>The last good text stored for a file before this import, read in its transaction.</summary>
        public string? GoodSource(string path) =>
            connection.QueryFirstOrDefault<string>("SELECT good_source FROM content_files WHERE path = @path", new { path }, transaction);

        /// <summary>Completes the import: the panel figures, files no longer on disk, the errors, then the commit.</summary>
        public void Commit(ContentSnapshot next, IReadOnlyList<ContentError> extraErrors)
        {
            // Each tool's row was written before its verdicts were read; it is given their counts now.
            foreach (var tool in toolRows.Values.Where(t => t.Ship + t.Skip > 0))
                write.PanelFigures(tool.Row, tool.Ship, tool.Skip);
            if (!startedEmpty)
            {
                var paths = next.Files.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
                var gone = connection.Query<string>("SELECT path FROM content_files", transaction: transaction).Where(p => !paths.Contains(p)).ToList();
                connection.Execute("DELETE FROM content_files WHERE path = @p", gone.Select(p => new { p }), transaction);
            }
            write.ErrorsAndReload(next, extraErrors, now);
            transaction.Commit();
            BackToWal();
            importer.Imported?.Invoke();
        }

        /// <summary>A tool written in this import: its row, the search row it last used (its verdicts take the rows after
        /// it) and the ship and skip verdicts written for it so far.</summary>
        private readonly record struct WrittenTool(string Name, long Row, long SearchRow, int Ship, int Skip);

        public void Dispose()
        {
            write.Dispose();
            transaction.Dispose();
            try
            {
                // Given up before its commit: the rollback journal has undone the writes; the site reads in WAL mode.
                BackToWal();
            }
            catch (Exception ex) when (ex is SqliteException or InvalidOperationException)
            {
                // Left in rollback-journal mode: nothing is lost, and the next start sets WAL mode again.
            }
            connection.Dispose();
        }

        /// <summary>
        /// Into a database with no content yet, write through a rollback journal rather than the WAL. The pages then go
        /// once into the database file, where in WAL mode they go into the WAL and again into the file when it is
        /// checkpointed, a second copy of the whole content. A crash before the commit leaves a
        /// journal that the next connection to open the file rolls back, just as a WAL holding no commit is ignored.
        /// Leaving WAL mode needs the file to itself, so this process's idle connections are closed first; if another
        /// process has it open, the switch fails at once and the import goes through the WAL as always.
        /// </summary>
        private static bool TryRollbackJournal(Database database, SqliteConnection connection)
        {
            database.CloseIdleConnections();
            connection.Execute("PRAGMA busy_timeout = 0;");
            try
            {
                return connection.ExecuteScalar<string>("PRAGMA journal_mode = DELETE;") == "delete";
            }
            catch (SqliteException ex) when (ex.SqliteErrorCode == raw.SQLITE_BUSY)
            {
                return false;
            }
            finally
            {
                connection.Execute($"PRAGMA busy_timeout = {Database.WriteBusyTimeoutMs};");
            }
        }

        private void BackToWal()
        {
            if (!writesDirectly)
                return;
            var mode = connection.ExecuteScalar<string>("PRAGMA journal_mode = WAL;");
            if (mode != "wal")
                throw new InvalidOperationException($"the database stayed in {mode} journal mode after the import");
            writesDirectly = false;
        }
    }

    /// <summary>Keys added, removed or whose accepted version differs.</summary>
    private static IEnumerable<string> Changed<T>(IReadOnlyDictionary<string, T> before, IReadOnlyDictionary<string, T> after)
        where T : ContentDocument
    {
        if (ReferenceEquals(before, after))
            return [];
        return after.Where(kv => !before.TryGetValue(kv.Key, out var old) || old.Sha256 != kv.Value.Sha256).Select(kv => kv.Key)
            .Concat(before.Keys.Where(k => !after.ContainsKey(k)));
    }

    /// <summary>
    /// Writes content rows. Each INSERT is prepared once per import and run for every row: a cold import writes some
    /// 200 000 rows, and preparing a statement per tool cost more than the inserts themselves.
    /// </summary>
    private sealed class Writer(SqliteConnection connection, SqliteTransaction transaction) : IDisposable
    {
        private const long SearchRowsPerTool = 1 << 16;

        private readonly Statement insertReviewer = new(connection, """
            INSERT INTO reviewers (slug, name, lens, sort_order, bio_html, path) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
            """);
        private readonly Statement insertTool = new(connection, """
            INSERT INTO tools (slug, name, category, category_slug, tagline, vendor, website, license, tags, released,
                               entry_price, description_html, description_text, panel_ship, panel_skip, path)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)
            """);
        private readonly Statement updatePanel = new(connection, """
            UPDATE tools SET panel_ship = (SELECT count(*) FROM verdicts WHERE tool_slug = ?1 AND verdict = 'ship'),
                             panel_skip = (SELECT count(*) FROM verdicts WHERE tool_slug = ?1 AND verdict = 'skip')
            WHERE slug = ?1
            """);
        private readonly Statement setPanel = new(connection, "UPDATE tools SET panel_ship = ?2, panel_skip = ?3 WHERE rowid = ?1");
        private readonly Statement insertPlan = new(connection,
            "INSERT INTO tool_plans (tool_slug, position, name, price, notes) VALUES (?1, ?2, ?3, ?4, ?5)");
        private readonly Statement insertAlias = new(connection, "INSERT INTO tool_aliases (alias, tool_slug) VALUES (?1, ?2)");
        private readonly Statement insertVerdict = new(connection, """
            INSERT INTO verdicts (tool_slug, reviewer_slug, verdict, date, quote_html, quote_text, path)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
            """);
        private readonly Statement insertSearchRow = new(connection,
            "INSERT INTO search_index (rowid, tool_slug, kind, title, tagline, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
        private readonly Statement insertComparison = new(connection, """
            INSERT INTO comparisons (slug, title, question, intro_html, published, featured, tool_set, path)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
            """);
        private readonly Statement insertComparisonTool = new(connection,
            "INSERT INTO comparison_tools (comparison_slug, position, tool_slug) VALUES (?1, ?2, ?3)");
        private readonly Statement upsertFile = new(connection, """
            INSERT INTO content_files (path, kind, state, sha256, good_sha256, good_source, updated_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
            ON CONFLICT (path) DO UPDATE SET
                kind = excluded.kind, state = excluded.state, sha256 = excluded.sha256, updated_at = excluded.updated_at,
                good_sha256 = coalesce(excluded.good_sha256, good_sha256),
                good_source = coalesce(excluded.good_source, good_source)
            """);

        public void Dispose()
        {
            foreach (var statement in new[] { insertReviewer, insertTool, updatePanel, setPanel, insertPlan, insertAlias, insertVerdict, insertSearchRow, insertComparison, insertComparisonTool, upsertFile })
                statement.Dispose();
        }

        public void RemoveReviewer(string slug) =>
            connection.Execute("DELETE FROM reviewers WHERE slug = @slug", new { slug }, transaction);

        public void Reviewer(ReviewerDocument reviewer) =>
            insertReviewer.Run(reviewer.Slug, reviewer.Name, reviewer.Lens, reviewer.Order, reviewer.Body.HtmlUtf8, reviewer.Path);

        /// <summary>Deletes a tool's rows, its verdicts' and its search rows, before it is written again or for good.</summary>
        public void RemoveTool(string slug)
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

        /// <summary>Writes a published tool, with no panel figures yet; returns its row and the search row it took (its
        /// verdicts take the ones after it).</summary>
        public (long Row, long SearchRow) Tool(ToolDocument tool)
        {
            var toolRow = insertTool.Insert(tool.Slug, tool.Name, tool.Category, tool.CategorySlug, tool.Tagline, tool.Vendor, tool.Website,
                tool.License, JsonSerializer.Serialize(tool.Tags), tool.Released, tool.EntryPrice, tool.Body.HtmlUtf8, tool.Body.TextUtf8,
                0L, 0L, tool.Path);
            for (var i = 0; i < tool.Plans.Count; i++)
                insertPlan.Run(tool.Slug, i, tool.Plans[i].Name, tool.Plans[i].Price, tool.Plans[i].Notes);
            foreach (var alias in tool.Aliases)
                insertAlias.Run(alias.Slug, tool.Slug);
            // Each tool owns a block of search rowids, so its rows can be replaced without scanning the whole index.
            var searchRow = toolRow * SearchRowsPerTool;
            insertSearchRow.Run(searchRow, tool.Slug, "tool", tool.Name, tool.Tagline, tool.Body.TextUtf8);
            return (toolRow, searchRow);
        }

        /// <summary>Writes a verdict on a tool already written; returns the search row it took (the one after <paramref name="lastSearchRow"/>).</summary>
        public long Verdict(VerdictDocument verdict, string toolName, long lastSearchRow)
        {
            insertVerdict.Run(verdict.ToolSlug, verdict.ReviewerSlug, verdict.Verdict, verdict.Date, verdict.Body.HtmlUtf8, verdict.Body.TextUtf8, verdict.Path);
            // A tool's block has room for 65 535 quotes; any beyond are not searchable.
            if ((lastSearchRow + 1) % SearchRowsPerTool == 0)
                return lastSearchRow;
            insertSearchRow.Run(lastSearchRow + 1, verdict.ToolSlug, "quote", toolName, "", verdict.Body.TextUtf8);
            return lastSearchRow + 1;
        }

        /// <summary>The tool's panel figures, counted from the verdicts written for it.</summary>
        public void PanelFigures(string slug) => updatePanel.Run(slug);

        /// <summary>Sets the panel figures of the tool in <paramref name="row"/>, counted as its verdicts were written.</summary>
        public void PanelFigures(long row, int ship, int skip) => setPanel.Run(row, ship, skip);

        public void RemoveComparison(string slug) =>
            connection.Execute("""
                DELETE FROM comparisons WHERE slug = @slug;
                DELETE FROM comparison_tools WHERE comparison_slug = @slug;
                """, new { slug }, transaction);

        /// <summary>Writes a published comparison.</summary>
        public void Comparison(ComparisonDocument comparison)
        {
            insertComparison.Run(comparison.Slug, comparison.Title, comparison.Question, comparison.Body.HtmlUtf8, comparison.Published,
                comparison.Featured ? 1L : 0L, ToolSet(comparison.Tools.Select(t => t.Slug)), comparison.Path);
            for (var i = 0; i < comparison.Tools.Count; i++)
                insertComparisonTool.Run(comparison.Slug, i, comparison.Tools[i].Slug);
        }

        public void Files(ContentSnapshot previous, ContentSnapshot next, DateTimeOffset now, Func<FileStatus, byte[]?> sourceOf)
        {
            IEnumerable<FileStatus> changed;
            if (SamePaths(previous.Files, next.Files))
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
                File(f, f.State is FileState.Loaded or FileState.Draft ? sourceOf(f) : null, at);
        }

        /// <param name="good">The file's text when the version on disk was accepted as it is: it becomes the last good version.</param>
        public void File(FileStatus f, byte[]? good, string at) =>
            upsertFile.Run(f.Path, f.Kind.ToString().ToLowerInvariant(), f.State.ToString().ToLowerInvariant(), f.Sha256,
                good is null ? null : f.Sha256, good, at);

        public void ErrorsAndReload(ContentSnapshot next, IReadOnlyList<ContentError> extraErrors, DateTimeOffset now)
        {
            var errors = next.Errors.Concat(extraErrors).ToList();
            connection.Execute("DELETE FROM content_errors", transaction: transaction);
            connection.Execute("INSERT INTO content_errors (path, line, \"column\", message) VALUES (@Path, @Line, @Column, @Message)", errors, transaction);
            connection.Execute("""
                INSERT INTO content_reloads (id, reloaded_at, files, errors) VALUES (1, @At, @Files, @Errors)
                ON CONFLICT (id) DO UPDATE SET reloaded_at = excluded.reloaded_at, files = excluded.files, errors = excluded.errors
                """, new { At = now.ToString("O", CultureInfo.InvariantCulture), Files = next.Files.Count, Errors = errors.Count }, transaction);
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

    /// <summary>
    /// A statement with numbered parameters (<c>?1</c>, <c>?2</c>, ...), prepared once and run for every row through
    /// SQLite's own API. Microsoft.Data.Sqlite builds a data reader and looks every parameter up by name on each run,
    /// which cost more than many of the inserts; UTF-8 text (the rendered Markdown) is bound as it is, not re-encoded.
    /// </summary>
    private sealed class Statement : IDisposable
    {
        private readonly sqlite3 db;
        private readonly sqlite3_stmt statement;

        /// <remarks>Runs inside whatever transaction the connection has open.</remarks>
        public Statement(SqliteConnection connection, string sql)
        {
            db = connection.Handle!;
            SqliteException.ThrowExceptionForRC(raw.sqlite3_prepare_v2(db, sql, out statement), db);
        }

        public void Run(params object?[] values) => Step(values);

        /// <summary>Runs an INSERT and returns the rowid it took.</summary>
        public long Insert(params object?[] values)
        {
            Step(values);
            return raw.sqlite3_last_insert_rowid(db);
        }

        private void Step(object?[] values)
        {
            try
            {
                for (var i = 0; i < values.Length; i++)
                {
                    var rc = values[i] switch
                    {
                        null => raw.sqlite3_bind_null(statement, i + 1),
                        string text => raw.sqlite3_bind_text(statement, i + 1, text),
                        byte[] utf8 => raw.sqlite3_bind_text(statement, i + 1, utf8.AsSpan()),
                        long number => raw.sqlite3_bind_int64(statement, i + 1, number),
                        int number => raw.sqlite3_bind_int64(statement, i + 1, number),
                        var other => throw new ArgumentException($"cannot bind a {other.GetType().Name}", nameof(values)),
                    };
                    SqliteException.ThrowExceptionForRC(rc, db);
                }
                var step = raw.sqlite3_step(statement);
                if (step != raw.SQLITE_DONE)
                    SqliteException.ThrowExceptionForRC(step == raw.SQLITE_ROW ? raw.SQLITE_MISUSE : step, db);
            }
            finally
            {
                raw.sqlite3_reset(statement);
                raw.sqlite3_clear_bindings(statement);
            }
        }

        public void Dispose() => statement.Dispose();
    }

    public static string ToolSet(IEnumerable<string> slugs) => string.Join(' ', slugs.Order(StringComparer.Ordinal));
}
