using Dapper;
using Microsoft.Data.Sqlite;
using Verdicts.Web.Data;

namespace Verdicts.Web.Pages.Shared;

/// <summary>
/// What the compare form offers: every tool in lists while there are few enough to scan, else fields to type a
/// tool's name into, which picker.js turns into type-ahead fed by <see cref="NamesAsync"/>. Long lists make the home
/// page heavy, and nobody picks from a list that long.
/// </summary>
public sealed record ComparePicker(IReadOnlyList<ComparePicker.Choice>? Choices)
{
    /// <summary>The form's fields: two tools are needed, up to four are taken.</summary>
    public static readonly IReadOnlyList<(string Field, string Label, bool Required)> Fields =
        [("a", "First tool", true), ("b", "Second tool", true), ("c", "Third tool (optional)", false), ("d", "Fourth tool (optional)", false)];

    public const int MaxTools = 4;

    /// <summary>Most names the type-ahead offers for one query.</summary>
    public const int MaxNames = 8;

    private const int MaxNameQueryLength = 100;

    public sealed record Choice
    {
        public required string Slug { get; init; }
        public required string Name { get; init; }
        public required string Category { get; init; }
    }

    /// <summary>What the visitor sent for each field, shown again when the form comes back with a problem.</summary>
    public IReadOnlyDictionary<string, string?> Picked { get; init; } = new Dictionary<string, string?>();

    public string? PickedFor(string field) => Picked.GetValueOrDefault(field);

    public static ComparePicker Load(SqliteConnection connection, int listLimit)
    {
        const string Sql = "SELECT slug, name, category FROM tools ORDER BY category, name, slug LIMIT @take";
        var choices = connection.Query<Choice>(Sql, new { take = listLimit + 1 }).AsList();
        return new ComparePicker(choices.Count > listLimit ? null : choices);
    }

    /// <summary>
    /// <c>GET /api/tool-names?q=</c>: a few tools whose names start with what was typed (a range of an index), then, if
    /// there are fewer, tools with a word of the name starting so (the search index, first matches, unranked: ranking
    /// every match cost seconds at 10 000 tools). Cached like a page (the output cache varies by <c>q</c> and is
    /// evicted on reload) and by the browser for a few minutes.
    /// </summary>
    public static async Task<IResult> NamesAsync(string? q, Database database, HttpContext context)
    {
        context.Response.Headers.CacheControl = "public, max-age=300";
        var typed = (q ?? "").Trim();
        if (typed.Length > MaxNameQueryLength)
            typed = typed[..MaxNameQueryLength];
        if (typed.Length == 0)
            return Results.Ok(Array.Empty<Choice>());
        const string StartingSql = """
            SELECT slug, name, category FROM tools
             WHERE name COLLATE NOCASE >= @typed AND name COLLATE NOCASE < @past
             ORDER BY name COLLATE NOCASE
             LIMIT @take
            """;
        using var connection = database.Open();
        // Past every name that starts with the typed text: the largest code point, after it.
        var names = (await connection.QueryAsync<Choice>(StartingSql, new { typed, past = typed + "\U0010FFFF", take = MaxNames })).AsList();
        if (names.Count == MaxNames || SearchModel.ToFtsQuery(typed) is not { } words)
            return Results.Ok(names);
        const string WordSql = """
            SELECT t.slug, t.name, t.category
              FROM search_index s JOIN tools t ON t.slug = s.tool_slug
             WHERE search_index MATCH @match AND s.kind = 'tool'
             LIMIT @take
            """;
        try
        {
            var more = await connection.QueryAsync<Choice>(WordSql, new { match = $"{{title}} : ({words})", take = MaxNames });
            return Results.Ok(names.Concat(more).DistinctBy(c => c.Slug).Take(MaxNames));
        }
        catch (SqliteException)
        {
            // The query is built from words only; fewer names beats a 500 if SQLite still refuses it.
            return Results.Ok(names);
        }
    }
}
