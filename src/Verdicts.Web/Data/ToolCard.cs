using Microsoft.Data.Sqlite;
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
        SELECT t.slug, t.name, t.category, t.category_slug, t.tagline, t.entry_price, t.description_html, t.vendor, t.website, t.license,
               t.released, t.tags, t.panel_ship, t.panel_skip
        FROM tools t
        """;

    // Columns in the order Select names them; the community figures are the vote writer's, kept in memory (Voting/VoteTallies.cs).
    private static Func<SqliteDataReader, ToolCard> Read(VoteTallies tallies) => row =>
    {
        var slug = row.GetString(0);
        var community = tallies.Of(slug);
        return new ToolCard
        {
            Slug = slug,
            Name = row.GetString(1),
            Category = row.GetString(2),
            CategorySlug = row.GetString(3),
            Tagline = row.GetString(4),
            EntryPrice = row.GetString(5),
            DescriptionHtml = row.GetString(6),
            Vendor = row.IsDBNull(7) ? null : row.GetString(7),
            Website = row.IsDBNull(8) ? null : row.GetString(8),
            License = row.IsDBNull(9) ? null : row.GetString(9),
            Released = row.IsDBNull(10) ? null : row.GetString(10),
            Tags = row.GetString(11),
            PanelShip = row.GetInt64(12),
            PanelSkip = row.GetInt64(13),
            CommunityShip = community.Ship,
            CommunitySkip = community.Skip,
        };
    };

    /// <summary>The cards for the given slugs, in the order given; unknown slugs are left out.</summary>
    public static List<ToolCard> Load(ReadSession db, VoteTallies tallies, IReadOnlyList<string> slugs)
    {
        var found = db.Query(Select + " WHERE t.slug IN (SELECT value FROM json_each(@slugs))", new { slugs = SlugList.Json(slugs) }, Read(tallies))
            .ToDictionary(t => t.Slug, StringComparer.Ordinal);
        return slugs.Where(found.ContainsKey).Select(s => found[s]).ToList();
    }

    /// <summary>One page of a category's tools, by name.</summary>
    public static List<ToolCard> InCategory(ReadSession db, VoteTallies tallies, string categorySlug, int offset, int count) =>
        db.Query(Select + " WHERE t.category_slug = @categorySlug ORDER BY t.name, t.slug LIMIT @count OFFSET @offset",
            new { categorySlug, count, offset }, Read(tallies));

    /// <summary>The first tools of every category by name, as many of each as asked, grouped by category.</summary>
    public static List<ToolCard> FirstOfEachCategory(ReadSession db, VoteTallies tallies, int perCategory) =>
        db.Query(Select + """
             WHERE t.slug IN (SELECT slug FROM (
                 SELECT slug, row_number() OVER (PARTITION BY category_slug ORDER BY name, slug) AS place FROM tools)
                 WHERE place <= @perCategory)
             ORDER BY t.category, t.category_slug, t.name, t.slug
            """, new { perCategory }, Read(tallies));
}
