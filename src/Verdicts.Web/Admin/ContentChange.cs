using Dapper;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Verdicts.Web.Content;
using Verdicts.Web.Data;

namespace Verdicts.Web.Admin;

/// <summary>An admin change that could not be made and recorded; whatever of it had been done is undone.</summary>
public sealed class ContentChangeFailedException(string message, Exception inner) : Exception(message, inner);

/// <summary>
/// One admin change to the content folder: written and audited together, or not at all.
/// <para>
/// Beginning one takes the database's write lock (BEGIN IMMEDIATE), which every writer of the database waits for, in
/// this process or another. So changes are made one at a time, and what the caller checks after beginning (is the
/// file still the version the admin opened?) still holds when the change is written: of several saves opened from one
/// version, the first to get the lock is written and the others see that the file has moved on.
/// </para>
/// <para>
/// Each step adds its audit row to the open transaction, then changes the files (whole-file atomic renames), keeping
/// what it replaced. Committing makes the rows durable; if that fails, or the change is disposed without it, the files
/// are put back, last step first, before the lock is let go.
/// </para>
/// </summary>
public sealed class ContentChange : IDisposable
{
    private const string Retry = "Nothing was changed; try again in a few seconds.";

    // An arbitrary constant, the advisory lock that makes admin changes take turns on PostgreSQL.
    private const long PostgresWriteLock = 0x5665_7264_6963_7443;

    private readonly ContentFiles files;
    private readonly AuditLog audit;
    private readonly ILogger logger;
    private readonly string admin;
    private readonly DbConnection connection;
    private readonly DbTransaction transaction;
    private readonly Stack<Action> undo = new();
    private readonly List<(string Action, string Path, string? Before, string? After, string? Detail)> rows = [];
    private readonly HashSet<string> paths = new(StringComparer.Ordinal);
    private bool folderMoved;
    private bool committed;

    private ContentChange(ContentFiles files, AuditLog audit, ILogger logger, string admin, DbConnection connection, DbTransaction transaction)
    {
        this.files = files;
        this.audit = audit;
        this.logger = logger;
        this.admin = admin;
        this.connection = connection;
        this.transaction = transaction;
    }

    /// <exception cref="ContentChangeFailedException">The database is locked by another writer (after a few seconds' wait) or takes no writes.</exception>
    internal static ContentChange Begin(ContentFiles files, Database database, AuditLog audit, ILogger logger, string admin)
    {
        DbConnection? connection = null;
        try
        {
            connection = database.OpenWrites();
            // Microsoft.Data.Sqlite begins IMMEDIATE: the write lock is taken now, not at the first write. PostgreSQL
            // takes no such lock, so a transaction-scoped advisory lock stands in for it (let go at commit or rollback).
            var transaction = connection.BeginTransaction();
            if (database.OnPostgres)
                connection.Execute("SELECT pg_advisory_xact_lock(@key)", new { key = PostgresWriteLock }, transaction);
            return new ContentChange(files, audit, logger, admin, connection, transaction);
        }
        catch (DbException ex)
        {
            connection?.Dispose();
            logger.LogWarning("Admin {Admin}'s change was refused: the database takes no writes ({Reason})", admin, ex.Message);
            throw new ContentChangeFailedException(ex is SqliteException { SqliteErrorCode: SQLitePCL.raw.SQLITE_BUSY or SQLitePCL.raw.SQLITE_LOCKED }
                ? "The database is busy with another writer. " + Retry
                : "The database takes no changes just now. " + Retry, ex);
        }
    }

    /// <summary>Writes a whole file, new or replacing one.</summary>
    public void Write(string relative, string text, string action, string? detail = null)
    {
        var full = files.FullPathOf(relative);
        var bytes = ContentFiles.Bytes(text);
        Step(() =>
        {
            var previous = File.Exists(full) ? File.ReadAllBytes(full) : null;
            Record(action, relative, previous is null ? null : ContentParser.Hash(previous), ContentParser.Hash(bytes), detail);
            var folder = Path.GetDirectoryName(full)!;
            if (!Directory.Exists(folder))
            {
                Directory.CreateDirectory(folder);
                undo.Push(() => Directory.Delete(folder));
            }
            ContentFiles.WriteAtomically(full, bytes);
            undo.Push(previous is null ? () => File.Delete(full) : () => ContentFiles.WriteAtomically(full, previous));
        });
        paths.Add(relative);
    }

    public void Delete(string relative, string action, string? detail = null)
    {
        var full = files.FullPathOf(relative);
        Step(() =>
        {
            var previous = File.ReadAllBytes(full);
            Record(action, relative, ContentParser.Hash(previous), null, detail);
            File.Delete(full);
            undo.Push(() => ContentFiles.WriteAtomically(full, previous));
        });
        paths.Add(relative);
    }

    public void MoveFolder(string relative, string newRelative, string action, string? detail = null)
    {
        var (from, to) = (files.FullPathOf(relative), files.FullPathOf(newRelative));
        Step(() =>
        {
            Record(action, relative + "/", null, null, detail);
            Directory.Move(from, to);
            undo.Push(() => Directory.Move(to, from));
        });
        folderMoved = true;
    }

    /// <summary>Database work that belongs to the change, committed with its audit rows.</summary>
    public void Execute(string sql, object parameters) => Step(() => connection.Execute(sql, parameters, transaction));

    /// <summary>Commits the audit rows, then has the site take the change in before the admin is sent on.</summary>
    /// <exception cref="ContentChangeFailedException">The commit failed; disposing the change puts the files back.</exception>
    public Task CommitAsync()
    {
        Step(transaction.Commit);
        committed = true;
        foreach (var row in rows)
            audit.Log(admin, row.Action, row.Path, row.Before, row.After, row.Detail);
        // A moved folder holds files nobody listed: look at everything.
        return folderMoved ? files.ReloadAsync() : files.ReloadAsync([.. paths]);
    }

    public void Dispose()
    {
        if (!committed && undo.Count > 0)
        {
            // Still holding the write lock, so no other change sees the files half done.
            while (undo.TryPop(out var step))
            {
                try
                {
                    step();
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    logger.LogError(ex, "Admin {Admin}'s change failed and a step of it could not be undone: check {Paths}", admin, string.Join(", ", paths));
                }
            }
            files.RequestReload();
        }
        try
        {
            transaction.Dispose();
        }
        catch (DbException)
        {
            // The rollback failed with the commit: closing the connection ends the transaction all the same.
        }
        connection.Dispose();
    }

    private void Record(string action, string path, string? before, string? after, string? detail)
    {
        audit.Add(transaction, admin, action, path, before, after, detail);
        rows.Add((action, path, before, after, detail));
    }

    private void Step(Action step)
    {
        try
        {
            step();
        }
        catch (Exception ex) when (ex is DbException or IOException or UnauthorizedAccessException)
        {
            logger.LogWarning(ex, "Admin {Admin}'s change could not be made and recorded; it is undone", admin);
            throw new ContentChangeFailedException("The change could not be written and recorded in the audit log, so it was undone. " + Retry, ex);
        }
    }
}
