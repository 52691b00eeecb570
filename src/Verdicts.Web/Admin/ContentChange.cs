using System.Text;
using Dapper;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Verdicts.Web.Content;
using Verdicts.Web.Data;

namespace Verdicts.Web.Admin;

/// <summary>An admin change that could not be made and recorded; whatever of it had been done is undone.</summary>
public sealed class ContentChangeFailedException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Someone else pushed a change to one of the same files first. Nothing was written; the content folder now holds
/// their version, for the editor's conflict page.
/// </summary>
public sealed class ContentConflictException() : Exception("Someone else changed the same file first.");

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
/// <para>
/// When the folder is a clone of a git remote (<see cref="ContentClone"/>), the change also holds the clone, and is a
/// commit by the admin pushed to the remote before the audit rows commit: nothing is acknowledged that the remote does
/// not have. A push that fails puts the files back like any other failure.
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
    // Files and folders the change touched, for telling whether someone else pushed a change to any of them.
    private readonly List<string> touched = [];
    private readonly IDisposable? cloneHold;
    private bool folderMoved;
    private bool committed;

    private ContentChange(ContentFiles files, AuditLog audit, ILogger logger, string admin, DbConnection connection, DbTransaction transaction, IDisposable? cloneHold)
    {
        this.cloneHold = cloneHold;
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
            IDisposable? cloneHold = null;
            try
            {
                cloneHold = files.Clone.Enabled ? files.Clone.Enter() : null;
            }
            catch (TimeoutException ex)
            {
                transaction.Dispose();
                connection.Dispose();
                logger.LogWarning("Admin {Admin}'s change was refused: the content clone stayed busy", admin);
                throw new ContentChangeFailedException("The content folder is busy with a pull from the remote. " + Retry, ex);
            }
            return new ContentChange(files, audit, logger, admin, connection, transaction, cloneHold);
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
            Record(action, relative, previous is null ? null : ContentParser.Hash(previous), ContentParser.Hash(bytes), detail, Texts(previous, bytes));
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
        touched.Add(relative);
    }

    public void Delete(string relative, string action, string? detail = null)
    {
        var full = files.FullPathOf(relative);
        Step(() =>
        {
            var previous = File.ReadAllBytes(full);
            Record(action, relative, ContentParser.Hash(previous), null, detail, Texts(previous, null));
            File.Delete(full);
            undo.Push(() => ContentFiles.WriteAtomically(full, previous));
        });
        paths.Add(relative);
        touched.Add(relative);
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
        touched.Add(relative);
        touched.Add(newRelative);
    }

    /// <summary>Database work that belongs to the change, committed with its audit rows.</summary>
    public void Execute(string sql, object parameters) => Step(() => connection.Execute(sql, parameters, transaction));

    /// <summary>
    /// Pushes the change when the folder is a clone, commits the audit rows, then has the site take the change in
    /// before the admin is sent on.
    /// </summary>
    /// <exception cref="ContentChangeFailedException">The push or the commit failed; disposing the change puts the files back.</exception>
    /// <exception cref="ContentConflictException">Someone else pushed a change to one of these files first; the files are theirs now.</exception>
    public async Task CommitAsync()
    {
        var others = false;
        if (files.Clone.Enabled)
        {
            switch (await files.Clone.CommitAndPushAsync(admin, CommitMessage(), touched))
            {
                case PushOutcome.Conflict:
                    UndoFiles();
                    await files.Clone.CatchUpAsync();
                    throw new ContentConflictException();
                case PushOutcome.Unreachable:
                    throw new ContentChangeFailedException("The content remote could not be reached, so the change was not saved. " + Retry);
                case PushOutcome.PushedOverOthers:
                    others = true;
                    break;
            }
            try
            {
                transaction.Commit();
            }
            catch (SqliteException ex)
            {
                // The remote has it, with its author and message, and a pushed commit is not taken back: the change stands.
                logger.LogError(ex, "Admin {Admin}'s change was pushed, but its audit rows could not be recorded: {Paths}", admin, string.Join(", ", touched));
            }
        }
        else
        {
            Step(transaction.Commit);
        }
        committed = true;
        foreach (var row in rows)
            audit.Log(admin, row.Action, row.Path, row.Before, row.After, row.Detail);
        // A moved folder holds files nobody listed, and a push over others' commits brought theirs: look at everything.
        await (folderMoved || others ? files.ReloadAsync() : files.ReloadAsync([.. paths]));
    }

    /// <summary>The commit's message: what changed, as the audit log names it.</summary>
    private string CommitMessage()
    {
        static string Verb(string action) => action switch
        {
            "save" => "Edit",
            "create" => "Create",
            "delete" => "Delete",
            "rename" => "Rename",
            _ => char.ToUpperInvariant(action[0]) + action[1..],
        };
        if (rows.Count == 1)
            return $"{Verb(rows[0].Action)} {rows[0].Path}";
        var detail = rows.Select(r => r.Detail).FirstOrDefault(d => d is not null);
        var subject = detail is null ? $"{Verb(rows[0].Action)} {rows.Count} files" : char.ToUpperInvariant(detail[0]) + detail[1..];
        return subject + "\n\n" + string.Join("\n", rows.Select(r => $"{Verb(r.Action)} {r.Path}"));
    }

    public void Dispose()
    {
        if (!committed && undo.Count > 0)
        {
            UndoFiles();
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
        cloneHold?.Dispose();
    }

    private void UndoFiles()
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
    }

    private void Record(string action, string path, string? before, string? after, string? detail, AuditLog.FileTexts? texts = null)
    {
        audit.Add(transaction, admin, action, path, before, after, detail, texts);
        rows.Add((action, path, before, after, detail));
    }

    /// <summary>
    /// The texts the audit row keeps, for its diff and the file's history; none when either side is larger than a content
    /// file may be (a file put there by other means), which keeps every row bounded.
    /// </summary>
    private static AuditLog.FileTexts? Texts(byte[]? before, byte[]? after) =>
        before?.LongLength > ContentParser.MaxFileBytes || after?.LongLength > ContentParser.MaxFileBytes
            ? null
            : new(before is null ? null : Encoding.UTF8.GetString(before), after is null ? null : Encoding.UTF8.GetString(after));

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
