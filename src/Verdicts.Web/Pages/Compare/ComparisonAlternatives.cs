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

    /// <summary>One statement, read by key: the pairs of each shown tool and the first few tools of each one's category.</summary>
    public static List<Alternative> For(SqliteConnection connection, IReadOnlyList<string> shown)
    {
        // One arm per column a comparison can have (four); a column not there binds NULL and adds nothing.
        const string Sql = """
            WITH candidates (tool, partner, together) AS (
                SELECT a, b, together FROM tool_pairs WHERE a IN @shown AND b NOT IN @shown
                UNION ALL
                SELECT b, a, together FROM tool_pairs WHERE b IN @shown AND a NOT IN @shown
                UNION ALL
                SELECT * FROM (SELECT @t0, slug, 0 FROM tools WHERE category_slug = (SELECT category_slug FROM tools WHERE slug = @t0)
                                  AND slug NOT IN @shown ORDER BY name, slug LIMIT @take)
                UNION ALL
                SELECT * FROM (SELECT @t1, slug, 0 FROM tools WHERE category_slug = (SELECT category_slug FROM tools WHERE slug = @t1)
                                  AND slug NOT IN @shown ORDER BY name, slug LIMIT @take)
                UNION ALL
                SELECT * FROM (SELECT @t2, slug, 0 FROM tools WHERE category_slug = (SELECT category_slug FROM tools WHERE slug = @t2)
                                  AND slug NOT IN @shown ORDER BY name, slug LIMIT @take)
                UNION ALL
                SELECT * FROM (SELECT @t3, slug, 0 FROM tools WHERE category_slug = (SELECT category_slug FROM tools WHERE slug = @t3)
                                  AND slug NOT IN @shown ORDER BY name, slug LIMIT @take)
            )
            SELECT x.tool AS ToolSlug, t.name AS ToolName, x.partner AS PartnerSlug, p.name AS PartnerName, x.together,
                   (SELECT c.slug FROM comparisons c WHERE c.tool_set = min(x.tool, x.partner) || ' ' || max(x.tool, x.partner)
                     ORDER BY c.published DESC, c.slug LIMIT 1) AS Curated
              FROM (SELECT tool, partner, max(together) AS together FROM candidates GROUP BY tool, partner) x
              JOIN tools t ON t.slug = x.tool
              JOIN tools p ON p.slug = x.partner
             ORDER BY x.together DESC, p.category_slug = t.category_slug DESC, p.name, p.slug, t.name, t.slug
             LIMIT @take
            """;
        string? At(int i) => i < shown.Count ? shown[i] : null;
        return connection.Query<Alternative>(Sql, new { shown, t0 = At(0), t1 = At(1), t2 = At(2), t3 = At(3), take = MaxShown }).AsList();
    }
}
