using System.Globalization;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using SQLitePCL;
using Verdicts.Web.Data;

namespace Verdicts.Web.Content;

/// <summary>
/// Writes content into the content tables, each import in one transaction: given the snapshot the database holds, only
/// what changed is rewritten (a tool with its verdicts, since its panel figures come from them); given none (the first
/// load of a run, when the database may hold anything), every content row is replaced.
/// Subscribers and other visitor data are never touched, nor are votes: votes cast under a slug that a tool now lists
/// in its <c>aliases</c> (a rename) are moved by the vote writer, the one owner of vote rows, which reads the aliases
/// from <c>tool_aliases</c> when it starts and whenever <see cref="Imported"/> is raised.
/// </summary>
public sealed class ContentImporter(Database database)
{
    // Each tool owns a block of search rowids, so its rows can be replaced without scanning the whole index.
    private const long SearchRowsPerTool = 1 << 16;

    /// <summary>Raised after each import commits, before its content is served.</summary>
    public event Action? Imported;

    /// <param name="previous">What the database holds, or null when that is not known: every content row is then replaced.</param>
    /// <param name="sourceOf">The text of a file whose current version is accepted, to keep as its last good version
    /// (null if unknown). Asked inside the transaction: if it throws, nothing is written.</param>
    public void Import(ContentSnapshot? previous, ContentSnapshot next, IReadOnlyList<ContentError> extraErrors, DateTimeOffset now,
        Func<FileStatus, byte[]?> sourceOf)
    {
        using var connection = database.OpenForWriting();
        var journal = previous is null && IsEmpty(connection) && TryRollbackJournal(connection);
        try
        {
            using (var transaction = connection.BeginTransaction())
            {
                Write(connection, transaction, previous, next, extraErrors, now, sourceOf);
                // Tables derived from the content tables are rebuilt here, in the same transaction, before the commit.
                transaction.Commit();
            }
            if (journal)
                BackToWal(connection);
        }
        catch when (journal)
        {
            // Given up before its commit: the rollback journal has undone the writes; the site reads in WAL mode.
            TryBackToWal(connection);
            throw;
        }
        Imported?.Invoke();
    }

    /// <summary>The last good text the database keeps for a file, read before a first load replaces the content rows.</summary>
    public string? StoredGoodSource(string path)
    {
        const string sql = "SELECT good_source FROM content_files WHERE path = @path";
        using var connection = database.Open();
        return connection.QueryFirstOrDefault<string>(sql, new { path });
    }

    private static void Write(SqliteConnection connection, SqliteTransaction transaction, ContentSnapshot? previous, ContentSnapshot next,
        IReadOnlyList<ContentError> extraErrors, DateTimeOffset now, Func<FileStatus, byte[]?> sourceOf)
    {
        List<string> reviewers, tools, comparisons;
        if (previous is null)
        {
            foreach (var table in new[] { "tools", "tool_plans", "tool_aliases", "reviewers", "verdicts", "comparisons", "comparison_tools", "search_index" })
                connection.Execute($"DELETE FROM {table}", transaction: transaction);
            (reviewers, tools, comparisons) = ([.. next.Reviewers.Keys], [.. next.Tools.Keys], [.. next.Comparisons.Keys]);
        }
        else
        {
            // After an edit only the keys of the files judged again can differ; otherwise every key is compared.
            var candidates = next.RejudgedSince(previous) is { } rejudged ? CandidateKeys(previous, next, rejudged) : null;
            reviewers = [.. Changed(previous.Reviewers, next.Reviewers, candidates?.Reviewers)];
            tools = [.. Changed(previous.Tools, next.Tools, candidates?.Tools)
                .Concat(Changed(previous.Verdicts, next.Verdicts, candidates?.Verdicts).Select(key => key[..key.IndexOf('/', StringComparison.Ordinal)]))
                .Distinct(StringComparer.Ordinal)];
            comparisons = [.. Changed(previous.Comparisons, next.Comparisons, candidates?.Comparisons)];
            SearchNames.Forget(connection, transaction, tools, reviewers, comparisons);
            const string removeReviewer = "DELETE FROM reviewers WHERE slug = @slug";
            connection.Execute(removeReviewer, reviewers.Select(slug => new { slug }), transaction);
            // The search rows go first, found through the tool's rowid: the index cannot look them up by slug.
            const string removeTool = """
                DELETE FROM search_index WHERE rowid BETWEEN (SELECT rowid FROM tools WHERE slug = @slug) * @block
                                                         AND (SELECT rowid FROM tools WHERE slug = @slug) * @block + @block - 1;
                DELETE FROM tools WHERE slug = @slug;
                DELETE FROM tool_plans WHERE tool_slug = @slug;
                DELETE FROM tool_aliases WHERE tool_slug = @slug;
                DELETE FROM verdicts WHERE tool_slug = @slug;
                """;
            connection.Execute(removeTool, tools.Select(slug => new { slug, block = SearchRowsPerTool }), transaction);
            const string removeComparison = """
                DELETE FROM comparisons WHERE slug = @slug;
                DELETE FROM comparison_tools WHERE comparison_slug = @slug;
                """;
            connection.Execute(removeComparison, comparisons.Select(slug => new { slug }), transaction);
        }

        const string insertReviewer = """
            INSERT INTO reviewers (slug, name, lens, sort_order, bio_html, path) VALUES (@Slug, @Name, @Lens, @Order, @Html, @Path)
            """;
        connection.Execute(insertReviewer, reviewers.Select(slug => next.Reviewers.GetValueOrDefault(slug)).OfType<ReviewerDocument>()
            .Select(r => new { r.Slug, r.Name, r.Lens, r.Order, r.Body.Html, r.Path }), transaction);

        // Drafts are never stored as public rows. A verdict is only accepted when its reviewer is, so the reviewers name
        // every verdict a tool can have.
        var published = tools.Select(slug => next.Tools.GetValueOrDefault(slug)).OfType<ToolDocument>().Where(t => !t.Draft)
            .Select(t => (Tool: t, Verdicts: next.Reviewers.Keys.Select(r => next.Verdicts.GetValueOrDefault($"{t.Slug}/{r}")).OfType<VerdictDocument>().ToList()))
            .ToList();
        const string insertTool = """
            INSERT INTO tools (slug, name, category, category_slug, tagline, vendor, website, license, tags, released,
                               entry_price, description_html, description_text, panel_ship, panel_skip, path, specs, sources, checked)
            VALUES (@Slug, @Name, @Category, @CategorySlug, @Tagline, @Vendor, @Website, @License, @Tags, @Released,
                    @EntryPrice, @Html, @Text, @Ship, @Skip, @Path, @Specs, @Sources, @Checked)
            """;
        connection.Execute(insertTool, published.Select(p => new ToolRow(p.Tool.Slug, p.Tool.Name, p.Tool.Category, p.Tool.CategorySlug,
            p.Tool.Tagline, p.Tool.Vendor, p.Tool.Website, p.Tool.License, JsonSerializer.Serialize(p.Tool.Tags), p.Tool.Released,
            p.Tool.EntryPrice, p.Tool.Body.Html, p.Tool.Body.Text, p.Verdicts.Count(v => v.Verdict == "ship"),
            p.Verdicts.Count(v => v.Verdict == "skip"), p.Tool.Path, p.Tool.Specs is null ? null : JsonSerializer.Serialize(p.Tool.Specs, ToolColumnsJson.Default.ToolSpecs),
            JsonSerializer.Serialize(p.Tool.Sources), p.Tool.Checked)), transaction);
        const string insertPlan = "INSERT INTO tool_plans (tool_slug, position, name, price, notes) VALUES (@tool, @position, @Name, @Price, @Notes)";
        connection.Execute(insertPlan, published.SelectMany(p => p.Tool.Plans.Select((plan, position) =>
            new { tool = p.Tool.Slug, position, plan.Name, plan.Price, plan.Notes })), transaction);
        const string insertAlias = "INSERT INTO tool_aliases (alias, tool_slug) VALUES (@alias, @tool)";
        connection.Execute(insertAlias, published.SelectMany(p => p.Tool.Aliases.Select(a => new { alias = a.Slug, tool = p.Tool.Slug })), transaction);
        const string insertVerdict = """
            INSERT INTO verdicts (tool_slug, reviewer_slug, verdict, date, quote_html, quote_text, path)
            VALUES (@ToolSlug, @ReviewerSlug, @Verdict, @Date, @Html, @Text, @Path)
            """;
        connection.Execute(insertVerdict, published.SelectMany(p => p.Verdicts).Select(v =>
            new { v.ToolSlug, v.ReviewerSlug, v.Verdict, v.Date, v.Body.Html, v.Body.Text, v.Path }), transaction);
        // A tool's search row opens its block; its quotes take the rows after it, up to the 65 535 the block has room for.
        const string insertSearchRow = """
            INSERT INTO search_index (rowid, tool_slug, kind, title, tagline, body)
            VALUES ((SELECT rowid FROM tools WHERE slug = @tool) * @block + @offset, @tool, @kind, @title, @tagline, @body)
            """;
        connection.Execute(insertSearchRow, published.SelectMany(p => p.Verdicts.Take((int)SearchRowsPerTool - 1)
            .Select((v, i) => new { tool = p.Tool.Slug, block = SearchRowsPerTool, offset = i + 1L, kind = "quote", title = p.Tool.Name, tagline = "", body = v.Body.Text })
            .Prepend(new { tool = p.Tool.Slug, block = SearchRowsPerTool, offset = 0L, kind = "tool", title = p.Tool.Name, tagline = p.Tool.Tagline, body = p.Tool.Body.Text })),
            transaction);

        // Each tool's comparison column, derived from the rows just written (Data/ToolColumns).
        if (previous is null)
            ToolColumns.RebuildAll(connection, transaction);
        else
            ToolColumns.Rebuild(connection, transaction, tools, reviewers);

        var publishedComparisons = comparisons.Select(slug => next.Comparisons.GetValueOrDefault(slug)).OfType<ComparisonDocument>().Where(c => !c.Draft).ToList();
        const string insertComparison = """
            INSERT INTO comparisons (slug, title, question, intro_html, published, featured, tool_set, path, bottom_line_html)
            VALUES (@Slug, @Title, @Question, @Html, @Published, @Featured, @ToolSet, @Path, @BottomLineHtml)
            """;
        connection.Execute(insertComparison, publishedComparisons.Select(c => new
        {
            c.Slug, c.Title, c.Question, c.Body.Html, c.Published, Featured = c.Featured ? 1L : 0L, ToolSet = ToolSet(c.Tools.Select(t => t.Slug)), c.Path,
            BottomLineHtml = c.BottomLine?.Html,
        }), transaction);
        const string insertComparisonTool = "INSERT INTO comparison_tools (comparison_slug, position, tool_slug) VALUES (@comparison, @position, @tool)";
        connection.Execute(insertComparisonTool, publishedComparisons.SelectMany(c => c.Tools.Select((t, position) =>
            new { comparison = c.Slug, position, tool = t.Slug })), transaction);
        // Pairs come from comparison_tools alone: only a changed comparison changes them.
        if (previous is null)
            ToolPairs.RebuildAll(connection, transaction);
        else if (comparisons.Count > 0)
            ToolPairs.Rebuild(connection, transaction, comparisons.SelectMany(slug => new[] { previous.Comparisons.GetValueOrDefault(slug), next.Comparisons.GetValueOrDefault(slug) })
                .OfType<ComparisonDocument>().SelectMany(c => c.Tools).Select(t => t.Slug).Distinct(StringComparer.Ordinal));
        SearchNames.Write(connection, transaction, previous is null ? null : (tools, reviewers, comparisons));

        Files(connection, transaction, previous, next, now, sourceOf);
        ErrorsAndReload(connection, transaction, next, extraErrors, now);
    }

    private sealed class Keys
    {
        public HashSet<string> Reviewers { get; } = new(StringComparer.OrdinalIgnoreCase);
        public HashSet<string> Tools { get; } = new(StringComparer.OrdinalIgnoreCase);
        public HashSet<string> Verdicts { get; } = new(StringComparer.OrdinalIgnoreCase);
        public HashSet<string> Comparisons { get; } = new(StringComparer.OrdinalIgnoreCase);
    }

    private sealed record ToolRow(string Slug, string Name, string Category, string CategorySlug, string Tagline, string? Vendor,
        string? Website, string? License, string Tags, string? Released, string EntryPrice, string Html, string Text, long Ship, long Skip, string Path,
        string? Specs, string Sources, string? Checked);

    /// <summary>Keys added, removed or whose accepted version differs, among <paramref name="candidates"/> if given.</summary>
    private static IEnumerable<string> Changed<T>(IReadOnlyDictionary<string, T> before, IReadOnlyDictionary<string, T> after,
        IReadOnlySet<string>? candidates) where T : ContentDocument
    {
        if (ReferenceEquals(before, after))
            return [];
        if (candidates is not null)
        {
            return candidates.Where(key => before.TryGetValue(key, out var old) != after.TryGetValue(key, out var now)
                || old is not null && now is not null && old.Sha256 != now.Sha256);
        }
        return after.Where(kv => !before.TryGetValue(kv.Key, out var old) || old.Sha256 != kv.Value.Sha256).Select(kv => kv.Key)
            .Concat(before.Keys.Where(k => !after.ContainsKey(k)));
    }

    /// <summary>The keys that the documents accepted at <paramref name="paths"/> had before and have after, by kind.</summary>
    private static Keys CandidateKeys(ContentSnapshot before, ContentSnapshot after, IReadOnlySet<string> paths)
    {
        var keys = new Keys();
        foreach (var path in paths)
        {
            if (ContentParser.KindOf(path) is not { } kind)
                continue;
            foreach (var document in new[] { before.AcceptedAt(path, kind), after.AcceptedAt(path, kind) }.OfType<ContentDocument>())
            {
                var set = document switch
                {
                    ReviewerDocument => keys.Reviewers,
                    ToolDocument => keys.Tools,
                    VerdictDocument => keys.Verdicts,
                    _ => keys.Comparisons,
                };
                set.Add(document.Slug);
            }
        }
        return keys;
    }

    private static void Files(SqliteConnection connection, SqliteTransaction transaction, ContentSnapshot? previous, ContentSnapshot next,
        DateTimeOffset now, Func<FileStatus, byte[]?> sourceOf)
    {
        const string removeFile = "DELETE FROM content_files WHERE path = @path";
        IEnumerable<FileStatus> changed;
        if (previous is not null && next.RejudgedSince(previous) is { } rejudged)
        {
            // After an edit only the files judged again can have another state.
            var judged = rejudged.Select(path => (Path: path, Before: previous.StatusAt(path), After: next.StatusAt(path))).ToList();
            connection.Execute(removeFile, judged.Where(f => f.Before is not null && f.After is null).Select(f => new { path = f.Path }), transaction);
            changed = judged.Where(f => f.After is not null && f.After != f.Before).Select(f => f.After!);
        }
        else
        {
            var paths = next.Files.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
            var stored = previous is null
                ? connection.Query<string>("SELECT path FROM content_files", transaction: transaction).ToList()
                : previous.Files.Select(f => f.Path);
            connection.Execute(removeFile, stored.Where(p => !paths.Contains(p)).Select(path => new { path }), transaction);
            var before = previous?.Files.ToDictionary(f => f.Path, StringComparer.Ordinal);
            changed = next.Files.Where(f => before is null || !before.TryGetValue(f.Path, out var old) || old != f);
        }
        // The text of a file whose version on disk was accepted as it is becomes its last good version.
        const string upsertFile = """
            INSERT INTO content_files (path, kind, state, sha256, good_sha256, good_source, updated_at)
            VALUES (@Path, @Kind, @State, @Sha256, @GoodSha256, @GoodSource, @At)
            ON CONFLICT (path) DO UPDATE SET
                kind = excluded.kind, state = excluded.state, sha256 = excluded.sha256, updated_at = excluded.updated_at,
                good_sha256 = coalesce(excluded.good_sha256, good_sha256),
                good_source = coalesce(excluded.good_source, good_source)
            """;
        var at = now.ToString("O", CultureInfo.InvariantCulture);
        connection.Execute(upsertFile, changed.Select(f =>
        {
            var good = f.State is FileState.Loaded or FileState.Draft ? sourceOf(f) : null;
            return new
            {
                f.Path, Kind = f.Kind.ToString().ToLowerInvariant(), State = f.State.ToString().ToLowerInvariant(), f.Sha256,
                GoodSha256 = good is null ? null : f.Sha256, GoodSource = good is null ? null : System.Text.Encoding.UTF8.GetString(good), At = at,
            };
        }), transaction);
    }

    private static void ErrorsAndReload(SqliteConnection connection, SqliteTransaction transaction, ContentSnapshot next,
        IReadOnlyList<ContentError> extraErrors, DateTimeOffset now)
    {
        var errors = next.Errors.Concat(extraErrors).ToList();
        connection.Execute("DELETE FROM content_errors", transaction: transaction);
        const string insertError = "INSERT INTO content_errors (path, line, \"column\", message) VALUES (@Path, @Line, @Column, @Message)";
        connection.Execute(insertError, errors, transaction);
        const string recordReload = """
            INSERT INTO content_reloads (id, reloaded_at, files, errors) VALUES (1, @At, @Files, @Errors)
            ON CONFLICT (id) DO UPDATE SET reloaded_at = excluded.reloaded_at, files = excluded.files, errors = excluded.errors
            """;
        connection.Execute(recordReload, new { At = now.ToString("O", CultureInfo.InvariantCulture), Files = next.Files.Count, Errors = errors.Count }, transaction);
    }

    private static bool IsEmpty(SqliteConnection connection) =>
        connection.ExecuteScalar<bool>("SELECT NOT EXISTS (SELECT 1 FROM content_files)");

    /// <summary>
    /// Into a database with no content yet, write through a rollback journal rather than the WAL. The pages then go
    /// once into the database file, where in WAL mode they go into the WAL and again into the file when it is
    /// checkpointed, a second copy of the whole content. A crash before the commit leaves a
    /// journal that the next connection to open the file rolls back, just as a WAL holding no commit is ignored.
    /// Leaving WAL mode needs the file to itself, so this process's idle connections are closed first; if another
    /// process has it open, the switch fails at once and the import goes through the WAL as always.
    /// </summary>
    private bool TryRollbackJournal(SqliteConnection connection)
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

    private static void BackToWal(SqliteConnection connection)
    {
        var mode = connection.ExecuteScalar<string>("PRAGMA journal_mode = WAL;");
        if (mode != "wal")
            throw new InvalidOperationException($"the database stayed in {mode} journal mode after the import");
    }

    private static void TryBackToWal(SqliteConnection connection)
    {
        try
        {
            BackToWal(connection);
        }
        catch (Exception ex) when (ex is SqliteException or InvalidOperationException)
        {
            // Left in rollback-journal mode: nothing is lost, and the next start sets WAL mode again.
        }
    }

    public static string ToolSet(IEnumerable<string> slugs) => string.Join(' ', slugs.Order(StringComparer.Ordinal));
}
