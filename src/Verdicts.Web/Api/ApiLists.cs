using System.Globalization;
using Dapper;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.OpenApi;
using Verdicts.Web.Content;
using Verdicts.Web.Data;
using Verdicts.Web.Pages;
using Verdicts.Web.Pages.Compare;
using Verdicts.Web.Pages.Shared;
using Verdicts.Web.Voting;
using static Verdicts.Web.Api.ApiEndpoints;
using Tally = Verdicts.Web.Api.ApiEndpoints.Tally;

namespace Verdicts.Web.Api;

/// <summary>
/// The API's lists (tools, comparisons, a reviewer's verdicts), one page at a time, and comparisons of any two to four
/// tools. Each reads what the matching page reads, through the same queries, so the figures agree with the pages.
/// </summary>
public static class ApiLists
{
    public const int DefaultLimit = 50;

    public const int MaxLimit = 100;

    /// <summary>One page of a list; <paramref name="Next"/> is the address of the following page, null on the last.</summary>
    public sealed record ListPage<T>(IReadOnlyList<T> Items, int Page, int Limit, long Total, string? Next);

    public sealed record ToolSummaryJson(string Slug, string Name, string Category, string CategorySlug, string Tagline, string Url,
        string EntryPrice, Tally Panel, CommunityJson Community);

    public sealed record ComparisonSummaryJson(string Slug, string Title, string Question, string Published, string Url, IReadOnlyList<string> Tools);

    /// <summary>A comparison no editor wrote: its bottom line is the one the page computes from the figures.</summary>
    public sealed record GeneratedComparisonJson(string Slug, string Title, string Question, string Url, IReadOnlyList<SummaryLine> BottomLine,
        IReadOnlyList<ToolJson> Tools);

    /// <summary>A reviewer, the tally of all their verdicts, and one page of the verdicts.</summary>
    public sealed record ReviewerJson(string Slug, string Name, string Lens, string Url, Tally Tally, ListPage<ReviewerVerdictJson> Verdicts);

    public sealed record ReviewerVerdictJson(string Tool, string ToolName, string ToolUrl, string Verdict, string Quote, string? Date);

    /// <summary>The page and size a list request asks for, or the problem with them.</summary>
    private readonly record struct Paged(int Number, int Limit)
    {
        public int Offset => (Number - 1) * Limit;
    }

    public static void MapApiLists(this RouteGroupBuilder api)
    {
        api.MapMethods("/tools", GetAndHead.Methods, ToolsAsync).WithSummary("Published tools by name, one page at a time, optionally of one category")
            .Produces<ListPage<ToolSummaryJson>>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapMethods("/comparisons", GetAndHead.Methods, ComparisonsAsync).WithSummary("Curated comparisons, newest first, optionally only those with a tool of one category")
            .Produces<ListPage<ComparisonSummaryJson>>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapMethods("/compare/{tools}", GetAndHead.Methods, Compare)
            .WithSummary("Two to four tools side by side, slugs joined by -vs- in slug order; other orders and former slugs redirect there, and a set an editor compared redirects to its comparison")
            .Produces<GeneratedComparisonJson>().Produces(StatusCodes.Status301MovedPermanently)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapMethods("/reviewers/{slug}", GetAndHead.Methods, ReviewerAsync).WithSummary("A reviewer and their verdicts by tool name, one page at a time")
            .Produces<ReviewerJson>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> ToolsAsync(string? category, string? page, string? limit, Database database, VoteTallies tallies, HttpContext context)
    {
        if (Read(page, limit) is not { } paged)
            return BadPaging();
        using var connection = database.Open();
        // Two statements rather than "@category IS NULL OR ...", which would keep SQLite from counting off the category's index.
        const string CountAll = "SELECT count(*) FROM tools";
        const string CountInCategory = "SELECT count(*) FROM tools WHERE category_slug = @category";
        var total = await connection.ExecuteScalarAsync<long>(category is null ? CountAll : CountInCategory, new { category });
        if (category is not null && total == 0)
            return NotFound($"No category '{category}'.");
        if (Beyond(paged, total) is { } beyond)
            return beyond;
        var tools = category is null
            ? ToolCard.ByName(connection, tallies, paged.Offset, paged.Limit)
            : ToolCard.InCategory(connection, tallies, category, paged.Offset, paged.Limit);
        CacheTags.TagTools(context, tools.Select(t => t.Slug));
        return Answer(context, PageOf(context.Request, paged, total, tools.Select(t => new ToolSummaryJson(t.Slug, t.Name, t.Category,
            t.CategorySlug, t.Tagline, $"/tools/{t.Slug}", t.EntryPrice, new Tally(t.PanelShip, t.PanelSkip, t.PanelPercent), t.Community.ToJson()))));
    }

    private static async Task<IResult> ComparisonsAsync(string? category, string? page, string? limit, Database database, HttpContext context)
    {
        if (Read(page, limit) is not { } paged)
            return BadPaging();
        using var connection = database.Open();
        if (category is not null && await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM tools WHERE category_slug = @category", new { category }) == 0)
            return NotFound($"No category '{category}'.");
        const string InCategory = """
            (@category IS NULL OR c.slug IN (
                SELECT ct.comparison_slug FROM comparison_tools ct JOIN tools t ON t.slug = ct.tool_slug WHERE t.category_slug = @category))
            """;
        const string CountSql = $"SELECT count(*) FROM comparisons c WHERE {InCategory}";
        var total = await connection.ExecuteScalarAsync<long>(CountSql, new { category });
        if (Beyond(paged, total) is { } beyond)
            return beyond;
        const string PageSql = $"{Pages.IndexModel.ComparisonCards} WHERE {InCategory} ORDER BY c.published DESC, c.slug LIMIT @count OFFSET @offset";
        var cards = (await connection.QueryAsync<Pages.IndexModel.ComparisonCard>(PageSql,
            new { category, question = ComparisonQuestion.Default, count = paged.Limit, offset = paged.Offset })).AsList();
        const string ToolsSql = "SELECT comparison_slug, tool_slug FROM comparison_tools WHERE comparison_slug IN @slugs ORDER BY comparison_slug, position";
        var tools = (await connection.QueryAsync<(string Comparison, string Tool)>(ToolsSql, new { slugs = cards.Select(c => c.Slug) }))
            .ToLookup(r => r.Comparison, r => r.Tool, StringComparer.Ordinal);
        return Answer(context, PageOf(context.Request, paged, total, cards.Select(c =>
            new ComparisonSummaryJson(c.Slug, c.Title, c.Question, c.Published, $"/compare/{c.Slug}", [.. tools[c.Slug]]))));
    }

    private static IResult Compare(string tools, Database database, VoteTallies tallies, HttpContext context)
    {
        var requested = tools.Split("-vs-");
        if (requested.Length is < 2 or > ComparePicker.MaxTools)
            return BadRequest($"A comparison takes two to {ComparePicker.MaxTools} tools, their slugs joined by -vs-; this address names {requested.Length}.");
        if (requested.FirstOrDefault(s => !ContentParser.IsValidSlug(s)) is { } bad)
            return NotFound($"No tool '{bad}'.");
        using var connection = database.Open();
        // The slugs resolved, the curated comparison looked for and the columns read all see one state of the database.
        using var snapshot = connection.BeginTransaction(deferred: true);
        var looked = ComparisonPage.Resolve(connection, snapshot, requested);
        if (looked.IndexOf(null) is var unknown and >= 0)
            return NotFound($"No tool '{requested[unknown]}'.");
        var resolved = looked.OfType<string>().ToList();
        if (resolved.Distinct(StringComparer.Ordinal).Count() != resolved.Count)
            return BadRequest("A tool appears twice: compare two to four different tools.");
        var curated = connection.QueryFirstOrDefault<string>("SELECT slug FROM comparisons WHERE tool_set = @set ORDER BY published DESC, slug LIMIT 1",
            new { set = ContentImporter.ToolSet(resolved) }, snapshot);
        if (curated is not null)
            return Results.Redirect($"/api/comparisons/{curated}", permanent: true);
        // One address per set of tools, as the page's canonical address: slugs in ordinal order.
        var canonical = resolved.Order(StringComparer.Ordinal).ToList();
        var slug = string.Join("-vs-", canonical);
        if (!canonical.SequenceEqual(requested, StringComparer.Ordinal))
            return Results.Redirect($"/api/compare/{slug}", permanent: true);
        var columns = ToolColumns.Load(connection, tallies, canonical, snapshot);
        var cards = columns.Select(c => c.Tool).ToList();
        CacheTags.TagTools(context, canonical);
        return Answer(context, new GeneratedComparisonJson(slug, ComparisonTitle.Of(null, cards.Select(t => t.Name)), ComparisonQuestion.Default,
            $"/compare/{slug}", ComputedSummary.Of(cards), [.. columns.Select(ToJson)]));
    }

    private static async Task<IResult> ReviewerAsync(string slug, string? page, string? limit, Database database, HttpContext context)
    {
        if (Read(page, limit) is not { } paged)
            return BadPaging();
        using var connection = database.Open();
        if (await Pages.Reviewers.ShowModel.FindAsync(connection, slug) is not { } reviewer)
            return NotFound($"No reviewer '{slug}'.");
        var (ships, skips) = await Pages.Reviewers.ShowModel.CountAsync(connection, slug);
        if (Beyond(paged, ships + skips) is { } beyond)
            return beyond;
        var verdicts = await Pages.Reviewers.ShowModel.VerdictsAsync(connection, slug, paged.Limit, paged.Offset);
        var items = PageOf(context.Request, paged, ships + skips,
            verdicts.Select(v => new ReviewerVerdictJson(v.ToolSlug, v.ToolName, $"/tools/{v.ToolSlug}", v.Verdict, v.QuoteText, v.Date)));
        return Answer(context, new ReviewerJson(reviewer.Slug, reviewer.Name, reviewer.Lens, $"/reviewers/{reviewer.Slug}",
            new Tally(ships, skips, Figures.ShipPercent(ships, skips)), items));
    }

    /// <summary>The paging the query asks for: page from 1 (default 1), limit from 1 to <see cref="MaxLimit"/> (default <see cref="DefaultLimit"/>); null if malformed.</summary>
    /// <remarks>
    /// Bound as text rather than numbers: a number the binder cannot read would be answered with an empty 400. An empty
    /// value binds as none, and is read as none, as the output cache keys it.
    /// </remarks>
    private static Paged? Read(string? page, string? limit)
    {
        if (Whole(page, 1) is not { } number || Whole(limit, DefaultLimit) is not { } size || size > MaxLimit)
            return null;
        return new Paged(number, size);

        // A key given twice arrives joined by a comma, which is no number.
        static int? Whole(string? value, int absent) =>
            value is null ? absent : int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 ? n : null;
    }

    private static IResult BadPaging() =>
        BadRequest($"page is a whole number from 1, limit a whole number from 1 to {MaxLimit} (default {DefaultLimit}); each given at most once.");

    /// <summary>A 400 for a page past the last one; the first page of an empty list exists.</summary>
    private static IResult? Beyond(Paged paged, long total) =>
        paged.Number == 1 || paged.Offset < total ? null
        : BadRequest(string.Create(CultureInfo.InvariantCulture, $"There is no page {paged.Number}: {total} items make {(total + paged.Limit - 1) / paged.Limit} pages of {paged.Limit}."));

    private static ListPage<T> PageOf<T>(HttpRequest request, Paged paged, long total, IEnumerable<T> items)
    {
        string? next = null;
        if ((long)paged.Number * paged.Limit < total)
        {
            var query = QueryHelpers.ParseQuery(request.QueryString.Value);
            query["page"] = (paged.Number + 1).ToString(CultureInfo.InvariantCulture);
            query["limit"] = paged.Limit.ToString(CultureInfo.InvariantCulture);
            // Only the keys the list reads, in a fixed order, so every next link of a list is one cached answer.
            next = QueryHelpers.AddQueryString(request.Path, query.Where(q => q.Key is "category" or "page" or "limit").OrderBy(q => q.Key, StringComparer.Ordinal)
                .Select(q => KeyValuePair.Create(q.Key, (string?)q.Value.ToString())));
        }
        return new ListPage<T>([.. items], paged.Number, paged.Limit, total, next);
    }

    private static IResult BadRequest(string detail) => Results.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "Bad request");

    private static IResult NotFound(string detail) => Results.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not found");

    /// <summary>A 200 answer, kept by the output cache like a page and by clients for a minute (votes move the figures).</summary>
    internal static IResult Answer<T>(HttpContext context, T value)
    {
        context.Response.Headers.CacheControl = CacheControl;
        return Results.Ok(value);
    }

    public const string CacheControl = "public, max-age=60";

    /// <summary>page and limit are read as text (<see cref="Read"/>) but are whole numbers, and the document says so.</summary>
    internal static Task DescribePaging(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
        {
            (parameter.Schema, parameter.Description) = parameter.Name switch
            {
                "page" => (new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "1", Default = 1 }, "The page, from 1; past the last page is a 400."),
                "limit" => (new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "1", Maximum = MaxLimit.ToString(CultureInfo.InvariantCulture), Default = DefaultLimit },
                    $"Items a page, at most {MaxLimit}."),
                "category" => (parameter.Schema, "A category's slug, as in /categories/{slug}; an unknown one is a 404."),
                _ => (parameter.Schema, parameter.Description),
            };
        }
        return Task.CompletedTask;
    }
}
