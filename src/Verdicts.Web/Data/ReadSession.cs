using System.Collections.Concurrent;
using System.Data;
using System.Reflection;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Verdicts.Web.Data;

/// <summary>
/// A read connection that keeps its compiled statements between requests. Microsoft.Data.Sqlite compiles a
/// command's SQL again every time a new command runs it; on the comparison page, compiling its queries cost more
/// than running them. Rows are mapped by Dapper, parameters are given as anonymous objects, as with Dapper.
/// A session serves one caller at a time: rent it with <see cref="Database.Read"/> and dispose it to give it back.
/// </summary>
public sealed class ReadSession : IDisposable
{
    // Enough for every query the public pages run; beyond it (generated SQL, say) statements are dropped and compiled anew.
    private const int MaxStatements = 64;

    private static readonly ConcurrentDictionary<Type, PropertyInfo[]> ParameterProperties = new();

    private readonly SqliteConnection connection;
    private readonly Action<ReadSession> giveBack;
    private readonly Dictionary<string, SqliteCommand> statements = new(StringComparer.Ordinal);
    private bool inSnapshot;

    internal ReadSession(SqliteConnection connection, int generation, Action<ReadSession> giveBack)
    {
        this.connection = connection;
        Generation = generation;
        this.giveBack = giveBack;
    }

    internal int Generation { get; }

    /// <summary>Commands this session has made, each compiling its SQL once (Microsoft.Data.Sqlite keeps a command's statements).</summary>
    internal int CommandsMade { get; private set; }

    public List<T> Query<T>(string sql, object? parameters = null)
    {
        using var reader = Run(sql, parameters);
        var rows = new List<T>();
        if (!reader.Read())
            return rows;
        var parse = RowParser<T>(reader);
        do
        {
            rows.Add(parse(reader));
        }
        while (reader.Read());
        return rows;
    }

    /// <summary>
    /// Rows read by <paramref name="read"/>, column by column in the order the SQL names them. For the pages every
    /// uncached visit runs: Dapper's parser looks up the columns' names and types for each query and reads each value
    /// boxed, which on the comparison page cost about as much as SQLite's own work.
    /// </summary>
    public List<T> Query<T>(string sql, object? parameters, Func<SqliteDataReader, T> read)
    {
        using var reader = Run(sql, parameters);
        var rows = new List<T>();
        while (reader.Read())
            rows.Add(read(reader));
        return rows;
    }

    /// <summary>Hands each row to <paramref name="read"/>: for a statement whose rows are of several kinds.</summary>
    public void ForEachRow(string sql, object? parameters, Action<SqliteDataReader> read)
    {
        using var reader = Run(sql, parameters);
        while (reader.Read())
            read(reader);
    }

    public T? QueryFirstOrDefault<T>(string sql, object? parameters = null)
    {
        using var reader = Run(sql, parameters);
        return reader.Read() ? RowParser<T>(reader)(reader) : default;
    }

    // Dapper's parser for a plain value (a string, a tuple) returns object, which a Func<DbDataReader, T> cannot hold.
    private static Func<System.Data.Common.DbDataReader, T> RowParser<T>(SqliteDataReader reader)
    {
        var parse = reader.GetRowParser<object>(typeof(T));
        return row => (T)parse(row);
    }

    private SqliteDataReader Run(string sql, object? parameters)
    {
        if (!statements.TryGetValue(sql, out var command))
        {
            if (statements.Count >= MaxStatements)
                DropStatements();
            command = connection.CreateCommand();
            command.CommandText = sql;
            statements[sql] = command;
            CommandsMade++;
        }
        command.Parameters.Clear();
        if (parameters is not null)
        {
            foreach (var property in ParameterProperties.GetOrAdd(parameters.GetType(), type => type.GetProperties()))
                command.Parameters.AddWithValue("@" + property.Name, property.GetValue(parameters) ?? DBNull.Value);
        }
        return command.ExecuteReader(CommandBehavior.Default);
    }

    private void DropStatements()
    {
        foreach (var command in statements.Values)
            command.Dispose();
        statements.Clear();
    }

    /// <summary>
    /// Runs this session's following queries in one read transaction, until it is given back: they all see the database
    /// as the first of them found it (a vote committed in between shows in none or all), and SQLite takes its read locks
    /// once rather than per query.
    /// </summary>
    public void BeginSnapshot()
    {
        using (Run("BEGIN", null))
        {
        }
        inSnapshot = true;
    }

    public void Dispose()
    {
        if (inSnapshot)
        {
            inSnapshot = false;
            try
            {
                using (Run("COMMIT", null))
                {
                }
            }
            catch (SqliteException)
            {
                // A session whose transaction could not end is not given back to anyone else.
                Close();
                return;
            }
        }
        giveBack(this);
    }

    internal void Close()
    {
        DropStatements();
        connection.Dispose();
    }
}

/// <summary>
/// A list of slugs as one parameter, for <c>IN (SELECT value FROM json_each(@slugs))</c>: the SQL text stays the same
/// whatever the list's length, so its compiled statement is reused (Dapper's <c>IN @list</c> writes new SQL per length).
/// </summary>
public static class SlugList
{
    public static string Json(IEnumerable<string> slugs) => System.Text.Json.JsonSerializer.Serialize(slugs);
}
