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

    /// <summary>
    /// Tools whose slugs share the longest start with the unknown one ("gpt-4o-mni" finds "gpt-4o-mini"), at least three
    /// characters of it. Each probe is a range of the slugs' index, and the longest start is found by halving, so an
    /// address costs a few lookups whatever it holds and however many tools there are.
    /// </summary>
    private static List<ComparePicker.Choice> Similar(SqliteConnection connection, SqliteTransaction snapshot, string slug)
    {
        const string Sql = """
            SELECT slug, name, category FROM tools WHERE slug >= @start AND slug < @past ORDER BY slug LIMIT @take
            """;
        List<ComparePicker.Choice> Starting(int length)
        {
            var start = slug[..length];
            return connection.Query<ComparePicker.Choice>(Sql, new { start, past = start + "\U0010FFFF", take = MaxSuggestions }, snapshot).AsList();
        }
        slug = slug.ToLowerInvariant();
        const int Shortest = 3;
        if (slug.Length < Shortest || Starting(Shortest) is not { Count: > 0 } found)
            return [];
        // found holds the tools for the longest start known to match (low); high is the shortest known not to.
        var (low, high) = (Shortest, Math.Min(slug.Length, MaxShownSlug) + 1);
        while (high - low > 1)
        {
            var middle = (low + high) / 2;
            if (Starting(middle) is { Count: > 0 } longer)
                (low, found) = (middle, longer);
            else
                high = middle;
        }
        return found;
    }

    private static string Shown(string slug) => slug.Length <= MaxShownSlug ? slug : slug[..MaxShownSlug] + "…";
}
