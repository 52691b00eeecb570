using System.Net;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Data.Sqlite;
using Verdicts.Web.Data;

namespace Verdicts.Web.Pages;

public sealed partial class SearchModel(Database database) : SitePageModel
{
    private const int MaxQueryLength = 200;
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
    public IReadOnlyList<Hit> Hits { get; private set; } = [];
    public bool Searched { get; private set; }

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
        Query = (q ?? "").Trim();
        if (Query.Length > MaxQueryLength)
            Query = Query[..MaxQueryLength];
        Meta = new PageMeta(Query.Length == 0 ? "Search · Verdicts" : $"Search: {Query} · Verdicts",
            "Search AI tools, taglines, descriptions and reviewer quotes.", "/search") { NoIndex = true };
        if (ToFtsQuery(Query) is not { } match)
            return;
        Searched = true;
        using var connection = database.Open();
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
            Hits = rows.GroupBy(r => r.Slug).Select(g => g.First()).Take(25).ToList();
        }
        catch (SqliteException)
        {
            // The query is built from words only, so this should not happen; an empty result beats a 500 if it does.
            Hits = [];
        }
    }
}
