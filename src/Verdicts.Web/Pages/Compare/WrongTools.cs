using Dapper;
using Microsoft.Data.Sqlite;
using Verdicts.Web.Pages.Shared;
using Verdicts.Web.Slices;

namespace Verdicts.Web.Pages.Compare;

/// <summary>
/// The answer to a generated comparison address that names one tool, more than four, one twice, or one that is not
/// published: a 404 in the site's own page (drawn by WrongTools.cshtml) that says what is wrong and leads to the nearest
/// comparison that works, with tools of similar names for the ones it could not find.
/// </summary>
public sealed record WrongTools(PageHead Head, string Heading, IReadOnlyList<string> Problems, (string Title, string Path)? Nearest,
    IReadOnlyList<ComparePicker.Choice> Suggestions, AddToolForm? Add)
{
    /// <summary>How many of an address's slugs are looked up: the nearest comparison needs no more than the first few.</summary>
    public const int MaxLookedUp = 8;

    private const int MaxSuggestions = 6;

    private const int MaxShownSlug = 60;

    /// <param name="requested">The address's slugs, as split.</param>
    /// <param name="looked">The published tool each of the first <see cref="MaxLookedUp"/> requested slugs names, or null.</param>
    internal static IResult Answer(SqliteConnection connection, SqliteTransaction snapshot, string[] requested, IReadOnlyList<string?> looked,
        HttpContext context)
    {
        var known = looked.OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var unknown = requested.Take(looked.Count).Where((_, i) => looked[i] is null).Distinct(StringComparer.Ordinal).ToList();
        var similar = unknown.ToDictionary(slug => slug, slug => Similar(connection, snapshot, slug), StringComparer.Ordinal);
        var suggestions = unknown.SelectMany(slug => similar[slug])
            .Where(s => !known.Contains(s.Slug)).DistinctBy(s => s.Slug).Take(MaxSuggestions).ToList();
        const string NamesSql = "SELECT slug, name, category FROM tools WHERE slug IN @known";
        var names = connection.Query<ComparePicker.Choice>(NamesSql, new { known }, snapshot).ToDictionary(t => t.Slug, StringComparer.Ordinal);
        // The known tools in the visitor's order, then the best suggestion for each one not found, four at most.
        var nearest = known.Select(slug => names[slug])
            .Concat(unknown.Select(slug => similar[slug].FirstOrDefault(s => !known.Contains(s.Slug))).OfType<ComparePicker.Choice>())
            .DistinctBy(t => t.Slug).Take(ComparePicker.MaxTools).ToList();

        var problems = new List<string>();
        foreach (var slug in unknown)
            problems.Add($"Nothing on Verdicts is called “{Shown(slug)}”.");
        if (requested.Length > ComparePicker.MaxTools)
            problems.Add($"A comparison takes two to four tools; this address names {requested.Length}.");
        foreach (var twice in looked.OfType<string>().GroupBy(s => s, StringComparer.Ordinal).Where(g => g.Count() > 1))
            problems.Add($"{names[twice.Key].Name} is named more than once; each tool takes one column.");
        if (requested.Length == 1 && known.Count == 1)
            problems.Add($"A comparison needs at least two tools; this address names only {names[known[0]].Name}.");
        var heading = unknown.Count > 0 ? (requested.Length == 1 ? "We could not find that comparison" : "We could not find every tool")
            : requested.Length > ComparePicker.MaxTools ? "Too many tools for one comparison"
            : requested.Length == 1 ? "A comparison needs two tools"
            : "A tool is named twice";

        var meta = new PageMeta($"{heading} · Verdicts", problems[0], context.Request.Path.ToUriComponent()) { NoIndex = true };
        var page = new WrongTools(PageHead.For(meta, context), heading, problems,
            nearest.Count >= 2 ? (string.Join(" vs ", nearest.Select(t => t.Name)), $"/compare/{string.Join("-vs-", nearest.Select(t => t.Slug))}") : null,
            suggestions,
            nearest.Count is > 0 and < 2 ? new AddToolForm([nearest[0].Slug], $"Compare {nearest[0].Name} with") : null);
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        context.Response.Headers.CacheControl = "no-store";
        return SlicePage.Html(WrongToolsPage.Create(page));
    }

    /// <summary>Tools whose names hold any word of the slug as a prefix, those holding the most words first.</summary>
    private static List<ComparePicker.Choice> Similar(SqliteConnection connection, SqliteTransaction snapshot, string slug)
    {
        if (SearchModel.ToFtsQuery(slug.Replace('-', ' ')) is not { } words)
            return [];
        const string Sql = """
            SELECT t.slug, t.name, t.category
            FROM search_index s JOIN tools t ON t.slug = s.tool_slug
            WHERE search_index MATCH @match AND s.kind = 'tool'
            ORDER BY bm25(search_index), t.name, t.slug
            LIMIT @take
            """;
        try
        {
            // The terms are quoted prefixes without spaces, so joining them with OR matches a name holding any of them.
            return connection.Query<ComparePicker.Choice>(Sql,
                new { match = $"{{title}} : ({string.Join(" OR ", words.Split(' '))})", take = MaxSuggestions }, snapshot).AsList();
        }
        catch (SqliteException)
        {
            // The query is built from words only; no suggestions beats a 500 if SQLite still refuses it.
            return [];
        }
    }

    private static string Shown(string slug) => slug.Length <= MaxShownSlug ? slug : slug[..MaxShownSlug] + "…";
}
