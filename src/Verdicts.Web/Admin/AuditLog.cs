using System.Globalization;
using Dapper;
using System.Data.Common;
using Verdicts.Web.Data;

namespace Verdicts.Web.Admin;

/// <summary>Records each admin change in the audit table and the log.</summary>
public sealed class AuditLog(Database database, TimeProvider time, ILogger<AuditLog> logger)
{
    public sealed record Entry
    {
        public long Id { get; init; }
        public required string At { get; init; }
        public required string Admin { get; init; }
        public required string Action { get; init; }
        public required string Path { get; init; }
        public string? Sha256Before { get; init; }
        public string? Sha256After { get; init; }
        public string? Detail { get; init; }
    }

    public void Record(string admin, string action, string path, string? before = null, string? after = null, string? detail = null)
    {
        using var connection = database.OpenWrites();
        Insert(connection, null, admin, action, path, before, after, detail);
        Log(admin, action, path, before, after, detail);
    }

    /// <summary>Adds the row within the caller's transaction, to be <see cref="Log">logged</see> once that commits.</summary>
    public void Add(DbTransaction transaction, string admin, string action, string path, string? before, string? after, string? detail) =>
        Insert(transaction.Connection!, transaction, admin, action, path, before, after, detail);

    public void Log(string admin, string action, string path, string? before, string? after, string? detail) =>
        logger.LogInformation("Admin {Admin} {Action} {Path} ({Before} -> {After}) {Detail}", admin, action, path, before ?? "-", after ?? "-", detail ?? "");

    private void Insert(DbConnection connection, DbTransaction? transaction, string admin, string action, string path, string? before, string? after, string? detail) =>
        connection.Execute("""
            INSERT INTO audit (at, admin, action, path, sha256_before, sha256_after, detail)
            VALUES (@at, @admin, @action, @path, @before, @after, @detail)
            """, new { at = time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), admin, action, path, before, after, detail },
            transaction);

    public IReadOnlyList<Entry> Latest(int count)
    {
        using var connection = database.ReadWrites();
        return connection.Query<Entry>("""
            SELECT id, at, admin, action, path, sha256_before AS Sha256Before, sha256_after AS Sha256After, detail
            FROM audit ORDER BY id DESC LIMIT @count
            """, new { count }).ToList();
    }
}
