using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Verdicts.Tests.Infrastructure;

/// <summary>
/// What a test site's visitors and admins wrote, where the site keeps it: its PostgreSQL database when the site runs on
/// one (<see cref="VerdictsApp.Postgres"/>), else its SQLite file. While the site runs, its own
/// <c>Database.ReadWrites()</c>/<c>OpenWrites()</c> do the same; these also work when it is stopped or failed to start.
/// </summary>
public static class WrittenData
{
    /// <summary>A connection of the test's own, not pooled (Dapper opens it on first use).</summary>
    public static DbConnection OpenWritten(this VerdictsApp app) => Open(app.Postgres, app.DatabasePath);

    /// <summary>The same for a site <see cref="SiteProcess"/> started on this content without a PostgreSQL database of the test's own.</summary>
    public static DbConnection OpenWritten(this TestContent content) =>
        Open(PostgresServer.EverySite ? PostgresServer.Shared.DatabaseFor(content.Scratch) : null, Path.Combine(content.Scratch, "verdicts.db"));

    private static DbConnection Open(string? postgres, string sqlitePath) => postgres is not null
        ? new NpgsqlConnection(new NpgsqlConnectionStringBuilder(postgres) { Pooling = false }.ToString())
        : new SqliteConnection($"Data Source={sqlitePath};Pooling=false");

    /// <summary>
    /// Until disposed, the store refuses to add any audit row whose path is <c>LIKE</c> <paramref name="pathLike"/>, as a
    /// database failing in the middle of a change would.
    /// </summary>
    public static IDisposable RefuseAuditRows(this VerdictsApp app, string pathLike = "%")
    {
        // A trigger's text takes no parameters; the pattern is the test's own, and kept to what needs no quoting.
        Assert.DoesNotContain('\'', pathLike);
        using (var connection = app.OpenWritten())
        {
            connection.Execute(app.Postgres is null
                ? $"CREATE TRIGGER refuse_audit BEFORE INSERT ON audit WHEN NEW.path LIKE '{pathLike}' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
                : $"""
                    CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$;
                    CREATE TRIGGER refuse_audit BEFORE INSERT ON audit FOR EACH ROW WHEN (NEW.path LIKE '{pathLike}') EXECUTE FUNCTION refuse_audit();
                    """);
        }
        return new AuditRefusal(app);
    }

    private sealed class AuditRefusal(VerdictsApp app) : IDisposable
    {
        public void Dispose()
        {
            using var connection = app.OpenWritten();
            connection.Execute(app.Postgres is null ? "DROP TRIGGER refuse_audit" : "DROP TRIGGER refuse_audit ON audit; DROP FUNCTION refuse_audit()");
        }
    }
}
