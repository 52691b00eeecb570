using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Data.Sqlite;
using Verdicts.Web.Content;
using Verdicts.Web.Data;
using Verdicts.Web.Pages.Shared;

namespace Verdicts.Web.Pages;

/// <summary>
/// Search by name over tools, comparisons and reviewers that forgives typos: the FTS5 trigram index
/// (<c>search_names</c>) finds a few dozen candidates sharing trigrams with what was typed, and <see cref="NameMatch"/>
/// ranks them (exact name, then start of a name, then every word, then typos). It runs on SQLite only: content read
/// models live in each node's own SQLite file. Every query does bounded work: at most 200 characters, 8 words, 64
/// trigrams and 64 candidates from the index, plus at most 200 names from four index ranges.
/// </summary>
public static partial class NameSearch
{
    public const int MaxQueryLength = 200;

    /// <summary>Most answers the type-ahead gives for one query.</summary>
    public const int MaxSuggestions = 8;

    private const int MaxWords = 8;
    private const int MaxTrigrams = 64;

    /// <summary>Longer words keep trigrams enough through any one swap.</summary>
    private const int MaxSwappedLength = 8;
    private const int MaxCandidates = 64;

    public sealed record Found
    {
        public required string Name { get; init; }
        public required string Kind { get; init; }
        public required string Slug { get; init; }
        public required string Detail { get; init; }
        public NameRank Rank { get; init; }

        public string Url => Kind switch
        {
            "comparison" => $"/compare/{Slug}",
            "reviewer" => $"/reviewers/{Slug}",
            _ => $"/tools/{Slug}",
        };
    }

    /// <summary>The comparison an "A vs B" query names: the curated page if there is one, else the generated address.</summary>
    public sealed record ComparisonOffer(string Title, string Url, bool Curated, IReadOnlyList<Found> Tools);

    /// <summary>What was typed, printable (<see cref="NameMatch.Printable"/>), trimmed and cut to <see cref="MaxQueryLength"/>.</summary>
    public static string Clip(string? typed)
    {
        var query = NameMatch.Printable(typed ?? "").Trim();
        return query.Length > MaxQueryLength ? query[..MaxQueryLength] : query;
    }

    /// <summary>Names answering <paramref name="query"/>, best first; only tools when <paramref name="toolsOnly"/>.</summary>
    public static List<Found> Find(SqliteConnection connection, string query, int take, bool toolsOnly = false)
    {
        var typed = NameMatch.Words(query).Take(MaxWords).ToList();
        if (typed.Count == 0)
            return [];
        // Tools whose names start with a given text, from a range of tools_by_name.
        const string Starting = """
            SELECT name, 'tool' AS kind, slug, tagline AS detail FROM tools
             WHERE name COLLATE NOCASE >= @query AND name COLLATE NOCASE < @past
             ORDER BY name COLLATE NOCASE LIMIT @take
            """;
        var candidates = new List<Found>();
        // Each word's own trigrams first, so a cut falls on the swapped spellings.
        var words = typed.Select(w => NameMatch.Trigrams(w).Concat(w.Length <= MaxSwappedLength ? NameMatch.SwappedTrigrams(w) : [])
            .Distinct(StringComparer.Ordinal).ToList()).Where(w => w.Count > 0).ToList();
        var budget = MaxTrigrams;
        words = [.. words.Select(w => { var kept = w.Take(Math.Max(0, budget)).ToList(); budget -= kept.Count; return kept; }).Where(w => w.Count > 0)];
        if (words.Count > 0)
        {
            // Words are letters and digits only, so each quoted trigram is a plain FTS5 string: visitor text never becomes syntax.
            const string ByTrigrams = """
                SELECT name, kind, slug, detail FROM search_names
                 WHERE search_names MATCH @match AND (@toolsOnly = 0 OR kind = 'tool')
                 ORDER BY rank LIMIT @take
                """;
            static string AnyOf(IEnumerable<string> trigrams) => "(" + string.Join(" OR ", trigrams.Select(t => $"\"{t}\"")) + ")";
            // Names sharing a trigram with every word first: few rows to rank even where thousands of names share one
            // word ("Tool 424" among "Tool N"). Only where that finds too few (a word typed beyond recognition), names sharing
            // a trigram with any word, which may mean ranking every row.
            if (words.Count > 1)
            {
                candidates.AddRange(connection.Query<Found>(ByTrigrams,
                    new { match = string.Join(" AND ", words.Select(AnyOf)), toolsOnly, take = MaxCandidates }));
            }
            if (candidates.Count(c => NameMatch.Rank(typed, c.Name) is not null) < take)
            {
                candidates.AddRange(connection.Query<Found>(ByTrigrams,
                    new { match = string.Join(" OR ", words.SelectMany(w => w).Select(t => $"\"{t}\"")), toolsOnly, take = MaxCandidates }));
            }
        }
        // A short first word with a letter missing or wrong keeps no trigram of the name ("qwn3" and Qwen3, "pho" and
        // Phi), and a two-letter one has none at all ("ph 4"): names starting with its first two letters, and, for a
        // wrong or missing first letter ("fhi", "wen3"), names whose second and third letters are its second and third,
        // or its first two. NameMatch then judges them like any candidate.
        var startRead = false;
        if (typed[0].Length is >= 2 and <= 4 && candidates.Count(c => NameMatch.Rank(typed, c.Name) is not null) < take)
        {
            var word = typed[0];
            startRead = string.Equals(query, word[..2], StringComparison.OrdinalIgnoreCase);
            candidates.AddRange(connection.Query<Found>(Starting, new { query = word[..2], past = word[..2] + "\U0010FFFF", take = MaxCandidates }));
            if (word.Length >= 3)
            {
                const string AfterFirstLetter = """
                    SELECT name, 'tool' AS kind, slug, tagline AS detail FROM tools
                     WHERE substr(name, 2) COLLATE NOCASE >= @query AND substr(name, 2) COLLATE NOCASE < @past
                     ORDER BY substr(name, 2) COLLATE NOCASE LIMIT @take
                    """;
                foreach (var rest in new[] { word[1..3], word[..2] }.Distinct(StringComparer.Ordinal))
                    candidates.AddRange(connection.Query<Found>(AfterFirstLetter, new { query = rest, past = rest + "\U0010FFFF", take = MaxCandidates }));
            }
        }
        // What was typed as the start of a name: the only way to find names from one or two letters, and the exact names
        // among many alike ("Tool 12" among thousands of "Tool N"). A two-letter query's range was read just above.
        if (!startRead)
            candidates.AddRange(connection.Query<Found>(Starting, new { query, past = query + "\U0010FFFF", take = MaxSuggestions }));
        return [.. candidates
            .DistinctBy(f => (f.Kind, f.Slug))
            .Select(f => NameMatch.Rank(typed, f.Name) is { } rank ? f with { Rank = rank } : null)
            .OfType<Found>()
            .OrderBy(f => f.Rank.Tier)
            .ThenBy(f => f.Rank.Cost)
            .ThenBy(f => KindOrder(f.Kind))
            .ThenBy(f => f.Name.Length)
            .ThenBy(f => f.Name, StringComparer.OrdinalIgnoreCase)
            .ThenBy(f => f.Slug, StringComparer.Ordinal)
            .Take(take)];
    }

    private static int KindOrder(string kind) => kind switch { "tool" => 0, "comparison" => 1, _ => 2 };

    [GeneratedRegex(@"\s+(?:vs\.?|versus|v\.|or)\s+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Versus();

    /// <summary>The sides of an "A vs B" (or "A or B", "A versus B") query; one side for any other query.</summary>
    public static string[] Sides(string query) =>
        [.. Versus().Split(query).Select(s => s.Trim()).Where(s => s.Length > 0)];

    /// <summary>
    /// For "A vs B" naming two to four tools: the comparison of the tools each side names best. Where a side could mean
    /// several tools equally well (the same tier: "qwen" starts four names), a curated comparison of one of them is offered before a generated one.
    /// </summary>
    public static ComparisonOffer? Offer(SqliteConnection connection, string query)
    {
        var sides = Sides(query);
        if (sides.Length is < 2 or > ComparePicker.MaxTools)
            return null;
        var choices = new List<List<Found>>();
        foreach (var side in sides)
        {
            var found = Find(connection, side, 4, toolsOnly: true);
            if (found.Count == 0)
                return null;
            choices.Add([.. found.Where(f => f.Rank.Tier == found[0].Rank.Tier)]);
        }
        // Every way to pick one tool per side, the best picks first; at most 4^4 sets, most of them far fewer.
        var sets = choices.Aggregate((IEnumerable<List<Found>>)[[]], (sofar, side) => sofar.SelectMany(s => side.Select(f => (List<Found>)[.. s, f])))
            .Where(s => s.DistinctBy(f => f.Slug).Count() == s.Count)
            .ToList();
        if (sets.Count == 0)
            return null;
        const string CuratedSql = $"""
            SELECT c.tool_set, c.slug, {ComparisonTitle.Sql} AS title FROM comparisons c
             WHERE c.tool_set IN @toolSets ORDER BY c.published DESC, c.slug
            """;
        var curated = connection.Query<(string ToolSet, string Slug, string Title)>(CuratedSql,
                new { toolSets = sets.Select(s => ContentImporter.ToolSet(s.Select(f => f.Slug))).Distinct().ToList() })
            .DistinctBy(c => c.ToolSet).ToDictionary(c => c.ToolSet, StringComparer.Ordinal);
        foreach (var set in sets)
        {
            if (curated.TryGetValue(ContentImporter.ToolSet(set.Select(f => f.Slug)), out var c))
                return new ComparisonOffer(c.Title, $"/compare/{c.Slug}", true, set);
        }
        return new ComparisonOffer(ComparisonTitle.Of(null, sets[0].Select(f => f.Name)),
            $"/compare/{string.Join("-vs-", sets[0].Select(f => f.Slug))}", false, sets[0]);
    }

    public sealed record Suggestion(string Name, string Kind, string Url);

    /// <summary>
    /// <c>GET /api/search?q=</c>: the type-ahead of the header's search box, at most <see cref="MaxSuggestions"/> links,
    /// an "A vs B" comparison first. Cached like a page (the output cache varies by <c>q</c> and is evicted on reload)
    /// and by the browser for a few minutes.
    /// </summary>
    public static IResult Suggestions(string? q, Database database, HttpContext context)
    {
        context.Response.Headers.CacheControl = "public, max-age=300";
        var query = Clip(q);
        if (query.Length == 0)
            return Results.Ok(Array.Empty<Suggestion>());
        using var connection = database.Open();
        var offer = Offer(connection, query);
        var found = Find(connection, query, MaxSuggestions).Select(f => new Suggestion(f.Name, KindLabel(f.Kind), f.Url));
        if (offer is not null)
            found = found.Prepend(new Suggestion(offer.Title, "Comparison", offer.Url)).DistinctBy(s => s.Url);
        return Results.Ok(found.Take(MaxSuggestions).ToList());
    }

    public static string KindLabel(string kind) => kind switch { "comparison" => "Comparison", "reviewer" => "Reviewer", _ => "Tool" };

    public static void MapSearchSuggestions(this IEndpointRouteBuilder app) => app.MapMethods("/api/search", GetAndHead.Methods, Suggestions);
}
