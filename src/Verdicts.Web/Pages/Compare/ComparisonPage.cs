using Verdicts.Web.Content;
using Verdicts.Web.Data;
using Verdicts.Web.Pages.Shared;
using Verdicts.Web.Slices;
using Verdicts.Web.Voting;

namespace Verdicts.Web.Pages.Compare;

public static class ComparisonEndpoints
{
    public static void MapComparisons(this IEndpointRouteBuilder app) =>
        app.MapMethods("/compare/{slug}", [HttpMethods.Get, HttpMethods.Head], (string slug, HttpContext context, Database database, VoteTallies tallies) =>
        {
            using var db = database.Read();
            return ComparisonPage.Render(db, slug, context, tallies);
        });
}

/// <summary>
/// The comparison page, for a curated comparison (<c>/compare/{slug}</c>) or any published tools joined by
/// <c>-vs-</c>; a generated address whose tools a curated comparison covers redirects there.
/// </summary>
/// <remarks>
/// The site's most visited page, so it is drawn by a Razor Slice (<c>Comparison.cshtml</c>, beside this file) from a plain
/// endpoint rather than by a Razor Page: the page pipeline and its view buffer cost an uncached comparison much of its CPU
/// (bench/README.md). The model still runs its own queries, as the pages' models do.
/// </remarks>
public sealed class ComparisonPage
{
    public sealed record ComparisonRow
    {
        public required string Slug { get; init; }
        public string? Title { get; init; }
        public string? Question { get; init; }
        public required string IntroHtml { get; init; }
        public required string Published { get; init; }
    }

    /// <summary>One reviewer's row of the scorecard: a verdict (or none) per compared tool, in column order.</summary>
    public sealed record ScorecardRow(string ReviewerSlug, string ReviewerName, string Lens, IReadOnlyList<VerdictRow?> Verdicts)
    {
        public bool Splits { get; } = Verdicts.Where(v => v is not null).Select(v => v!.Verdict).Distinct().Count() > 1;
    }

    private readonly HttpContext context;
    private readonly VoteTallies tallies;

    private ComparisonPage(HttpContext context, VoteTallies tallies) => (this.context, this.tallies) = (context, tallies);

    /// <summary>The page for <paramref name="slug"/>: drawn, a redirect to its current address, or not found.</summary>
    internal static IResult Render(ReadSession db, string slug, HttpContext context, VoteTallies tallies) =>
        new ComparisonPage(context, tallies).Load(db, slug);

    public PageMeta Meta { get; private set; } = null!;
    public PageHead Head => PageHead.For(Meta, context);
    public ComparisonRow? Curated { get; private set; }
    public IReadOnlyList<ToolCard> Tools { get; private set; } = [];
    public ILookup<string, PlanRow> Plans { get; private set; } = Enumerable.Empty<PlanRow>().ToLookup(p => p.ToolSlug);
    public IReadOnlyList<ScorecardRow> Scorecard { get; private set; } = [];
    public string Title { get; private set; } = "";
    public string Question { get; private set; } = ComparisonQuestion.Default;

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

    /// <summary>The vote form for a tool on this page.</summary>
    public Microsoft.AspNetCore.Html.IHtmlContent VoteForm(string slug, string name) => Fragments.VoteForm(context.Request, slug, name);

    // Everything the page shows about its tools, in one statement over `picked(position, slug)`: the tools' cards (kind 1),
    // their plans (2) and the panel's verdicts (3), each row with its tool's column. Kinds share the columns, padded with
    // NULL; the page puts the rows in order. One statement rather than four reads one snapshot of the database without
    // a transaction around them, and on this, the most visited page, a statement's fixed cost is much of the work.
    private const string ToolRowsSql = $"""
        SELECT 1, p.position, {ToolCard.Columns}
          FROM picked p JOIN tools t ON t.slug = p.slug
        UNION ALL
        SELECT 2, p.position, tp.position, tp.name, tp.price, tp.notes, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
          FROM picked p JOIN tool_plans tp ON tp.tool_slug = p.slug
        UNION ALL
        SELECT 3, p.position, v.verdict, v.quote_html, v.quote_text, r.slug, r.name, r.lens, r.sort_order, NULL, NULL, NULL, NULL, NULL, NULL, NULL
          FROM picked p JOIN verdicts v ON v.tool_slug = p.slug JOIN reviewers r ON r.slug = v.reviewer_slug
        """;

    // A curated comparison (kind 0) with its tools' rows; no rows at all when no comparison has the slug.
    private const string CuratedRowsSql = $"""
        WITH picked(position, slug) AS (SELECT position, tool_slug FROM comparison_tools WHERE comparison_slug = @slug)
        SELECT 0, 0, c.slug, c.title, c.question, c.intro_html, c.published, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
          FROM comparisons c WHERE c.slug = @slug
        UNION ALL
        {ToolRowsSql}
        """;

    // The rows of tools named in the address, in the order named.
    private const string GeneratedRowsSql = $"""
        WITH picked(position, slug) AS (SELECT key, value FROM json_each(@slugs))
        {ToolRowsSql}
        """;

    private IResult Load(ReadSession db, string slug)
    {
        var rows = new PageRows(tallies);
        db.ForEachRow(CuratedRowsSql, new { slug }, rows.Add);
        if (rows.Comparison is { } curated)
        {
            Curated = curated;
        }
        else
        {
            var requested = slug.Split("-vs-");
            if (requested.Length is < 2 or > 4 || !requested.All(ContentParser.IsValidSlug))
                return Results.NotFound();
            // The slugs resolved, the curated page looked for and the rows read all see the database as it was at the first.
            db.BeginSnapshot();
            var resolved = Resolve(db, requested);
            if (resolved is null || resolved.Distinct(StringComparer.Ordinal).Count() != resolved.Count)
                return Results.NotFound();
            var curatedSlug = db.QueryFirstOrDefault<string>(
                "SELECT slug FROM comparisons WHERE tool_set = @set ORDER BY published DESC, slug LIMIT 1",
                new { set = ContentImporter.ToolSet(resolved) });
            if (curatedSlug is not null)
                return Results.Redirect($"/compare/{curatedSlug}", permanent: true);
            if (!resolved.SequenceEqual(requested, StringComparer.Ordinal))
                return Results.Redirect($"/compare/{string.Join("-vs-", resolved)}", permanent: true);
            db.ForEachRow(GeneratedRowsSql, new { slugs = SlugList.Json(resolved) }, rows.Add);
        }

        Tools = rows.Tools();
        if (Tools.Count < 2)
            return Results.NotFound();
        var slugs = Tools.Select(t => t.Slug).ToList();
        Plans = rows.Plans().ToLookup(p => p.ToolSlug, StringComparer.Ordinal);
        var verdicts = rows.Verdicts();
        Scorecard = verdicts.GroupBy(v => v.ReviewerSlug)
            .Select(g => new ScorecardRow(g.Key, g.First().ReviewerName, g.First().Lens,
                Tools.Select(t => g.FirstOrDefault(v => v.ToolSlug == t.Slug)).ToList()))
            .ToList();

        Title = ComparisonTitle.Of(Curated?.Title, Tools.Select(t => t.Name));
        Question = Curated?.Question ?? ComparisonQuestion.Default;
        var path = $"/compare/{Curated?.Slug ?? string.Join("-vs-", slugs)}";
        Meta = new PageMeta($"{Title}: {Question.TrimEnd('?')}? · Verdicts",
            $"{Title}: panel verdict, pricing read, reviewer split and community vote, side by side.", path)
        {
            JsonLd = JsonLd.Comparison(Title, Tools, verdicts),
        };
        CacheTags.TagTools(context, slugs);
        return SlicePage.Html(Comparison.Create(this));
    }

    /// <summary>The rows of <see cref="CuratedRowsSql"/> or <see cref="GeneratedRowsSql"/>, read by kind, then put in the page's order.</summary>
    private sealed class PageRows(VoteTallies tallies)
    {
        private readonly List<(long Position, ToolCard Tool)> tools = [];
        private readonly List<(long Position, long Order, PlanRow Plan)> plans = [];
        private readonly List<(long Position, long? ReviewerOrder, VerdictRow Verdict)> verdicts = [];

        public ComparisonRow? Comparison { get; private set; }

        public void Add(Microsoft.Data.Sqlite.SqliteDataReader row)
        {
            switch (row.GetInt64(0))
            {
                case 0:
                    Comparison = new ComparisonRow
                    {
                        Slug = row.GetString(2),
                        Title = row.IsDBNull(3) ? null : row.GetString(3),
                        Question = row.IsDBNull(4) ? null : row.GetString(4),
                        IntroHtml = row.GetString(5),
                        Published = row.GetString(6),
                    };
                    break;
                case 1:
                    tools.Add((row.GetInt64(1), ToolCard.Read(row, tallies, 2)));
                    break;
                case 2:
                    // The tool's slug is filled in from its card once all rows are read.
                    plans.Add((row.GetInt64(1), row.GetInt64(2), new PlanRow
                    {
                        ToolSlug = "",
                        Name = row.GetString(3),
                        Price = row.GetString(4),
                        Notes = row.IsDBNull(5) ? null : row.GetString(5),
                    }));
                    break;
                case 3:
                    // As with plans, the tool's slug is filled in once all rows are read.
                    verdicts.Add((row.GetInt64(1), row.IsDBNull(8) ? null : row.GetInt64(8), VerdictRow.Read(row, 2, toolSlug: "")));
                    break;
            }
        }

        /// <summary>The cards in column order.</summary>
        public List<ToolCard> Tools() => [.. tools.OrderBy(t => t.Position).Select(t => t.Tool)];

        /// <summary>Each tool's plans in their order, tools in column order.</summary>
        public List<PlanRow> Plans() => [.. plans.OrderBy(p => p.Position).ThenBy(p => p.Order)
            .Select(p => SlugAt(p.Position) is { } slug ? p.Plan with { ToolSlug = slug } : null).OfType<PlanRow>()];

        /// <summary>The verdicts, reviewers in scorecard order (as <see cref="VerdictRow.Load"/> gives them).</summary>
        public List<VerdictRow> Verdicts() => [.. verdicts
            .OrderBy(v => v.ReviewerOrder is null).ThenBy(v => v.ReviewerOrder).ThenBy(v => v.Verdict.ReviewerName, StringComparer.Ordinal)
            .ThenBy(v => v.Verdict.ReviewerSlug, StringComparer.Ordinal).ThenBy(v => v.Position)
            .Select(v => SlugAt(v.Position) is { } slug ? v.Verdict with { ToolSlug = slug } : null).OfType<VerdictRow>()];

        private string? SlugAt(long position)
        {
            foreach (var (at, tool) in tools)
            {
                if (at == position)
                    return tool.Slug;
            }
            return null;
        }
    }

    /// <summary>Current slugs for the requested ones (following former slugs), or null when any is unknown or a draft.</summary>
    private static List<string>? Resolve(ReadSession db, string[] requested)
    {
        var rows = db.Query<(string Requested, string Slug)>("""
            SELECT slug, slug FROM tools WHERE slug IN (SELECT value FROM json_each(@requested))
            UNION ALL
            SELECT alias, tool_slug FROM tool_aliases WHERE alias IN (SELECT value FROM json_each(@requested))
            """, new { requested = SlugList.Json(requested) }).ToDictionary(r => r.Requested, r => r.Slug, StringComparer.Ordinal);
        return requested.All(rows.ContainsKey) ? requested.Select(r => rows[r]).ToList() : null;
    }

    private static string Words(int count) => count switch { 3 => "three", 4 => "four", _ => count.ToString(System.Globalization.CultureInfo.InvariantCulture) };
}
