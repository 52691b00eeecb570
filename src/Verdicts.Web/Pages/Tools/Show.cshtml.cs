using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Mvc;
using Verdicts.Web.Data;
using Verdicts.Web.Pages.Shared;
using Verdicts.Web.Voting;

namespace Verdicts.Web.Pages.Tools;

public sealed class ShowModel(Database database, VoteTallies tallies, TimeProvider time, Microsoft.Extensions.Options.IOptions<VerdictsOptions> options) : SitePageModel
{
    public sealed record AlternativeRow
    {
        public required string Slug { get; init; }
        public required string Name { get; init; }
        public required string Tagline { get; init; }
        public long Together { get; init; }
    }

    public ToolCard Tool { get; private set; } = null!;
    public IReadOnlyList<VerdictRow> Verdicts { get; private set; } = [];
    public IReadOnlyList<PlanRow> Plans { get; private set; } = [];
    public IReadOnlyList<IndexModel.ComparisonCard> Comparisons { get; private set; } = [];
    public IReadOnlyList<AlternativeRow> Alternatives { get; private set; } = [];
    public IReadOnlyList<string> Tags { get; private set; } = [];
    public CommunityTrend Trend { get; private set; } = new([]);

    /// <summary>The badge's embed code, as HTML and as Markdown; none without a configured site address to point it at.</summary>
    public (string Html, string Markdown)? BadgeEmbed { get; private set; }

    // Model binding turns a slug of only whitespace (/tools/%20) into null.
    public IActionResult OnGet(string? slug)
    {
        if (slug is null)
            return NotFound();
        using var connection = database.Open();
        if (ToolColumns.Load(connection, tallies, [slug]).FirstOrDefault() is not { } column)
        {
            var current = ToolAliases.RenamedTo(database, slug);
            return current is null ? NotFound() : RedirectPermanent($"/tools/{current}");
        }
        var tool = Tool = column.Tool;
        Tags = JsonSerializer.Deserialize<List<string>>(tool.Tags) ?? [];
        Trend = CommunityTrend.Load(connection, tallies, slug, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime));
        Verdicts = column.Verdicts;
        Plans = column.Plans;
        Comparisons = connection.Query<IndexModel.ComparisonCard>(IndexModel.ComparisonCards + """
             WHERE c.slug IN (SELECT comparison_slug FROM comparison_tools WHERE tool_slug = @slug)
             ORDER BY c.published DESC, c.slug
            """, new { slug, question = ComparisonQuestion.Default }).AsList();
        // Alternatives: the same category, most often compared with this tool first.
        Alternatives = connection.Query<AlternativeRow>("""
            SELECT t.slug, t.name, t.tagline,
                   (SELECT count(*) FROM comparison_tools mine JOIN comparison_tools theirs ON theirs.comparison_slug = mine.comparison_slug
                    WHERE mine.tool_slug = @slug AND theirs.tool_slug = t.slug) AS Together
            FROM tools t
            WHERE t.category_slug = @category AND t.slug <> @slug
            ORDER BY Together DESC, t.name
            LIMIT 6
            """, new { slug, category = tool.CategorySlug }).AsList();

        Meta = new PageMeta($"{tool.Name}: panel verdict, community vote and pricing · Verdicts", $"{tool.Name}: {tool.Tagline}", $"/tools/{tool.Slug}")
        {
            JsonLd = JsonLd.Tool(options.Value.SiteUrl, tool, Verdicts),
            Image = (Sharing.ShareCard.PathFor($"/tools/{tool.Slug}"), new Sharing.ShareCard(tool.Name, tool.Tagline, [tool]).Alt),
        };
        if (options.Value.SiteUrl is { Length: > 0 } site)
        {
            var (page, badge, alt) = ($"{site}/tools/{tool.Slug}", $"{site}/badges/{tool.Slug}.svg", $"{tool.Name} on Verdicts");
            var encode = System.Text.Encodings.Web.HtmlEncoder.Default;
            BadgeEmbed = ($"<a href=\"{encode.Encode(page)}\"><img src=\"{encode.Encode(badge)}\" alt=\"{encode.Encode(alt)}\"></a>",
                $"[![{MarkdownText(alt)}]({badge})]({page})");
        }
        TagCache([tool.Slug]);
        return Page();
    }

    // Brackets and backslashes would end or escape the image's text early.
    private static string MarkdownText(string text) =>
        System.Text.RegularExpressions.Regex.Replace(text, @"[\\\[\]]", @"\$0");
}
