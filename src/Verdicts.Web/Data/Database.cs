using Dapper;
using Microsoft.Data.Sqlite;

namespace Verdicts.Web.Data;

/// <summary>Opens connections to the site's SQLite file, each set up the same way.</summary>
public sealed partial class Database(string path) : IDisposable
{
    // Opened once the file exists (EnsureFile) and kept open: the file the site started on, to notice when the path
    // no longer leads to it. Closed only on disposal, when no connection is in a transaction: on Linux, closing any
    // descriptor of a file drops the process's POSIX locks on it, SQLite's included.
    private Microsoft.Win32.SafeHandles.SafeFileHandle? startedOn;

    // Never ReadWriteCreate: a file deleted under the running site must fail to open, not come back empty (EnsureFile
    // alone creates it, at start-up).
    private readonly string connectionString = new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = SqliteOpenMode.ReadWrite,
        Pooling = true,
        // Seconds a command waits on a locked database before it fails; short, so a stuck writer yields a 503 quickly.
        DefaultTimeout = 5,
    }.ToString();

    // Set by ServeReadOnly, before the reason that makes it used.
    private string readOnlyConnectionString = "";

    private volatile string? readOnlyReason;

    /// <summary>How long a writing connection waits on a locked database before it fails.</summary>
    public const int WriteBusyTimeoutMs = 3000;

    /// <summary>
    /// The size the write-ahead log's file is cut back to when a commit starts it again from the top. Twice the size
    /// at which the vote writer's automatic checkpoint runs (2 000 pages of 4 KiB): a log that stays within its usual
    /// size keeps its file, with no truncating and regrowing every cycle, while one that grew far past it (a reader
    /// holding an old snapshot, a checkpoint slow on its disk, a large import) gives the space back.
    /// </summary>
    public const long LogFileLimitBytes = 16 * 1024 * 1024;

    public string Path { get; } = path;

    /// <summary>
    /// Creates the file if there is none (a first start), and from then on keeps hold of it, so <see cref="FileProblem"/>
    /// can tell when it is deleted or replaced. A missing file whose side files are still there was deleted, not never
    /// made: an empty one in its place would hide that, so that is refused.
    /// </summary>
    public void EnsureFile()
    {
        if (!File.Exists(Path) && (File.Exists(Path + "-wal") || File.Exists(Path + "-shm")))
            throw new InvalidOperationException($"The database file {Path} is missing but its -wal or -shm file is there: it was deleted or moved. "
                + "Restore it, or remove the -wal and -shm files to start on a new, empty database.");
        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString()))
            connection.Open();
        startedOn ??= File.OpenHandle(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
    }

    /// <summary>Why the path no longer leads to the file the site started on (deleted, moved away or replaced), or null if it does.</summary>
    public string? FileProblem()
    {
        if (!File.Exists(Path))
            return $"the database file {Path} is missing: it was deleted or moved while the site ran; restore it and restart the site";
        // The kernel marks a descriptor whose file has no name left; a file moved over the path leaves ours without one.
        if (startedOn is not null && OperatingSystem.IsLinux()
            && new FileInfo($"/proc/self/fd/{startedOn.DangerousGetHandle()}").LinkTarget is { } target && target.EndsWith(" (deleted)", StringComparison.Ordinal))
            return $"the database file {Path} was replaced while the site ran; put the original back or restart the site on the new one";
        return null;
    }

    /// <summary>Why the site serves this file read-only (set at start-up when it cannot be written), or null.</summary>
    public string? ReadOnlyReason => readOnlyReason;

    /// <summary>
    /// From now on every connection opens read-only, and writes are refused. SQLite can read a WAL file without
    /// creating its -wal and -shm files only on a read-only connection (as in a folder the site may not write).
    /// </summary>
    public void ServeReadOnly(string reason)
    {
        // SQLite reads a WAL file read-only only if its -shm file exists or can be made; in a folder it may not write,
        // it can read the file alone as immutable, which is what it is to this site.
        var source = File.Exists(Path + "-shm") ? Path : new Uri(System.IO.Path.GetFullPath(Path)).AbsoluteUri + "?immutable=1";
        readOnlyConnectionString = new SqliteConnectionStringBuilder { DataSource = source, Mode = SqliteOpenMode.ReadOnly, Pooling = true, DefaultTimeout = 5 }.ToString();
        readOnlyReason = reason;
        CloseIdleConnections();
    }

    /// <summary>A connection for reading: in WAL mode readers never wait for the writer, so no set-up is needed.</summary>
    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(readOnlyReason is null ? connectionString : readOnlyConnectionString);
        connection.Open();
        return connection;
    }

    /// <summary>A connection for writing.</summary>
    public SqliteConnection OpenForWriting()
    {
        // A write acknowledged into a file that is no longer there would be lost at the next start.
        if (FileProblem() is { } problem)
            throw new SqliteException(problem, SQLitePCL.raw.SQLITE_CANTOPEN);
        if (readOnlyReason is { } reason)
            throw new SqliteException(reason, SQLitePCL.raw.SQLITE_READONLY);
        var connection = Open();
        // A locked database fails in seconds (the caller answers 503) rather than piling requests up.
        // NORMAL in WAL mode keeps every committed transaction when the process is killed; only power loss can undo one.
        // SQLite cuts the log's file back only on a connection that has the limit set, so every writer sets it.
        connection.Execute($"PRAGMA busy_timeout = {WriteBusyTimeoutMs}; PRAGMA synchronous = NORMAL; PRAGMA journal_size_limit = {LogFileLimitBytes};");
        return connection;
    }

    /// <summary>Closes every connection to this file that is not in use (Microsoft.Data.Sqlite's pool).</summary>
    public void CloseIdleConnections()
    {
        using var pooled = new SqliteConnection(connectionString);
        SqliteConnection.ClearPool(pooled);
        if (readOnlyReason is not null)
        {
            using var pooledReadOnly = new SqliteConnection(readOnlyConnectionString);
            SqliteConnection.ClearPool(pooledReadOnly);
        }
    }

    public void Dispose()
    {
        startedOn?.Dispose();
        postgres?.Dispose();
    }
}
