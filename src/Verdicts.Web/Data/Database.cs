using Microsoft.Data.Sqlite;

namespace Verdicts.Web.Data;

/// <summary>Opens connections to the site's SQLite file, each set up the same way.</summary>
public sealed class Database(string path)
{
    private readonly string connectionString = new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Pooling = true,
        // Seconds a command waits on a locked database before it fails; short, so a stuck writer yields a 503 quickly.
        DefaultTimeout = 5,
    }.ToString();

    public string Path { get; } = path;

    /// <summary>A connection for reading: in WAL mode readers never wait for the writer, so no set-up is needed.</summary>
    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        return connection;
    }

    /// <summary>A connection for writing.</summary>
    public SqliteConnection OpenForWriting()
    {
        var connection = Open();
        using var pragma = connection.CreateCommand();
        // A locked database fails in seconds (the caller answers 503) rather than piling requests up.
        // NORMAL in WAL mode keeps every committed transaction when the process is killed; only power loss can undo one.
        pragma.CommandText = "PRAGMA busy_timeout = 3000; PRAGMA synchronous = NORMAL;";
        pragma.ExecuteNonQuery();
        return connection;
    }
}
