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

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var pragma = connection.CreateCommand();
        // WAL lets readers go on while one writer commits; NORMAL in WAL mode keeps every commit across a killed process.
        pragma.CommandText = "PRAGMA busy_timeout = 3000; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;";
        pragma.ExecuteNonQuery();
        return connection;
    }
}
