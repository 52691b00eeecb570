using Verdicts.Web.Voting;

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
               t.released, t.tags, t.panel_ship AS PanelShip, t.panel_skip AS PanelSkip
        FROM tools t
        """;

    // The community figures are the vote writer's, kept in memory (Voting/VoteTallies.cs).
    private static List<ToolCard> WithCommunity(List<ToolCard> cards, VoteTallies tallies)
    {
        for (var i = 0; i < cards.Count; i++)
        {
            var community = tallies.Of(cards[i].Slug);
            cards[i] = cards[i] with { CommunityShip = community.Ship, CommunitySkip = community.Skip };
        }
        return cards;
    }

    /// <summary>The cards for the given slugs, in the order given; unknown slugs are left out.</summary>
    public static List<ToolCard> Load(ReadSession db, VoteTallies tallies, IReadOnlyList<string> slugs)
    {
        var found = db.Query<ToolCard>(Select + " WHERE t.slug IN (SELECT value FROM json_each(@slugs))", new { slugs = SlugList.Json(slugs) })
            .ToDictionary(t => t.Slug, StringComparer.Ordinal);
        return WithCommunity(slugs.Where(found.ContainsKey).Select(s => found[s]).ToList(), tallies);
    }

    /// <summary>One page of a category's tools, by name.</summary>
    public static List<ToolCard> InCategory(ReadSession db, VoteTallies tallies, string categorySlug, int offset, int count) =>
        WithCommunity(db.Query<ToolCard>(Select + " WHERE t.category_slug = @categorySlug ORDER BY t.name, t.slug LIMIT @count OFFSET @offset",
            new { categorySlug, count, offset }), tallies);

    /// <summary>The first tools of every category by name, as many of each as asked, grouped by category.</summary>
    public static List<ToolCard> FirstOfEachCategory(ReadSession db, VoteTallies tallies, int perCategory) =>
        WithCommunity(db.Query<ToolCard>(Select + """
             WHERE t.slug IN (SELECT slug FROM (
                 SELECT slug, row_number() OVER (PARTITION BY category_slug ORDER BY name, slug) AS place FROM tools)
                 WHERE place <= @perCategory)
             ORDER BY t.category, t.category_slug, t.name, t.slug
            """, new { perCategory }), tallies);
}
