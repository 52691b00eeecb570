using System.Reflection;
using Dapper;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Verdicts.Web.Data;

/// <summary>Applies the numbered scripts in Data/Migrations that the database has not seen, in order, at start-up.</summary>
public static class Migrations
{
    public static int Apply(Database database)
    {
        var directory = System.IO.Path.GetDirectoryName(database.Path);
        if (!string.IsNullOrEmpty(directory))
            Directory.CreateDirectory(directory);
        database.EnsureFile();
        using var connection = database.OpenForWriting();
        connection.Execute("PRAGMA journal_mode = WAL;");
        var version = connection.ExecuteScalar<long>("PRAGMA user_version;");
        var applied = 0;
        foreach (var (number, sql) in Scripts().Where(s => s.Number > version))
        {
            using var transaction = connection.BeginTransaction();
            connection.Execute(sql, transaction: transaction);
            // PRAGMA takes no parameters; the number comes from our own embedded file name.
            connection.Execute($"PRAGMA user_version = {number};", transaction: transaction);
            transaction.Commit();
            applied++;
        }
        return applied;
    }

    /// <summary>
    /// At start-up: applies the scripts; or, if the file cannot be written (a read-only file or folder) but needs none,
    /// has the site serve it read-only, saying why.
    /// </summary>
    public static void ApplyOrServeReadOnly(Database database, ILogger logger)
    {
        var isNew = !File.Exists(database.Path);
        try
        {
            Apply(database);
            if (isNew)
                logger.LogInformation("Created a new, empty database at {Path}", database.Path);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is raw.SQLITE_READONLY or raw.SQLITE_CANTOPEN or raw.SQLITE_PERM or raw.SQLITE_IOERR)
        {
            database.ServeReadOnly($"the database {database.Path} is read-only here ({ex.Message}), so the site serves it read-only and refuses writes");
            using (var connection = database.Open())
            {
                var version = connection.ExecuteScalar<long>("PRAGMA user_version;");
                if (version < Scripts()[^1].Number)
                    throw new InvalidOperationException($"The database {database.Path} needs migrating (it is at {version}) but cannot be written: {ex.Message}", ex);
            }
            logger.LogWarning("Serving {Path} read-only: it cannot be written ({Reason}); votes, sign-ups and edits are refused with 503 until it can", database.Path, ex.Message);
        }
    }

    // An arbitrary constant: the advisory lock every node takes to migrate, so one at a time does.
    private const long PostgresLock = 0x5665_7264_6963_7473;

    /// <summary>
    /// Applies the scripts in Data/PostgresMigrations that PostgreSQL has not seen, each in its own transaction, under an
    /// advisory lock: nodes starting together wait for each other, and the second finds nothing left to do.
    /// </summary>
    public static int ApplyPostgres(Npgsql.NpgsqlDataSource postgres)
    {
        using var connection = postgres.OpenConnection();
        connection.Execute("SELECT pg_advisory_lock(@key)", new { key = PostgresLock });
        try
        {
            connection.Execute("CREATE TABLE IF NOT EXISTS schema_migrations (number INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())");
            var version = connection.ExecuteScalar<long?>("SELECT max(number) FROM schema_migrations") ?? 0;
            var applied = 0;
            foreach (var (number, sql) in Scripts("PostgresMigrations").Where(s => s.Number > version))
            {
                using var transaction = connection.BeginTransaction();
                connection.Execute(sql, transaction: transaction);
                connection.Execute("INSERT INTO schema_migrations (number) VALUES (@number)", new { number }, transaction);
                transaction.Commit();
                applied++;
            }
            return applied;
        }
        finally
        {
            connection.Execute("SELECT pg_advisory_unlock(@key)", new { key = PostgresLock });
        }
    }

    public static IReadOnlyList<(int Number, string Sql)> Scripts(string folder = "Migrations")
    {
        var assembly = Assembly.GetExecutingAssembly();
        var marker = $".{folder}.";
        return assembly.GetManifestResourceNames()
            .Where(n => n.EndsWith(".sql", StringComparison.Ordinal) && n.Contains(marker, StringComparison.Ordinal))
            .Select(n =>
            {
                var file = n[(n.IndexOf(marker, StringComparison.Ordinal) + marker.Length)..];
                using var reader = new StreamReader(assembly.GetManifestResourceStream(n)!);
                return (Number: int.Parse(file[..file.IndexOf('_', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture), Sql: reader.ReadToEnd());
            })
            .OrderBy(s => s.Number)
            .ToList();
    }
}
