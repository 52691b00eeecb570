using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Verdicts.Tests.Infrastructure;
using Verdicts.Tests.Voting;

namespace Verdicts.Tests.Api;

/// <summary>One site for the tests that only read: six tools in two categories, votes on two of them.</summary>
public sealed class ApiSite : IAsyncLifetime
{
    public TestContent Content { get; } = TestContent.Sample()
        .SmolLM3().Gemma3Small()
        .Tool("delta", "Delta", category: "Inference Runtimes", entry: "$5/mo", extra: "aliases: [old-delta]\n")
        .Comparison("runtimes", ["gamma", "delta"], "2026-04-01")
        .Comparison("small-models", ["smollm3", "gemma-3-4b"], "2026-02-01");

    public VerdictsApp App { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public ValueTask InitializeAsync()
    {
        App = new VerdictsApp(Content);
        Client = App.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        App.CastVotes("alpha", ship: 25, skip: 16);
        App.CastVotes("beta", ship: 5, skip: 2);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.DisposeAsync();
        Content.Dispose();
    }
}

public sealed class ApiListsTests(ApiSite site) : IClassFixture<ApiSite>
{
    // Every tool of the content, by name as SQLite's binary collation orders them (ordinal on these ASCII names).
    private static readonly string[] ToolsByName = [.. new[] { ("alpha", "Alpha"), ("beta", "Beta"), ("gamma", "Gamma"), ("delta", "Delta"),
        ("smollm3", "SmolLM3"), ("gemma-3-4b", "Gemma 3 4B") }.OrderBy(t => t.Item2, StringComparer.Ordinal).Select(t => t.Item1)];

    private async Task<JsonDocument> Json(string path)
    {
        using var response = await site.Client.Get(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode}\n{body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(body);
    }

    /// <summary>Every item of a list, following its next links from <paramref name="path"/>; also checks each page's own figures.</summary>
    private async Task<List<JsonElement>> Walk(string path, int limit, string? listIn = null)
    {
        var items = new List<JsonElement>();
        string? next = path;
        for (var page = 1; next is not null; page++)
        {
            using var json = await Json(next);
            var root = listIn is null ? json.RootElement : json.RootElement.GetProperty(listIn);
            Assert.Equal((page, limit), (root.GetProperty("page").GetInt32(), root.GetProperty("limit").GetInt32()));
            var onPage = root.GetProperty("items").EnumerateArray().Select(i => i.Clone()).ToList();
            Assert.InRange(onPage.Count, 1, limit);
            items.AddRange(onPage);
            next = root.GetProperty("next").GetString();
            Assert.Equal(items.Count < root.GetProperty("total").GetInt64(), next is not null);
            Assert.True(page <= 20, "the next links never end");
        }
        return items;
    }

    [Fact]
    public async Task The_tool_list_pages_through_every_tool_by_name_with_next_links()
    {
        var items = await Walk("/api/tools?limit=4", 4);

        Assert.Equal(ToolsByName, items.Select(i => i.GetProperty("slug").GetString()));
        using var first = await Json("/api/tools?limit=4");
        Assert.Equal("/api/tools?limit=4&page=2", first.RootElement.GetProperty("next").GetString());
        Assert.Equal(ToolsByName.Length, first.RootElement.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task A_list_without_a_limit_gives_fifty_and_takes_up_to_a_hundred()
    {
        using var plain = await Json("/api/tools");
        Assert.Equal((1, 50, ToolsByName.Length), (plain.RootElement.GetProperty("page").GetInt32(), plain.RootElement.GetProperty("limit").GetInt32(),
            plain.RootElement.GetProperty("items").GetArrayLength()));
        Assert.Equal(JsonValueKind.Null, plain.RootElement.GetProperty("next").ValueKind);
        using var most = await Json("/api/comparisons?limit=100");
        Assert.Equal(100, most.RootElement.GetProperty("limit").GetInt32());
    }

    [Fact]
    public async Task Listed_tools_carry_the_panel_and_community_figures_worked_out_here()
    {
        using var json = await Json("/api/tools?category=developer-tools");
        var alpha = json.RootElement.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("slug").GetString() == "alpha");

        Assert.Equal(("Alpha", "Developer Tools", "/tools/alpha", "Free"), (alpha.GetProperty("name").GetString(), alpha.GetProperty("category").GetString(),
            alpha.GetProperty("url").GetString(), alpha.GetProperty("entryPrice").GetString()));
        // Two ship verdicts of two.
        Assert.Equal((2, 0, 100), (alpha.GetProperty("panel").GetProperty("ship").GetInt32(), alpha.GetProperty("panel").GetProperty("skip").GetInt32(),
            alpha.GetProperty("panel").GetProperty("percent").GetInt32()));
        var community = alpha.GetProperty("community");
        var (low, high) = CommunityShareTests.Shown(25, 41);
        Assert.Equal((25, 16, 41, int.Parse(Html.Percent(25, 41), CultureInfo.InvariantCulture), low, high),
            (community.GetProperty("ship").GetInt32(), community.GetProperty("skip").GetInt32(), community.GetProperty("n").GetInt32(),
             community.GetProperty("percent").GetInt32(), community.GetProperty("interval").GetProperty("low").GetInt32(),
             community.GetProperty("interval").GetProperty("high").GetInt32()));
        // Seven votes: counts, but no share (as the pages word it).
        var beta = json.RootElement.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("slug").GetString() == "beta");
        Assert.Equal((7, JsonValueKind.Null), (beta.GetProperty("community").GetProperty("n").GetInt32(), beta.GetProperty("community").GetProperty("percent").ValueKind));
    }

    [Fact]
    public async Task A_category_filters_both_lists_and_its_next_link_keeps_it()
    {
        var runtimes = await Walk("/api/tools?category=inference-runtimes&limit=1", 1);
        Assert.Equal(["delta", "gamma"], runtimes.Select(i => i.GetProperty("slug").GetString()));
        using var first = await Json("/api/tools?category=inference-runtimes&limit=1");
        Assert.Equal("/api/tools?category=inference-runtimes&limit=1&page=2", first.RootElement.GetProperty("next").GetString());

        // Comparisons with a tool of the category, newest first.
        var comparisons = await Walk("/api/comparisons?category=inference-runtimes", 50);
        Assert.Equal(["runtimes"], comparisons.Select(c => c.GetProperty("slug").GetString()));
        var all = await Walk("/api/comparisons?limit=2", 2);
        Assert.Equal(["runtimes", "alpha-or-beta", "small-models"], all.Select(c => c.GetProperty("slug").GetString()));
        var curated = all[1];
        Assert.Equal(("Alpha vs Beta", "2026-03-01", "/compare/alpha-or-beta"), (curated.GetProperty("title").GetString(),
            curated.GetProperty("published").GetString(), curated.GetProperty("url").GetString()));
        Assert.Equal(["alpha", "beta"], curated.GetProperty("tools").EnumerateArray().Select(t => t.GetString()));
    }

    [Theory]
    [InlineData("/api/tools?page=0")]
    [InlineData("/api/tools?page=-1")]
    [InlineData("/api/tools?page=two")]
    [InlineData("/api/tools?page=99999999999")]
    [InlineData("/api/tools?page=1&page=2")]
    [InlineData("/api/tools?limit=0")]
    [InlineData("/api/tools?limit=101")]
    [InlineData("/api/tools?limit=1.5")]
    [InlineData("/api/tools?page=2")]
    [InlineData("/api/tools?limit=3&page=3")]
    [InlineData("/api/comparisons?page=x")]
    [InlineData("/api/comparisons?page=2")]
    [InlineData("/api/comparisons?limit=1000")]
    [InlineData("/api/reviewers/ada?page=0")]
    [InlineData("/api/reviewers/ada?page=5")]
    [InlineData("/api/reviewers/ada?limit=%20")]
    public async Task Paging_that_is_malformed_or_past_the_end_is_a_400_that_says_why(string path)
    {
        await AssertProblem(path, HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("/api/tools?category=nope")]
    [InlineData("/api/comparisons?category=nope")]
    [InlineData("/api/reviewers/nobody")]
    [InlineData("/api/compare/alpha-vs-nope")]
    [InlineData("/api/compare/alpha-vs-Not%20a%20slug")]
    public async Task What_does_not_exist_is_a_404_that_names_it(string path)
    {
        var detail = await AssertProblem(path, HttpStatusCode.NotFound);
        Assert.Contains(Uri.UnescapeDataString(path.Split(['=', '/', '-'])[^1]), detail, StringComparison.Ordinal);
    }

    private async Task<string> AssertProblem(string path, HttpStatusCode status)
    {
        using var response = await site.Client.Get(path);
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal((int)status, json.RootElement.GetProperty("status").GetInt32());
        var detail = json.RootElement.GetProperty("detail").GetString();
        Assert.False(string.IsNullOrWhiteSpace(detail));
        return detail!;
    }

    [Fact]
    public async Task A_generated_comparison_answers_in_slug_order_with_the_bottom_line_its_page_computes()
    {
        using (var reordered = await site.Client.Get("/api/compare/gamma-vs-beta"))
        {
            Assert.Equal(HttpStatusCode.MovedPermanently, reordered.StatusCode);
            Assert.Equal("/api/compare/beta-vs-gamma", reordered.Headers.Location?.OriginalString);
        }
        using var json = await Json("/api/compare/beta-vs-gamma");
        var root = json.RootElement;
        Assert.Equal(("beta-vs-gamma", "Beta vs Gamma", "/compare/beta-vs-gamma"),
            (root.GetProperty("slug").GetString(), root.GetProperty("title").GetString(), root.GetProperty("url").GetString()));
        Assert.Equal(["beta", "gamma"], root.GetProperty("tools").EnumerateArray().Select(t => t.GetProperty("slug").GetString()));
        Assert.Equal("$20/mo", root.GetProperty("tools")[0].GetProperty("pricing").GetProperty("entry").GetString());
        Assert.Equal((1, 1, int.Parse(Html.Percent(1, 2), CultureInfo.InvariantCulture)), (root.GetProperty("tools")[0].GetProperty("panel").GetProperty("ship").GetInt32(),
            root.GetProperty("tools")[0].GetProperty("panel").GetProperty("skip").GetInt32(), root.GetProperty("tools")[0].GetProperty("panel").GetProperty("percent").GetInt32()));

        var page = await site.Client.GetPage("/compare/beta-vs-gamma");
        var shown = page.QuerySelectorAll(".bottom-line-facts li").Select(li => (li.GetAttribute("data-fact"), li.TextContent.Trim())).ToList();
        Assert.NotEmpty(shown);
        Assert.Equal(shown, root.GetProperty("bottomLine").EnumerateArray().Select(l => (l.GetProperty("fact").GetString(), l.GetProperty("text").GetString()!)));
        Assert.Contains(("price", "To start: Beta $20/mo and Gamma Free."), shown);
    }

    [Theory]
    [InlineData("/api/compare/smollm3-vs-gamma-vs-beta", "/api/compare/beta-vs-gamma-vs-smollm3")]
    [InlineData("/api/compare/old-delta-vs-alpha", "/api/compare/alpha-vs-delta")]
    [InlineData("/api/compare/beta-vs-alpha", "/api/comparisons/alpha-or-beta")]
    [InlineData("/api/compare/delta-vs-gamma", "/api/comparisons/runtimes")]
    public async Task Other_orders_former_slugs_and_curated_sets_redirect_to_the_one_address(string path, string location)
    {
        using var response = await site.Client.Get(path);
        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal(location, response.Headers.Location?.OriginalString);
        using var json = await Json(location);
        Assert.Equal(location.Contains("-vs-", StringComparison.Ordinal) ? location.Split('/')[^1].Split("-vs-").Length : 2,
            json.RootElement.GetProperty("tools").GetArrayLength());
    }

    [Theory]
    [InlineData("/api/compare/alpha")]
    [InlineData("/api/compare/alpha-vs-alpha")]
    [InlineData("/api/compare/alpha-vs-old-delta-vs-delta")]
    [InlineData("/api/compare/alpha-vs-beta-vs-gamma-vs-delta-vs-smollm3")]
    public async Task One_tool_a_repeated_tool_or_more_than_four_is_a_400(string path)
    {
        await AssertProblem(path, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Four_tools_compare()
    {
        using var json = await Json("/api/compare/alpha-vs-beta-vs-delta-vs-gamma");
        Assert.Equal(["alpha", "beta", "delta", "gamma"], json.RootElement.GetProperty("tools").EnumerateArray().Select(t => t.GetProperty("slug").GetString()));
    }

    [Fact]
    public async Task A_reviewers_verdicts_come_with_their_tally_a_page_at_a_time()
    {
        var verdicts = await Walk("/api/reviewers/bo?limit=1", 1, "verdicts");
        Assert.Equal([("alpha", "Alpha", "ship", "/tools/alpha"), ("beta", "Beta", "skip", "/tools/beta")],
            verdicts.Select(v => (v.GetProperty("tool").GetString(), v.GetProperty("toolName").GetString(), v.GetProperty("verdict").GetString(), v.GetProperty("toolUrl").GetString())));
        Assert.All(verdicts, v => Assert.Equal("Clear call, well argued.", v.GetProperty("quote").GetString()));

        using var json = await Json("/api/reviewers/bo");
        var root = json.RootElement;
        Assert.Equal(("Bo Chen", "Competition", "/reviewers/bo"), (root.GetProperty("name").GetString(), root.GetProperty("lens").GetString(), root.GetProperty("url").GetString()));
        Assert.Equal((1, 1, int.Parse(Html.Percent(1, 2), CultureInfo.InvariantCulture)), (root.GetProperty("tally").GetProperty("ship").GetInt32(),
            root.GetProperty("tally").GetProperty("skip").GetInt32(), root.GetProperty("tally").GetProperty("percent").GetInt32()));
        using var paged = await Json("/api/reviewers/bo?limit=1");
        Assert.Equal("/api/reviewers/bo?limit=1&page=2", paged.RootElement.GetProperty("verdicts").GetProperty("next").GetString());
    }

    [Fact]
    public async Task Answers_may_be_kept_a_minute_like_the_tool_names_and_errors_are_not()
    {
        foreach (var path in new[] { "/api/tools", "/api/comparisons", "/api/compare/beta-vs-gamma", "/api/reviewers/ada", "/api/tools/alpha", "/api/comparisons/runtimes" })
        {
            using var response = await site.Client.Get(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("public, max-age=60", response.Headers.CacheControl?.ToString());
        }
        using var bad = await site.Client.Get("/api/tools?page=0");
        Assert.Null(bad.Headers.CacheControl?.MaxAge);
    }

    [Fact]
    public async Task The_openapi_document_describes_every_api_route_with_its_paging()
    {
        using var json = await Json("/openapi/v1.json");
        var paths = json.RootElement.GetProperty("paths");
        var routes = site.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/')).Where(p => p.StartsWith("/api/", StringComparison.Ordinal)).Distinct().ToList();
        Assert.Contains("/api/compare/{tools}", routes);
        Assert.Contains("/api/reviewers/{slug}", routes);
        Assert.All(routes, route => Assert.True(paths.TryGetProperty(route, out var item) && item.TryGetProperty("get", out _), $"{route} is not described"));
        Assert.All(paths.EnumerateObject(), p => Assert.StartsWith("/api/", p.Name, StringComparison.Ordinal));

        var parameters = paths.GetProperty("/api/tools").GetProperty("get").GetProperty("parameters").EnumerateArray()
            .ToDictionary(p => p.GetProperty("name").GetString()!, p => p);
        Assert.Equal(["category", "limit", "page"], parameters.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("integer", parameters["limit"].GetProperty("schema").GetProperty("type").GetString());
        Assert.Equal(100, parameters["limit"].GetProperty("schema").GetProperty("maximum").GetInt32());
        Assert.Equal("integer", parameters["page"].GetProperty("schema").GetProperty("type").GetString());
        var answers = paths.GetProperty("/api/compare/{tools}").GetProperty("get").GetProperty("responses");
        Assert.All(new[] { "200", "301", "400", "404" }, status => Assert.True(answers.TryGetProperty(status, out _), $"no {status} described"));
    }
}
