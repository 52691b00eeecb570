using Dapper;
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
    /// <summary>The model's facts, from its column only (the listings do not read them); null when the file states none.</summary>
    public ToolSpecs? Specs { get; init; }
    public IReadOnlyList<string>? Sources { get; init; }
    public string? Checked { get; init; }
    public long PanelShip { get; init; }
    public long PanelSkip { get; init; }
    public long CommunityShip { get; init; }
    public long CommunitySkip { get; init; }

    public int? PanelPercent => Figures.ShipPercent(PanelShip, PanelSkip);
    public CommunityShare Community => new(CommunityShip, CommunitySkip);

    /// <summary>The community's ship share as the pages show it: null below <see cref="CommunityShare.FewestForShare"/> votes.</summary>
    public int? CommunityPercent => Community.Percent;
    public long CommunityVotes => CommunityShip + CommunitySkip;
    public long PanelVerdicts => PanelShip + PanelSkip;

    /// <summary>The card with its community figures, which are the vote writer's, kept in memory (Voting/VoteTallies.cs).</summary>
    public ToolCard WithCommunity(VoteTallies tallies)
    {
        var community = tallies.Of(Slug);
        return this with { CommunityShip = community.Ship, CommunitySkip = community.Skip };
    }

    // The card's columns of `tools t`, named as the properties.
    private const string Select = """
        SELECT t.slug, t.name, t.category, t.category_slug AS CategorySlug, t.tagline, t.entry_price AS EntryPrice,
               t.description_html AS DescriptionHtml, t.vendor, t.website, t.license, t.released, t.tags,
               t.panel_ship AS PanelShip, t.panel_skip AS PanelSkip
          FROM tools t
        """;

    /// <summary>One page of a category's tools, by name.</summary>
    public static List<ToolCard> InCategory(SqliteConnection connection, VoteTallies tallies, string categorySlug, int offset, int count)
    {
        const string Sql = $"{Select} WHERE t.category_slug = @categorySlug ORDER BY t.name, t.slug LIMIT @count OFFSET @offset";
        return [.. connection.Query<ToolCard>(Sql, new { categorySlug, count, offset }).Select(t => t.WithCommunity(tallies))];
    }

    /// <summary>One page of every tool, by name (the API's list).</summary>
    public static List<ToolCard> ByName(SqliteConnection connection, VoteTallies tallies, int offset, int count)
    {
        const string Sql = $"{Select} ORDER BY t.name, t.slug LIMIT @count OFFSET @offset";
        return [.. connection.Query<ToolCard>(Sql, new { count, offset }).Select(t => t.WithCommunity(tallies))];
    }

    /// <summary>The first tools of every category by name, as many of each as asked, grouped by category.</summary>
    public static List<ToolCard> FirstOfEachCategory(SqliteConnection connection, VoteTallies tallies, int perCategory)
    {
        const string Sql = $"""
            {Select}
             WHERE t.slug IN (SELECT slug FROM (
                 SELECT slug, row_number() OVER (PARTITION BY category_slug ORDER BY name, slug) AS place FROM tools)
                 WHERE place <= @perCategory)
             ORDER BY t.category, t.category_slug, t.name, t.slug
            """;
        return [.. connection.Query<ToolCard>(Sql, new { perCategory }).Select(t => t.WithCommunity(tallies))];
    }
}
