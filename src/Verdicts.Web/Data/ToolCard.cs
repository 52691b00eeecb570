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

    /// <summary>The card with its community figures, which are the vote writer's, kept in memory (Voting/VoteTallies.cs).</summary>
    public ToolCard WithCommunity(VoteTallies tallies)
    {
        var community = tallies.Of(Slug);
        return this with { CommunityShip = community.Ship, CommunitySkip = community.Skip };
    }

    /// <summary>The card's columns of <c>tools t</c>, in the order <see cref="Read(SqliteDataReader, VoteTallies, int)"/> reads them.</summary>
    public const string Columns = """
        t.slug, t.name, t.category, t.category_slug, t.tagline, t.entry_price, t.description_html, t.vendor, t.website, t.license,
        t.released, t.tags, t.panel_ship, t.panel_skip
        """;

    private const string Select = $"SELECT {Columns} FROM tools t";

    private static Func<SqliteDataReader, ToolCard> Read(VoteTallies tallies) => row => Read(row, tallies, 0);

    /// <summary>
    /// The card in the row's <see cref="Columns"/>, the first of them at <paramref name="first"/>; the community figures are
    /// the vote writer's, kept in memory (Voting/VoteTallies.cs).
    /// </summary>
    public static ToolCard Read(SqliteDataReader row, VoteTallies tallies, int first)
    {
        var slug = row.GetString(first);
        var community = tallies.Of(slug);
        return new ToolCard
        {
            Slug = slug,
            Name = row.GetString(first + 1),
            Category = row.GetString(first + 2),
            CategorySlug = row.GetString(first + 3),
            Tagline = row.GetString(first + 4),
            EntryPrice = row.GetString(first + 5),
            DescriptionHtml = row.GetString(first + 6),
            Vendor = row.IsDBNull(first + 7) ? null : row.GetString(first + 7),
            Website = row.IsDBNull(first + 8) ? null : row.GetString(first + 8),
            License = row.IsDBNull(first + 9) ? null : row.GetString(first + 9),
            Released = row.IsDBNull(first + 10) ? null : row.GetString(first + 10),
            Tags = row.GetString(first + 11),
            PanelShip = row.GetInt64(first + 12),
            PanelSkip = row.GetInt64(first + 13),
            CommunityShip = community.Ship,
            CommunitySkip = community.Skip,
        };
    }

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
