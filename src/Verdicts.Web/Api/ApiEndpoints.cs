using Dapper;
using Microsoft.Data.Sqlite;
using Verdicts.Web.Data;
using Verdicts.Web.Pages;
using Verdicts.Web.Voting;

namespace Verdicts.Web.Api;

/// <summary>Read-only JSON for the figures the pages show; same queries, same rounding.</summary>
public static class ApiEndpoints
{
    public sealed record Tally(long Ship, long Skip, int? Percent);

    public sealed record Pricing(string Entry, IReadOnlyList<Plan> Plans);

    public sealed record Plan(string Name, string Price, string? Notes);

    public sealed record ToolJson(string Slug, string Name, string Category, string CategorySlug, string Tagline, string Url,
        Pricing Pricing, Tally Panel, CommunityJson Community);

    public sealed record ComparisonJson(string Slug, string Title, string Question, string Published, string Url, IReadOnlyList<ToolJson> Tools);

    /// <summary>The OpenAPI document (<c>/openapi/v1.json</c>), describing the <c>/api</c> endpoints only.</summary>
    public static IServiceCollection AddApi(this IServiceCollection services) => services.AddOpenApi(openApi =>
    {
        openApi.ShouldInclude = description => description.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true;
        openApi.AddOperationTransformer(ApiLists.DescribePaging);
    });

    public static void MapApi(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi().AlsoAnswerHead();
        var api = app.MapGroup("/api");
        api.MapApiLists();
        api.MapMethods("/tools/{slug}", GetAndHead.Methods, (string slug, Database database, VoteTallies tallies, HttpContext context) =>
        {
            using var connection = database.Open();
            var tools = ToJson(connection, tallies, [slug]);
            if (tools.Count == 0)
            {
                var current = ToolAliases.RenamedTo(database, slug);
                return current is null ? NotFound($"No tool '{slug}'.") : Results.Redirect($"/api/tools/{current}", permanent: true);
            }
            CacheTags.TagTools(context, [slug]);
            return ApiLists.Answer(context, tools[0]);
        }).WithSummary("A published tool with its plans and figures; a former slug redirects to the current one")
            .Produces<ToolJson>().Produces(StatusCodes.Status301MovedPermanently).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapMethods("/comparisons/{slug}", GetAndHead.Methods, (string slug, Database database, VoteTallies tallies, HttpContext context) =>
        {
            using var connection = database.Open();
            var comparison = connection.QueryFirstOrDefault<(string Slug, string? Title, string? Question, string Published)>(
                "SELECT slug, title, question, published FROM comparisons WHERE slug = @slug", new { slug });
            if (comparison.Slug is null)
                return NotFound($"No comparison '{slug}'.");
            var slugs = connection.Query<string>("SELECT tool_slug FROM comparison_tools WHERE comparison_slug = @slug ORDER BY position", new { slug }).AsList();
            var tools = ToJson(connection, tallies, slugs);
            CacheTags.TagTools(context, slugs);
            return ApiLists.Answer(context, new ComparisonJson(comparison.Slug, ComparisonTitle.Of(comparison.Title, tools.Select(t => t.Name)),
                comparison.Question ?? ComparisonQuestion.Default, comparison.Published, $"/compare/{comparison.Slug}", tools));
        }).WithSummary("A curated comparison with its tools in column order").Produces<ComparisonJson>().ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static IResult NotFound(string detail) => Results.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not found");

    private static List<ToolJson> ToJson(SqliteConnection connection, VoteTallies tallies, IReadOnlyList<string> slugs) =>
        [.. ToolColumns.Load(connection, tallies, slugs).Select(ToJson)];

    internal static ToolJson ToJson(ToolColumn column)
    {
        var t = column.Tool;
        return new ToolJson(t.Slug, t.Name, t.Category, t.CategorySlug, t.Tagline, $"/tools/{t.Slug}",
            new Pricing(t.EntryPrice, [.. column.Plans.Select(p => new Plan(p.Name, p.Price, p.Notes))]),
            new Tally(t.PanelShip, t.PanelSkip, t.PanelPercent),
            t.Community.ToJson());
    }
}
