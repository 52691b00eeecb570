using System.Globalization;
using Dapper;
using System.Data.Common;
using Verdicts.Web.Data;

namespace Verdicts.Web.Admin;

/// <summary>Records each admin change in the audit table and the log.</summary>
public sealed class AuditLog(Database database, TimeProvider time, ILogger<AuditLog> logger)
{
    public sealed record Entry
    {
        public long Id { get; init; }
        public required string At { get; init; }
        public required string Admin { get; init; }
        public required string Action { get; init; }
        public required string Path { get; init; }
        public string? Sha256Before { get; init; }
        public string? Sha256After { get; init; }
        public string? Detail { get; init; }
        public string? Diff { get; init; }
        public long? LinesAdded { get; init; }
        public long? LinesRemoved { get; init; }

        /// <summary>The file's whole text before and after the change, where kept and asked for (a file's history).</summary>
        public string? TextBefore { get; init; }
        public string? TextAfter { get; init; }

        /// <summary>The git commit this change is, when the file's history is read from git (content in a remote) rather than this log.</summary>
        public string? Commit { get; init; }

        /// <summary>The value a restore form posts for this change's text after it (or before it): its commit, else its row.</summary>
        public string Version(string which) => $"{which}-{Commit ?? Id.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

        /// <summary>What the change did to the file's lines; null for rows that changed no file's text (votes, folders, subscribers).</summary>
        public LineDiff? Changes => LinesAdded is { } added && LinesRemoved is { } removed ? new LineDiff(Diff, added, removed) : null;
    }

    /// <summary>A content file's whole text before and after a change (null where there was no file), kept with its audit row.</summary>
    public sealed record FileTexts(string? Before, string? After);

    public void Record(string admin, string action, string path, string? before = null, string? after = null, string? detail = null)
    {
        using var connection = database.OpenWrites();
        Insert(connection, null, admin, action, path, before, after, detail, null);
        Log(admin, action, path, before, after, detail);
    }

    /// <summary>Adds the row within the caller's transaction, to be <see cref="Log">logged</see> once that commits.</summary>
    public void Add(DbTransaction transaction, string admin, string action, string path, string? before, string? after, string? detail, FileTexts? texts = null) =>
        Insert(transaction.Connection!, transaction, admin, action, path, before, after, detail, texts);

    public void Log(string admin, string action, string path, string? before, string? after, string? detail) =>
        logger.LogInformation("Admin {Admin} {Action} {Path} ({Before} -> {After}) {Detail}", admin, action, path, before ?? "-", after ?? "-", detail ?? "");

    private void Insert(DbConnection connection, DbTransaction? transaction, string admin, string action, string path, string? before, string? after, string? detail, FileTexts? texts)
    {
        var diff = texts is null ? null : LineDiff.Between(texts.Before, texts.After);
        connection.Execute("""
            INSERT INTO audit (at, admin, action, path, sha256_before, sha256_after, detail, text_before, text_after, diff, lines_added, lines_removed)
            VALUES (@at, @admin, @action, @path, @before, @after, @detail, @textBefore, @textAfter, @diff, @added, @removed)
            """, new
            {
                at = time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), admin, action, path, before, after, detail,
                textBefore = texts?.Before, textAfter = texts?.After, diff = diff?.Unified, added = diff?.Added, removed = diff?.Removed,
            },
            transaction);
    }

    /// <summary>The newest <paramref name="count"/> entries older than the entry <paramref name="beforeId"/> (all, when null), newest first.</summary>
    public IReadOnlyList<Entry> Page(long? beforeId, int count)
    {
        using var connection = database.ReadWrites();
        return connection.Query<Entry>("""
            SELECT id, at, admin, action, path, sha256_before AS Sha256Before, sha256_after AS Sha256After, detail,
                   diff, lines_added AS LinesAdded, lines_removed AS LinesRemoved
            FROM audit WHERE id < @beforeId ORDER BY id DESC LIMIT @count
            """, new { beforeId = beforeId ?? long.MaxValue, count }).ToList();
    }

    /// <summary>The changes to one content file older than <paramref name="beforeId"/> (all, when null), newest first, with their texts.</summary>
    public IReadOnlyList<Entry> History(string path, long? beforeId, int count)
    {
        using var connection = database.ReadWrites();
        return connection.Query<Entry>("""
            SELECT id, at, admin, action, path, sha256_before AS Sha256Before, sha256_after AS Sha256After, detail,
                   diff, lines_added AS LinesAdded, lines_removed AS LinesRemoved, text_before AS TextBefore, text_after AS TextAfter
            FROM audit WHERE path = @path AND id < @beforeId ORDER BY id DESC LIMIT @count
            """, new { path, beforeId = beforeId ?? long.MaxValue, count }).ToList();
    }

    /// <summary>One recorded change to a file, with its texts; null when there is none with that id for that path.</summary>
    public Entry? Change(string path, long id)
    {
        using var connection = database.ReadWrites();
        return connection.QuerySingleOrDefault<Entry>("""
            SELECT id, at, admin, action, path, sha256_before AS Sha256Before, sha256_after AS Sha256After, detail,
                   diff, lines_added AS LinesAdded, lines_removed AS LinesRemoved, text_before AS TextBefore, text_after AS TextAfter
            FROM audit WHERE path = @path AND id = @id
            """, new { path, id });
    }
}
