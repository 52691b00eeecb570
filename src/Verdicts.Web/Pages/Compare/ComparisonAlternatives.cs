using Dapper;
using Microsoft.Data.Sqlite;

namespace Verdicts.Web.Pages.Compare;

/// <summary>
/// Other comparisons with the tools on a page: each shown tool beside a tool it is not shown with, ranked by how many
/// curated comparisons hold the two together (<c>tool_pairs</c>, counted at import), then tools of its own category first,
/// then by name. Tools of the same category fill the list when few pairs are known.
/// </summary>
public static class ComparisonAlternatives
{
    public const int MaxShown = 6;

    public sealed record Alternative
    {
        public required string ToolSlug { get; init; }
        public required string ToolName { get; init; }
        public required string PartnerSlug { get; init; }
        public required string PartnerName { get; init; }
        public long Together { get; init; }
        public string? Curated { get; init; }

        public string Title => $"{ToolName} vs {PartnerName}";

        /// <summary>The curated page for the pair, else the generated page's canonical address (slugs sorted).</summary>
        public string Path => "/compare/" + (Curated ?? string.Join("-vs-", new[] { ToolSlug, PartnerSlug }.Order(StringComparer.Ordinal)));
    }

    private sealed record ToolName(string Slug, string Name, string Category);

    private sealed record Pair(string Tool, string Partner, long Together);

    private sealed record CuratedPair(string ToolSet, string Slug);

    /// <summary>
    /// Small statements read by key, ranked here. One statement doing it all (four arms in a CTE) took about 1.2 ms of
    /// CPU per uncached page, nearly all of it SQLite compiling the statement anew on each request; these take a
    /// fraction of that (bench/README.md, run 15).
    /// </summary>
    public static List<Alternative> For(SqliteConnection connection, IReadOnlyList<string> shown)
    {
        const string ToolsSql = "SELECT slug AS Slug, name AS Name, category_slug AS Category FROM tools WHERE slug IN @slugs";
        const string PairsSql = """
            SELECT a AS Tool, b AS Partner, together AS Together FROM tool_pairs WHERE a IN @shown
            UNION ALL
            SELECT b, a, together FROM tool_pairs WHERE b IN @shown
            """;
        // tools_by_category holds (category_slug, name, slug): the first few of a category are read in order off the index.
        const string FirstOfCategorySql = "SELECT slug FROM tools WHERE category_slug = @category AND slug NOT IN @shown ORDER BY name, slug LIMIT @take";
        const string CuratedSql = "SELECT tool_set AS ToolSet, slug AS Slug FROM comparisons WHERE tool_set IN @sets ORDER BY published DESC, slug";

        var names = connection.Query<ToolName>(ToolsSql, new { slugs = shown }).ToDictionary(t => t.Slug, StringComparer.Ordinal);
        var candidates = connection.Query<Pair>(PairsSql, new { shown }).Where(p => !shown.Contains(p.Partner)).ToList();
        foreach (var tool in shown.Distinct(StringComparer.Ordinal).Where(names.ContainsKey))
        {
            candidates.AddRange(connection.Query<string>(FirstOfCategorySql, new { category = names[tool].Category, shown, take = MaxShown })
                .Select(partner => new Pair(tool, partner, 0)));
        }
        var missing = candidates.Select(c => c.Partner).Where(p => !names.ContainsKey(p)).Distinct(StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
        {
            foreach (var partner in connection.Query<ToolName>(ToolsSql, new { slugs = missing }))
                names[partner.Slug] = partner;
        }
        var ranked = candidates
            .Where(c => names.ContainsKey(c.Tool) && names.ContainsKey(c.Partner))
            .GroupBy(c => (c.Tool, c.Partner))
            .Select(g => (Tool: names[g.Key.Tool], Partner: names[g.Key.Partner], Together: g.Max(c => c.Together)))
            .OrderByDescending(c => c.Together)
            .ThenByDescending(c => c.Partner.Category == c.Tool.Category)
            .ThenBy(c => c.Partner.Name, StringComparer.Ordinal).ThenBy(c => c.Partner.Slug, StringComparer.Ordinal)
            .ThenBy(c => c.Tool.Name, StringComparer.Ordinal).ThenBy(c => c.Tool.Slug, StringComparer.Ordinal)
            .Take(MaxShown)
            .ToList();
        var sets = ranked.Select(c => ToolSet(c.Tool.Slug, c.Partner.Slug)).Distinct(StringComparer.Ordinal).ToList();
        var curated = sets.Count == 0 ? [] : connection.Query<CuratedPair>(CuratedSql, new { sets })
            .GroupBy(c => c.ToolSet, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Slug, StringComparer.Ordinal);
        return [.. ranked.Select(c => new Alternative
        {
            ToolSlug = c.Tool.Slug, ToolName = c.Tool.Name, PartnerSlug = c.Partner.Slug, PartnerName = c.Partner.Name, Together = c.Together,
            Curated = curated.GetValueOrDefault(ToolSet(c.Tool.Slug, c.Partner.Slug)),
        })];
    }

    private static string ToolSet(string a, string b) => Content.ContentImporter.ToolSet([a, b]);
}
