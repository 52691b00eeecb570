using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Data.Sqlite;
using Verdicts.Web.Content;
using Verdicts.Web.Data;

namespace Verdicts.Web.Pages.Compare;

/// <summary>
/// The comparison page, for a curated comparison (<c>/compare/{slug}</c>) or any published tools joined by
/// <c>-vs-</c>; a generated address whose tools a curated comparison covers redirects there.
/// </summary>
public sealed class ShowModel(Database database) : SitePageModel
{
    public const string DefaultQuestion = "Which one should you ship with?";

    public sealed record ComparisonRow
    {
        public required string Slug { get; init; }
        public string? Title { get; init; }
        public string? Question { get; init; }
        public required string IntroHtml { get; init; }
        public required string Published { get; init; }
    }

    public sealed record PlanRow
    {
        public required string ToolSlug { get; init; }
        public required string Name { get; init; }
        public required string Price { get; init; }
        public string? Notes { get; init; }
    }

    public sealed record VerdictRow
    {
        public required string ToolSlug { get; init; }
        public required string Verdict { get; init; }
        public required string QuoteHtml { get; init; }
        public required string QuoteText { get; init; }
        public required string ReviewerSlug { get; init; }
        public required string ReviewerName { get; init; }
        public required string Lens { get; init; }
    }

    /// <summary>One reviewer's row of the scorecard: a verdict (or none) per compared tool, in column order.</summary>
    public sealed record ScorecardRow(string ReviewerSlug, string ReviewerName, string Lens, IReadOnlyList<VerdictRow?> Verdicts)
    {
        public bool Splits => Verdicts.Where(v => v is not null).Select(v => v!.Verdict).Distinct().Count() > 1;
    }

    public ComparisonRow? Curated { get; private set; }
    public IReadOnlyList<ToolCard> Tools { get; private set; } = [];
    public ILookup<string, PlanRow> Plans { get; private set; } = Enumerable.Empty<PlanRow>().ToLookup(p => p.ToolSlug);
    public IReadOnlyList<ScorecardRow> Scorecard { get; private set; } = [];
    public string Title { get; private set; } = "";
    public string Question { get; private set; } = DefaultQuestion;

    public string SplitSummary
    {
        get
        {
            var splitters = Scorecard.Count(r => r.Splits);
            var judged = Scorecard.Count(r => r.Verdicts.Count(v => v is not null) > 1);
            if (judged == 0)
                return "No reviewer has judged more than one of these tools yet.";
            if (splitters == 0)
                return Tools.Count == 2 ? "The panel agrees on both." : $"The panel agrees on all {Words(Tools.Count)}.";
            return $"{splitters} of {judged} reviewers split.";
        }
    }

    public async Task<IActionResult> OnGetAsync(string slug)
    {
        using var connection = database.Open();
        Curated = await connection.QuerySingleOrDefaultAsync<ComparisonRow>(
            "SELECT slug, title, question, intro_html AS IntroHtml, published FROM comparisons WHERE slug = @slug", new { slug });
        IReadOnlyList<string> slugs;
        if (Curated is not null)
        {
            slugs = (await connection.QueryAsync<string>(
                "SELECT tool_slug FROM comparison_tools WHERE comparison_slug = @slug ORDER BY position", new { slug })).ToList();
        }
        else
        {
            var requested = slug.Split("-vs-");
            if (requested.Length is < 2 or > 4 || !requested.All(ContentParser.IsValidSlug))
                return NotFound();
            var resolved = await ResolveAsync(connection, requested);
            if (resolved is null || resolved.Distinct(StringComparer.Ordinal).Count() != resolved.Count)
                return NotFound();
            var curated = await connection.QueryFirstOrDefaultAsync<string>(
                "SELECT slug FROM comparisons WHERE tool_set = @set ORDER BY published DESC, slug LIMIT 1",
                new { set = ContentImporter.ToolSet(resolved) });
            if (curated is not null)
                return RedirectPermanent($"/compare/{curated}");
            if (!resolved.SequenceEqual(requested, StringComparer.Ordinal))
                return RedirectPermanent($"/compare/{string.Join("-vs-", resolved)}");
            slugs = resolved;
        }

        Tools = await ToolCard.LoadAsync(connection, slugs);
        if (Tools.Count < 2)
            return NotFound();
        Plans = (await connection.QueryAsync<PlanRow>(
            "SELECT tool_slug AS ToolSlug, name, price, notes FROM tool_plans WHERE tool_slug IN @slugs ORDER BY position",
            new { slugs })).ToLookup(p => p.ToolSlug, StringComparer.Ordinal);
        var verdicts = (await connection.QueryAsync<VerdictRow>("""
            SELECT v.tool_slug AS ToolSlug, v.verdict, v.quote_html AS QuoteHtml, v.quote_text AS QuoteText,
                   r.slug AS ReviewerSlug, r.name AS ReviewerName, r.lens
            FROM verdicts v JOIN reviewers r ON r.slug = v.reviewer_slug
            WHERE v.tool_slug IN @slugs
            ORDER BY r.sort_order IS NULL, r.sort_order, r.name
            """, new { slugs })).ToList();
        Scorecard = verdicts.GroupBy(v => v.ReviewerSlug)
            .Select(g => new ScorecardRow(g.Key, g.First().ReviewerName, g.First().Lens,
                Tools.Select(t => g.FirstOrDefault(v => v.ToolSlug == t.Slug)).ToList()))
            .ToList();

        Title = Curated?.Title ?? string.Join(" vs ", Tools.Select(t => t.Name));
        Question = Curated?.Question ?? DefaultQuestion;
        var path = $"/compare/{Curated?.Slug ?? string.Join("-vs-", slugs)}";
        Meta = new PageMeta($"{Title}: {Question.TrimEnd('?')}? · Verdicts",
            $"{Title}: panel verdict, pricing read, reviewer split and community vote, side by side.", path)
        {
            JsonLd = JsonLd.Comparison(Title, Tools, verdicts),
        };
        TagCache(slugs);
        return Page();
    }

    /// <summary>Current slugs for the requested ones (following former slugs), or null when any is unknown or a draft.</summary>
    private static async Task<List<string>?> ResolveAsync(SqliteConnection connection, string[] requested)
    {
        var rows = (await connection.QueryAsync<(string Requested, string Slug)>("""
            SELECT slug, slug FROM tools WHERE slug IN @requested
            UNION ALL
            SELECT alias, tool_slug FROM tool_aliases WHERE alias IN @requested
            """, new { requested })).ToDictionary(r => r.Requested, r => r.Slug, StringComparer.Ordinal);
        return requested.All(rows.ContainsKey) ? requested.Select(r => rows[r]).ToList() : null;
    }

    private static string Words(int count) => count switch { 3 => "three", 4 => "four", _ => count.ToString(System.Globalization.CultureInfo.InvariantCulture) };
}

/// <summary>Structured data for search engines: the panel's quotes as reviews by the site, ratings only from real votes.</summary>
public static class JsonLd
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = false };

    public static object Application(ToolCard tool, IEnumerable<ShowModel.VerdictRow> verdicts)
    {
        var application = new Dictionary<string, object?>
        {
            ["@type"] = "SoftwareApplication",
            ["name"] = tool.Name,
            ["applicationCategory"] = tool.Category,
            ["description"] = tool.Tagline,
            ["url"] = $"/tools/{tool.Slug}",
            ["review"] = verdicts.Where(v => v.ToolSlug == tool.Slug).Select(v => new Dictionary<string, object>
            {
                ["@type"] = "Review",
                ["name"] = $"{v.Lens}: {v.Verdict}",
                ["reviewBody"] = v.QuoteText,
                ["author"] = new Dictionary<string, string> { ["@type"] = "Organization", ["name"] = "Verdicts" },
            }).ToList(),
        };
        if (tool.Vendor is not null)
            application["publisher"] = new Dictionary<string, string> { ["@type"] = "Organization", ["name"] = tool.Vendor };
        if (tool.CommunityVotes > 0)
        {
            application["aggregateRating"] = new Dictionary<string, object>
            {
                ["@type"] = "AggregateRating",
                ["ratingValue"] = tool.CommunityPercent!.Value,
                ["bestRating"] = 100,
                ["worstRating"] = 0,
                ["ratingCount"] = tool.CommunityVotes,
            };
        }
        return application;
    }

    public static string Comparison(string title, IReadOnlyList<ToolCard> tools, IReadOnlyList<ShowModel.VerdictRow> verdicts) =>
        JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["@context"] = "https://schema.org",
            ["@type"] = "ItemList",
            ["name"] = title,
            ["itemListElement"] = tools.Select((t, i) => new Dictionary<string, object>
            {
                ["@type"] = "ListItem",
                ["position"] = i + 1,
                ["item"] = Application(t, verdicts),
            }).ToList(),
        }, Options);

    public static string Tool(ToolCard tool, IReadOnlyList<ShowModel.VerdictRow> verdicts)
    {
        var application = (Dictionary<string, object?>)Application(tool, verdicts);
        application["@context"] = "https://schema.org";
        return JsonSerializer.Serialize(application, Options);
    }
}
