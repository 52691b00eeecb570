using Dapper;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Verdicts.Web.Data;
using Verdicts.Web.Pages.Shared;

namespace Verdicts.Web.Pages.Reviewers;

public sealed class ShowModel(Database database, IOptions<VerdictsOptions> options) : SitePageModel
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
    public long Ships { get; private set; }
    public long Skips { get; private set; }
    public int? ShipRate => Figures.ShipPercent(Ships, Skips);
    public Paging Paging { get; private set; } = null!;

    // Model binding turns a slug of only whitespace (/reviewers/%20) into null.
    public async Task<IActionResult> OnGetAsync(string? slug)
    {
        if (slug is null || Paging.Requested(Request) is not { } number)
            return NotFound();
        using var connection = database.Open();
        var reviewer = await connection.QuerySingleOrDefaultAsync<ReviewerRow>(
            "SELECT slug, name, lens, bio_html AS BioHtml FROM reviewers WHERE slug = @slug", new { slug });
        if (reviewer is null)
            return NotFound();
        Reviewer = reviewer;
        (Ships, Skips) = await connection.QuerySingleAsync<(long, long)>("""
            SELECT count(*) FILTER (WHERE verdict = 'ship'), count(*) FILTER (WHERE verdict = 'skip')
            FROM verdicts WHERE reviewer_slug = @slug
            """, new { slug });
        Paging = new Paging(number, options.Value.ListPageSize, Ships + Skips, $"/reviewers/{slug}");
        if (!Paging.Exists)
            return NotFound();
        Verdicts = (await connection.QueryAsync<VerdictRow>("""
            SELECT v.tool_slug AS ToolSlug, t.name AS ToolName, v.verdict, v.quote_html AS QuoteHtml, v.date
            FROM verdicts v JOIN tools t ON t.slug = v.tool_slug
            WHERE v.reviewer_slug = @slug
            ORDER BY t.name, t.slug
            LIMIT @count OFFSET @offset
            """, new { slug, count = Paging.Size, offset = Paging.Offset })).ToList();
        Meta = new PageMeta($"{reviewer.Name}, {reviewer.Lens}{(number > 1 ? $", page {number}" : "")} · Verdicts",
            $"{reviewer.Name} reviews AI tools through the {reviewer.Lens} lens: every verdict and the reasons.", Paging.Link(number));
        TagCache(Verdicts.Select(v => v.ToolSlug));
        return Page();
    }
}
