using System.Security.Cryptography;
using Dapper;

namespace Verdicts.Web.Data;

/// <summary>Random keys the site makes for itself on first start and keeps in the database (never in the repository or logs).</summary>
public static class Secrets
{
    // Rows made with a key: if any exist, the key was lost rather than never made, and a new one would silently break
    // them (every unsubscribe link already mailed; every visitor's votes, who would vote again as someone new).
    // Each is counted where its rows are kept: with the other written data (PostgreSQL when set).
    private static readonly Dictionary<string, (string Count, string What)> MadeWith = new(StringComparer.Ordinal)
    {
        ["newsletter-key"] = ("SELECT count(*) FROM subscribers", "subscribers, whose mailed links"),
        ["voter-key"] = ("SELECT count(*) FROM votes", "votes, whose voters"),
    };

    public static byte[] GetOrCreate(Database database, string name)
    {
        // Read first: on a read-only database the key already exists and nothing needs writing.
        using (var reader = database.ReadWrites())
        {
            if (reader.QuerySingleOrDefault<string>("SELECT value FROM secrets WHERE name = @name", new { name }) is { } existing)
                return Convert.FromBase64String(existing);
        }
        using var connection = database.OpenWrites();
        if (MadeWith.TryGetValue(name, out var rows) && CountRows(database, rows.Count) is var count and > 0
            && connection.QuerySingleOrDefault<string>("SELECT value FROM secrets WHERE name = @name", new { name }) is null)
            throw new InvalidOperationException($"{count} {rows.What} depend on the key '{name}', but the key is gone from {(database.OnPostgres ? "the database in PostgreSQL" : database.Path)}. "
                + "Refusing to make a new one, which would silently break them: restore the secrets row from a backup of the database.");
        connection.Execute("INSERT INTO secrets (name, value) VALUES (@name, @value) ON CONFLICT (name) DO NOTHING",
            new { name, value = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) });
        return Convert.FromBase64String(connection.QuerySingle<string>("SELECT value FROM secrets WHERE name = @name", new { name }));
    }

    private static long CountRows(Database database, string sql)
    {
        using var rows = database.ReadWrites();
        return rows.ExecuteScalar<long>(sql);
    }
}
