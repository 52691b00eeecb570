using System.Reflection;
using Dapper;

namespace Verdicts.Web.Data;

/// <summary>Applies the numbered scripts in Data/Migrations that the database has not seen, in order, at start-up.</summary>
public static class Migrations
{
    public static int Apply(Database database)
    {
        var directory = System.IO.Path.GetDirectoryName(database.Path);
        if (!string.IsNullOrEmpty(directory))
            Directory.CreateDirectory(directory);
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

    public static IReadOnlyList<(int Number, string Sql)> Scripts()
    {
        var assembly = Assembly.GetExecutingAssembly();
        return assembly.GetManifestResourceNames()
            .Where(n => n.EndsWith(".sql", StringComparison.Ordinal) && n.Contains(".Migrations.", StringComparison.Ordinal))
            .Select(n =>
            {
                var file = n[(n.IndexOf(".Migrations.", StringComparison.Ordinal) + ".Migrations.".Length)..];
                using var reader = new StreamReader(assembly.GetManifestResourceStream(n)!);
                return (Number: int.Parse(file[..file.IndexOf('_', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture), Sql: reader.ReadToEnd());
            })
            .OrderBy(s => s.Number)
            .ToList();
    }
}
