using Dapper;
using Microsoft.Extensions.Options;
using Verdicts.Web.Data;
using Verdicts.Web.Pages.Shared;
using Verdicts.Web.Voting;

namespace Verdicts.Web.Pages;

public sealed class IndexModel(Database database, VoteTallies tallies, IOptions<VerdictsOptions> options) : SitePageModel
{
    public sealed record ComparisonCard
    {
        public required string Slug { get; init; }
        public required string Title { get; init; }
        public required string Question { get; init; }
        public required string Published { get; init; }
        public long Featured { get; init; }
    }

    public IReadOnlyList<ComparisonCard> Featured { get; private set; } = [];
    public IReadOnlyList<ComparisonCard> Latest { get; private set; } = [];
    public IReadOnlyList<Verdicts.Web.Pages.Categories.IndexModel.Category> Categories { get; private set; } = [];
    /// <summary>The first few tools of each category, by name.</summary>
    public ILookup<string, ToolCard> FirstTools { get; private set; } = Enumerable.Empty<ToolCard>().ToLookup(t => t.CategorySlug);
    public ComparePicker Picker { get; private set; } = new(null);

    public void OnGet()
    {
        using var connection = database.Open();
        var comparisons = connection.Query<ComparisonCard>(ComparisonCards + """
             WHERE c.featured = 1 OR c.slug IN (SELECT slug FROM comparisons ORDER BY published DESC, slug LIMIT 6)
             ORDER BY c.published DESC, c.slug
            """, new { question = ComparisonQuestion.Default }).AsList();
        Featured = comparisons.Where(c => c.Featured == 1).Take(4).ToList();
        Latest = comparisons.Where(c => !Featured.Contains(c)).Take(6).ToList();
        Categories = Verdicts.Web.Pages.Categories.IndexModel.All(connection);
        FirstTools = ToolCard.FirstOfEachCategory(connection, tallies, options.Value.HomeToolsPerCategory).ToLookup(t => t.CategorySlug, StringComparer.Ordinal);
        Picker = ComparePicker.Load(connection, options.Value.CompareListLimit);
        TagCache(FirstTools.SelectMany(tools => tools).Select(t => t.Slug));
        Meta = new PageMeta("Verdicts: side-by-side verdicts on AI tools for developers",
            "Compare AI tools side by side: a four-lens reviewer panel, community ship/skip votes and plain pricing.", "/");
    }

    /// <summary>Comparisons with their display title.</summary>
    public const string ComparisonCards = $"""
        SELECT c.slug, c.published, c.featured, coalesce(c.question, @question) AS Question, {ComparisonTitle.Sql} AS Title
        FROM comparisons c
        """;
}
