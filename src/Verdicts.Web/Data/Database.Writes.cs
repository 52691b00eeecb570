using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Verdicts.Web.Data;

// What visitors and admins write (subscribers, mail, the audit log, admin sessions, the site's keys, the key ring)
// goes to PostgreSQL when Verdicts:Postgres is set, so that every node shares it; content read models stay in the local
// SQLite file either way, so pages never wait on the network.
public sealed partial class Database
{
    private NpgsqlDataSource? postgres;

    /// <summary>Whether the written data is in PostgreSQL (<see cref="VerdictsOptions.Postgres"/>) rather than this SQLite file.</summary>
    public bool OnPostgres => postgres is not null;

    internal NpgsqlDataSource? Postgres => postgres;

    /// <summary>Sends the written data to PostgreSQL from now on; called once, at start-up.</summary>
    public void UsePostgres(string connectionString) => postgres = NpgsqlDataSource.Create(connectionString);

    /// <summary>A connection for writing (and reading back) what visitors and admins write: PostgreSQL if set, else this file.</summary>
    public DbConnection OpenWrites() => postgres is null ? OpenForWriting() : postgres.OpenConnection();

    /// <summary>The same data, only read: on SQLite this also works while the file is served read-only.</summary>
    public DbConnection ReadWrites() => postgres is null ? Open() : postgres.OpenConnection();

    /// <summary>
    /// The store could not be reached or written for now (SQLite locked, full, read-only or its file gone; PostgreSQL
    /// down, unreachable or refusing connections): worth answering 503 and retrying, not a bug.
    /// </summary>
    public bool IsUnavailable(Exception error)
    {
        var unavailable = error switch
        {
            SqliteException sqlite => sqlite.SqliteErrorCode is SQLitePCL.raw.SQLITE_BUSY or SQLitePCL.raw.SQLITE_LOCKED or SQLitePCL.raw.SQLITE_CANTOPEN
                or SQLitePCL.raw.SQLITE_READONLY or SQLitePCL.raw.SQLITE_FULL or SQLitePCL.raw.SQLITE_IOERR
                // Any database error once the file was deleted or replaced (a query on a foreign file fails in its own ways).
                || FileProblem() is not null,
            // A connection the server dropped while it stopped or crashed (class 08, 57P01-57P03) is not "transient" to
            // Npgsql, but it is just as much a database that is away for now.
            PostgresException postgres => postgres.IsTransient || postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
                || postgres.SqlState.StartsWith("57P", StringComparison.Ordinal),
            NpgsqlException npgsql => npgsql.IsTransient || npgsql.InnerException is IOException or System.Net.Sockets.SocketException or EndOfStreamException,
            _ => false,
        };
        // The pool's idle connections were most likely cut too: dropped now, so that once the server is back the next
        // request opens a fresh one instead of failing on a dead one.
        if (unavailable && error is NpgsqlException)
            postgres?.Clear();
        return unavailable;
    }
}
