using System.Security.Cryptography;
using Dapper;

namespace Verdicts.Web.Data;

/// <summary>Random keys the site makes for itself on first start and keeps in the database (never in the repository or logs).</summary>
public static class Secrets
{
    public static byte[] GetOrCreate(Database database, string name)
    {
        // Read first: on a read-only database the key already exists and nothing needs writing.
        using (var reader = database.Open())
        {
            if (reader.QuerySingleOrDefault<string>("SELECT value FROM secrets WHERE name = @name", new { name }) is { } existing)
                return Convert.FromBase64String(existing);
        }
        using var connection = database.OpenForWriting();
        connection.Execute("INSERT OR IGNORE INTO secrets (name, value) VALUES (@name, @value)",
            new { name, value = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) });
        return Convert.FromBase64String(connection.QuerySingle<string>("SELECT value FROM secrets WHERE name = @name", new { name }));
    }
}
