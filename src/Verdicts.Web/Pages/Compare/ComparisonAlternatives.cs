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

    /// <summary>A tool that could stand beside a shown one: <see cref="Tool"/> is the shown tool's slug.</summary>
    private sealed record Partner(string Tool, string Slug, string Name, string Category, long Together);

    private sealed record NamedTool(string Slug, string Name, string Category);

    private sealed record CuratedPair(string ToolSet, string Slug);

    /// <summary>
    /// Small statements read by key, ranked here. One statement doing it all (four arms in a CTE) took about 1.2 ms of
    /// CPU per uncached page, nearly all of it SQLite compiling the statement anew on each request (bench/README.md,
    /// run 15). The shown tools' names and categories come with the page's columns, and each partner's with its pair.
    /// </summary>
    public static List<Alternative> For(SqliteConnection connection, IReadOnlyList<Data.ToolCard> shownTools)
    {
        const string PairsSql = """
            SELECT p.a AS Tool, t.slug AS Slug, t.name AS Name, t.category_slug AS Category, p.together AS Together
              FROM tool_pairs p JOIN tools t ON t.slug = p.b WHERE p.a IN @shown
            UNION ALL
            SELECT p.b, t.slug, t.name, t.category_slug, p.together
              FROM tool_pairs p JOIN tools t ON t.slug = p.a WHERE p.b IN @shown
            """;
        // tools_by_category holds (category_slug, name, slug): the first few of a category are read in order off the index.
        const string FirstOfCategorySql = """
            SELECT slug AS Slug, name AS Name, category_slug AS Category
              FROM tools WHERE category_slug = @category AND slug NOT IN @shown ORDER BY name, slug LIMIT @take
            """;
        const string CuratedSql = "SELECT tool_set AS ToolSet, slug AS Slug FROM comparisons WHERE tool_set IN @sets ORDER BY published DESC, slug";

        var tools = shownTools.DistinctBy(t => t.Slug, StringComparer.Ordinal).ToDictionary(t => t.Slug, StringComparer.Ordinal);
        var shown = tools.Keys.ToList();
        var candidates = connection.Query<Partner>(PairsSql, new { shown }).Where(p => !tools.ContainsKey(p.Slug)).ToList();
        // Read once per category; each shown tool of it gets the same first few.
        foreach (var category in tools.Values.GroupBy(t => t.CategorySlug, StringComparer.Ordinal))
        {
            var first = connection.Query<NamedTool>(FirstOfCategorySql, new { category = category.Key, shown, take = MaxShown }).AsList();
            candidates.AddRange(category.SelectMany(tool => first.Select(other => new Partner(tool.Slug, other.Slug, other.Name, other.Category, 0))));
        }
        var ranked = candidates
            .GroupBy(c => (c.Tool, c.Slug))
            .Select(g => (Tool: tools[g.Key.Tool], Partner: g.First(), Together: g.Max(c => c.Together)))
            .OrderByDescending(c => c.Together)
            .ThenByDescending(c => c.Partner.Category == c.Tool.CategorySlug)
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
