using Dapper;
using Verdicts.Web.Content;
using Verdicts.Web.Data;
using Verdicts.Web.Pages.Shared;
using Verdicts.Web.Slices;
using Verdicts.Web.Voting;

namespace Verdicts.Web.Pages.Compare;

public static class ComparisonEndpoints
{
    public static void MapComparisons(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/compare/{slug}", GetAndHead.Methods, (string slug, HttpContext context, Database database, VoteTallies tallies) =>
            ComparisonPage.Render(database, slug, context, tallies));
        app.MapMethods("/api/tool-names", GetAndHead.Methods, ComparePicker.NamesAsync);
    }
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
        public string? BottomLineHtml { get; init; }
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
    internal static IResult Render(Database database, string slug, HttpContext context, VoteTallies tallies) =>
        new ComparisonPage(context, tallies).Load(database, slug);

    public PageMeta Meta { get; private set; } = null!;
    public PageHead Head => PageHead.For(Meta, context);
    public ComparisonRow? Curated { get; private set; }
    public IReadOnlyList<ToolCard> Tools { get; private set; } = [];
    public ILookup<string, PlanRow> Plans { get; private set; } = Enumerable.Empty<PlanRow>().ToLookup(p => p.ToolSlug);
    public IReadOnlyList<ScorecardRow> Scorecard { get; private set; } = [];
    public IReadOnlyList<SpecRow> Specs { get; private set; } = [];

    /// <summary>The bottom line computed from the data, for a page without an editor's one (empty when there is one).</summary>
    public IReadOnlyList<SummaryLine> ComputedBottomLine { get; private set; } = [];
    public string Title { get; private set; } = "";
    /// <summary>Other comparisons with these tools (ComparisonAlternatives.cs), shown with the controls that change the tools.</summary>
    public IReadOnlyList<ComparisonAlternatives.Alternative> Alternatives { get; private set; } = [];
    public string Question { get; private set; } = ComparisonQuestion.Default;
    public IReadOnlyDictionary<string, CommunityTrend> Trends { get; private set; } = new Dictionary<string, CommunityTrend>();

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

    /// <summary>The anchor of a reviewer's quote on a tool, which the glance grid links to (slugs never hold "--").</summary>
    public static string QuoteId(string reviewerSlug, string toolSlug) => $"quote-{reviewerSlug}--{toolSlug}";

    /// <summary>Quotes longer than this (in characters of text) fold behind their opening words, so a phone screen is not one quote.</summary>
    public const int FoldQuotesLongerThan = 600;

    /// <summary>The opening words of a long quote, cut at a word boundary, shown while it is folded.</summary>
    public static string Opening(string text)
    {
        const int Length = 240;
        if (text.Length <= Length)
            return text;
        var cut = text.LastIndexOf(' ', Length);
        return text[..(cut > 0 ? cut : Length)].TrimEnd(',', ';', ':', '.', ' ') + "…";
    }

    /// <summary>The vote form for a tool on this page.</summary>
    public Microsoft.AspNetCore.Html.IHtmlContent VoteForm(string slug, string name) => Fragments.VoteForm(context.Request, slug, name);

    private IResult Load(Database database, string slug)
    {
        // A curated comparison with its tools' columns, one row per tool in column order (one row of NULL columns if none
        // is published): one statement, so one snapshot of the database without a transaction around it.
        const string CuratedSql = """
            SELECT c.slug, c.title, c.question, c.intro_html AS IntroHtml, c.published, c.bottom_line_html AS BottomLineHtml, tc.json
              FROM comparisons c
              LEFT JOIN comparison_tools ct ON ct.comparison_slug = c.slug
              LEFT JOIN tool_columns tc ON tc.slug = ct.tool_slug
             WHERE c.slug = @slug
             ORDER BY ct.position
            """;
        using var connection = database.Open();
        var curated = connection.Query<ComparisonRow, ToolColumns.Stored, (ComparisonRow Comparison, ToolColumn? Column)>(CuratedSql,
            (comparison, stored) => (comparison, stored is null ? null : ToolColumns.Of(stored.Json, tallies)),
            new { slug }, splitOn: "json").AsList();
        List<ToolColumn> columns;
        if (curated.Count > 0)
        {
            Curated = curated[0].Comparison;
            columns = [.. curated.Select(r => r.Column).OfType<ToolColumn>()];
        }
        else
        {
            var requested = slug.Split("-vs-");
            // An address with no slug in it at all has nothing to correct: the site's page for addresses it does not know.
            if (!requested.Any(ContentParser.IsValidSlug))
                return Results.NotFound();
            // The slugs resolved, the curated page looked for and the columns read all see the database as the first read found it.
            using var snapshot = connection.BeginTransaction(deferred: true);
            var looked = Resolve(connection, snapshot, requested);
            if (requested.Length is < 2 or > ComparePicker.MaxTools || looked.Contains(null) || looked.Distinct(StringComparer.Ordinal).Count() != looked.Count)
                return WrongTools.Answer(connection, snapshot, requested, looked, context);
            var resolved = looked.OfType<string>().ToList();
            var curatedSlug = connection.QueryFirstOrDefault<string>(
                "SELECT slug FROM comparisons WHERE tool_set = @set ORDER BY published DESC, slug LIMIT 1",
                new { set = ContentImporter.ToolSet(resolved) }, snapshot);
            if (curatedSlug is not null)
                return Results.Redirect($"/compare/{curatedSlug}", permanent: true);
            if (!resolved.SequenceEqual(requested, StringComparer.Ordinal))
                return Results.Redirect($"/compare/{string.Join("-vs-", resolved)}", permanent: true);
            columns = ToolColumns.Load(connection, tallies, resolved, snapshot);
        }

        if (columns.Count < 2)
            return Results.NotFound();
        Tools = [.. columns.Select(c => c.Tool)];
        Trends = CommunityTrend.LoadMany(connection, tallies, [.. Tools.Select(t => t.Slug)],
            DateOnly.FromDateTime(context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime));
        Plans = columns.SelectMany(c => c.Plans).ToLookup(p => p.ToolSlug, StringComparer.Ordinal);
        // Reviewers in scorecard order; a stable sort keeps each reviewer's verdicts in column order.
        var verdicts = columns.SelectMany(c => c.Verdicts)
            .OrderBy(v => v.ReviewerOrder is null).ThenBy(v => v.ReviewerOrder)
            .ThenBy(v => v.ReviewerName, StringComparer.Ordinal).ThenBy(v => v.ReviewerSlug, StringComparer.Ordinal)
            .ToList();
        Scorecard = verdicts.GroupBy(v => v.ReviewerSlug)
            .Select(g => new ScorecardRow(g.Key, g.First().ReviewerName, g.First().Lens,
                Tools.Select(t => g.FirstOrDefault(v => v.ToolSlug == t.Slug)).ToList()))
            .ToList();

        Alternatives = ComparisonAlternatives.For(connection, Tools);
        Specs = SpecsTable.Of(Tools);
        ComputedBottomLine = Curated?.BottomLineHtml is null ? ComputedSummary.Of(Tools) : [];
        Title = ComparisonTitle.Of(Curated?.Title, Tools.Select(t => t.Name));
        Question = Curated?.Question ?? ComparisonQuestion.Default;
        // One address per set of tools, whatever the order the visitor chose for the columns.
        var path = $"/compare/{Curated?.Slug ?? string.Join("-vs-", Tools.Select(t => t.Slug).Order(StringComparer.Ordinal))}";
        Meta = new PageMeta($"{Title}: {Question.TrimEnd('?')}? · Verdicts",
            $"{Title}: panel verdict, pricing read, reviewer split and community vote, side by side.", path)
        {
            JsonLd = JsonLd.Comparison(context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<VerdictsOptions>>().Value.SiteUrl,
                path, Title, Tools, verdicts),
            Image = (Sharing.ShareCard.PathFor(path), new Sharing.ShareCard(Title, null, Tools).Alt),
        };
        CacheTags.TagTools(context, Tools.Select(t => t.Slug));
        return SlicePage.Html(Comparison.Create(this));
    }

    /// <summary>
    /// The current slug for each requested one (following former slugs), null where it names no published tool; only the
    /// first few are looked up, which is all an address that names too many needs. The API resolves its generated comparisons with it too.
    /// </summary>
    internal static List<string?> Resolve(Microsoft.Data.Sqlite.SqliteConnection connection, Microsoft.Data.Sqlite.SqliteTransaction snapshot, string[] requested)
    {
        var asked = requested.Take(WrongTools.MaxLookedUp).ToList();
        requested = [.. asked.Where(ContentParser.IsValidSlug)];
        const string Sql = """
            SELECT slug AS Requested, slug FROM tools WHERE slug IN @requested
            UNION ALL
            SELECT alias, tool_slug FROM tool_aliases WHERE alias IN @requested
            """;
        var rows = connection.Query<(string Requested, string Slug)>(Sql, new { requested }, snapshot)
            .ToDictionary(r => r.Requested, r => r.Slug, StringComparer.Ordinal);
        return [.. asked.Select(r => rows.GetValueOrDefault(r))];
    }

    private static string Words(int count) => count switch { 3 => "three", 4 => "four", _ => count.ToString(System.Globalization.CultureInfo.InvariantCulture) };
}
