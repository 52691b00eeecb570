using Dapper;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Data.Sqlite;
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
        public required string QuoteText { get; init; }
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
        var reviewer = await FindAsync(connection, slug);
        if (reviewer is null)
            return NotFound();
        Reviewer = reviewer;
        (Ships, Skips) = await CountAsync(connection, slug);
        Paging = new Paging(number, options.Value.ListPageSize, Ships + Skips, $"/reviewers/{slug}");
        if (!Paging.Exists)
            return NotFound();
        Verdicts = await VerdictsAsync(connection, slug, Paging.Size, Paging.Offset);
        Meta = new PageMeta($"{reviewer.Name}, {reviewer.Lens}{(number > 1 ? $", page {number}" : "")} · Verdicts",
            $"{reviewer.Name} reviews AI tools through the {reviewer.Lens} lens: every verdict and the reasons.", Paging.Link(number));
        TagCache(Verdicts.Select(v => v.ToolSlug));
        return Page();
    }

    // The reviewer's queries, shared with their verdicts in the API (Api/ApiLists.cs).
    internal static Task<ReviewerRow?> FindAsync(SqliteConnection connection, string slug) =>
        connection.QuerySingleOrDefaultAsync<ReviewerRow>("SELECT slug, name, lens, bio_html AS BioHtml FROM reviewers WHERE slug = @slug", new { slug });

    internal static Task<(long Ships, long Skips)> CountAsync(SqliteConnection connection, string slug) =>
        connection.QuerySingleAsync<(long, long)>("""
            SELECT count(*) FILTER (WHERE verdict = 'ship'), count(*) FILTER (WHERE verdict = 'skip')
            FROM verdicts WHERE reviewer_slug = @slug
            """, new { slug });

    /// <summary>One page of the reviewer's verdicts, by tool name.</summary>
    internal static async Task<List<VerdictRow>> VerdictsAsync(SqliteConnection connection, string slug, int count, int offset) =>
        (await connection.QueryAsync<VerdictRow>("""
            SELECT v.tool_slug AS ToolSlug, t.name AS ToolName, v.verdict, v.quote_html AS QuoteHtml, v.quote_text AS QuoteText, v.date
            FROM verdicts v JOIN tools t ON t.slug = v.tool_slug
            WHERE v.reviewer_slug = @slug
            ORDER BY t.name, t.slug
            LIMIT @count OFFSET @offset
            """, new { slug, count, offset })).AsList();
}
