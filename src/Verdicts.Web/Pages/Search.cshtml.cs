using System.Net;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Data.Sqlite;
using Verdicts.Web.Data;
using Verdicts.Web.Pages.Shared;

namespace Verdicts.Web.Pages;

public sealed partial class SearchModel(Database database) : SitePageModel
{
    private const int MaxNamed = 25;
    private const int MaxTerms = 8;

    public sealed record Hit
    {
        public required string Slug { get; init; }
        public required string Name { get; init; }
        public required string Tagline { get; init; }
        public required string Snippet { get; init; }
        public double Score { get; init; }

        /// <summary>The snippet HTML-encoded, with only our own match markers turned into mark elements.</summary>
        public string SnippetHtml => WebUtility.HtmlEncode(Snippet).Replace("\u0002", "<mark>", StringComparison.Ordinal).Replace("\u0003", "</mark>", StringComparison.Ordinal);
    }

    public string Query { get; private set; } = "";

    /// <summary>Tools found by name (typos forgiven), then tools whose text holds the words.</summary>
    public IReadOnlyList<Hit> Hits { get; private set; } = [];
    public IReadOnlyList<NameSearch.Found> Comparisons { get; private set; } = [];
    public IReadOnlyList<NameSearch.Found> Reviewers { get; private set; } = [];

    /// <summary>For "A vs B": that comparison, shown first.</summary>
    public NameSearch.ComparisonOffer? Offer { get; private set; }
    public bool Searched { get; private set; }

    public bool FoundNothing => Hits.Count == 0 && Comparisons.Count == 0 && Reviewers.Count == 0 && Offer is null;

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex Word();

    /// <summary>
    /// Visitor text never reaches FTS5 syntax: each word becomes a quoted prefix term, so operators,
    /// quotes and column filters in the input are just characters.
    /// </summary>
    public static string? ToFtsQuery(string input)
    {
        var terms = Word().Matches(input).Select(m => m.Value).Distinct(StringComparer.OrdinalIgnoreCase).Take(MaxTerms).ToList();
        return terms.Count == 0 ? null : string.Join(' ', terms.Select(t => $"\"{t}\"*"));
    }

    public async Task OnGetAsync(string? q)
    {
        Query = NameSearch.Clip(q);
        Meta = new PageMeta(Query.Length == 0 ? "Search · Verdicts" : $"Search: {Query} · Verdicts",
            "Search AI tools, comparisons, reviewers, descriptions and quotes.", "/search") { NoIndex = true };
        if (ToFtsQuery(Query) is not { } match)
            return;
        Searched = true;
        using var connection = database.Open();
        Offer = NameSearch.Offer(connection, Query);
        // For "A vs B", each side's tools as well as names holding the whole query (a comparison titled so); never more
        // sides than a comparison takes, so a query of many "vs" costs no more than one of four.
        var sides = NameSearch.Sides(Query);
        var named = (sides.Length <= ComparePicker.MaxTools ? sides.Prepend(Query) : [Query]).Distinct(StringComparer.Ordinal)
            .SelectMany(part => NameSearch.Find(connection, part, MaxNamed))
            .DistinctBy(f => (f.Kind, f.Slug)).ToList();
        Comparisons = [.. named.Where(f => f.Kind == "comparison" && f.Url != Offer?.Url)];
        Reviewers = [.. named.Where(f => f.Kind == "reviewer")];
        var namedTools = named.Where(f => f.Kind == "tool")
            .Select(f => new Hit { Slug = f.Slug, Name = f.Name, Tagline = f.Detail, Snippet = "" }).ToList();
        try
        {
            var rows = await connection.QueryAsync<Hit>("""
                SELECT s.tool_slug AS Slug, t.name, t.tagline,
                       snippet(search_index, -1, char(2), char(3), '…', 14) AS Snippet,
                       bm25(search_index, 0.0, 0.0, 10.0, 4.0, 1.0) AS Score
                FROM search_index s JOIN tools t ON t.slug = s.tool_slug
                WHERE search_index MATCH @match
                ORDER BY Score
                LIMIT 100
                """, new { match });
            Hits = [.. namedTools.Concat(rows).DistinctBy(r => r.Slug).Take(MaxNamed)];
        }
        catch (SqliteException)
        {
            // The query is built from words only, so this should not happen; the names found beat a 500 if it does.
            Hits = namedTools;
        }
    }
}
