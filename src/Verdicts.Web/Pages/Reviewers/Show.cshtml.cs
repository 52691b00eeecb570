using Dapper;
using Microsoft.AspNetCore.Mvc;
using Verdicts.Web.Data;

namespace Verdicts.Web.Pages.Reviewers;

public sealed class ShowModel(Database database) : SitePageModel
{
    public sealed record ReviewerRow
    {
        public required string Slug { get; init; }
        public required string Name { get; init; }
        public required string Lens { get; init; }
        public required string BioHtml { get; init; }
    }

    public sealed record VerdictRow
    {
        public required string ToolSlug { get; init; }
        public required string ToolName { get; init; }
        public required string Verdict { get; init; }
        public required string QuoteHtml { get; init; }
        public string? Date { get; init; }
    }

    public ReviewerRow Reviewer { get; private set; } = null!;
    public IReadOnlyList<VerdictRow> Verdicts { get; private set; } = [];
    public long Ships => Verdicts.Count(v => v.Verdict == "ship");
    public int? ShipRate => Figures.ShipPercent(Ships, Verdicts.Count - Ships);

    public async Task<IActionResult> OnGetAsync(string slug)
    {
        using var connection = database.Open();
        var reviewer = await connection.QuerySingleOrDefaultAsync<ReviewerRow>(
            "SELECT slug, name, lens, bio_html AS BioHtml FROM reviewers WHERE slug = @slug", new { slug });
        if (reviewer is null)
            return NotFound();
        Reviewer = reviewer;
        Verdicts = (await connection.QueryAsync<VerdictRow>("""
            SELECT v.tool_slug AS ToolSlug, t.name AS ToolName, v.verdict, v.quote_html AS QuoteHtml, v.date
            FROM verdicts v JOIN tools t ON t.slug = v.tool_slug
            WHERE v.reviewer_slug = @slug
            ORDER BY t.name
            """, new { slug })).ToList();
        Meta = new PageMeta($"{reviewer.Name}, {reviewer.Lens} · Verdicts",
            $"{reviewer.Name} reviews AI tools through the {reviewer.Lens} lens: every verdict and the reasons.", $"/reviewers/{slug}");
        TagCache(Verdicts.Select(v => v.ToolSlug));
        return Page();
    }
}
