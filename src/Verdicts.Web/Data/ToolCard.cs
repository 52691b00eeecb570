namespace Verdicts.Web.Data;

/// <summary>A tool with the figures every listing shows: panel verdicts and community votes.</summary>
public sealed record ToolCard
{
    public required string Slug { get; init; }
    public required string Name { get; init; }
    public required string Category { get; init; }
    public required string CategorySlug { get; init; }
    public required string Tagline { get; init; }
    public required string EntryPrice { get; init; }
    public required string DescriptionHtml { get; init; }
    public string? Vendor { get; init; }
    public string? Website { get; init; }
    public string? License { get; init; }
    public string? Released { get; init; }
    public required string Tags { get; init; }
    public long PanelShip { get; init; }
    public long PanelSkip { get; init; }
    public long CommunityShip { get; init; }
    public long CommunitySkip { get; init; }

    public int? PanelPercent => Figures.ShipPercent(PanelShip, PanelSkip);
    public int? CommunityPercent => Figures.ShipPercent(CommunityShip, CommunitySkip);
    public long CommunityVotes => CommunityShip + CommunitySkip;
    public long PanelVerdicts => PanelShip + PanelSkip;

    private const string Select = """
        SELECT t.slug, t.name, t.category, t.category_slug AS CategorySlug, t.tagline, t.entry_price AS EntryPrice,
               t.description_html AS DescriptionHtml, t.vendor, t.website, t.license,
               t.released, t.tags, t.panel_ship AS PanelShip, t.panel_skip AS PanelSkip,
               coalesce((SELECT sum(d.ship) FROM vote_days d WHERE d.tool_slug = t.slug), 0) AS CommunityShip,
               coalesce((SELECT sum(d.skip) FROM vote_days d WHERE d.tool_slug = t.slug), 0) AS CommunitySkip
        FROM tools t
        """;

    /// <summary>The cards for the given slugs, in the order given; unknown slugs are left out.</summary>
    public static List<ToolCard> Load(ReadSession db, IReadOnlyList<string> slugs)
    {
        var found = db.Query<ToolCard>(Select + " WHERE t.slug IN (SELECT value FROM json_each(@slugs))", new { slugs = SlugList.Json(slugs) })
            .ToDictionary(t => t.Slug, StringComparer.Ordinal);
        return slugs.Where(found.ContainsKey).Select(s => found[s]).ToList();
    }

    /// <summary>One page of a category's tools, by name.</summary>
    public static List<ToolCard> InCategory(ReadSession db, string categorySlug, int offset, int count) =>
        db.Query<ToolCard>(Select + " WHERE t.category_slug = @categorySlug ORDER BY t.name, t.slug LIMIT @count OFFSET @offset",
            new { categorySlug, count, offset });

    /// <summary>The first tools of every category by name, as many of each as asked, grouped by category.</summary>
    public static List<ToolCard> FirstOfEachCategory(ReadSession db, int perCategory) =>
        db.Query<ToolCard>(Select + """
             WHERE t.slug IN (SELECT slug FROM (
                 SELECT slug, row_number() OVER (PARTITION BY category_slug ORDER BY name, slug) AS place FROM tools)
                 WHERE place <= @perCategory)
             ORDER BY t.category, t.category_slug, t.name, t.slug
            """, new { perCategory });
}
