using System.Net;
using System.Text.Json;
using System.Xml.Linq;
using AngleSharp.Dom;
using Verdicts.Tests.Infrastructure;

namespace Verdicts.Tests.Pages.Compare;

/// <summary>Choosing what to compare: the compare form, adding and removing tools, canonical addresses, wrong addresses, alternatives.</summary>
public sealed class PickerTests
{
    private static TestContent Five() => TestContent.Sample().Tool("delta", "Delta").Tool("epsilon", "Epsilon", category: "Inference Runtimes");

    /// <summary>The address a browser goes to when it submits a GET form, with some fields filled in.</summary>
    private static string Submitted(IElement form, params (string Name, string Value)[] filled)
    {
        var fields = Forms.FieldsOf(form);
        foreach (var (name, value) in filled)
        {
            Assert.Contains(fields, f => f.Key == name);
            fields = [.. fields.Select(f => f.Key == name ? KeyValuePair.Create(name, value) : f)];
        }
        Assert.Equal("get", form.GetAttribute("method"));
        return form.GetAttribute("action") + "?" + string.Join('&', fields.Select(f => $"{Uri.EscapeDataString(f.Key)}={Uri.EscapeDataString(f.Value)}"));
    }

    [Theory]
    [InlineData(2, "300")]
    [InlineData(3, "300")]
    [InlineData(4, "300")]
    [InlineData(2, "2")]
    [InlineData(3, "2")]
    [InlineData(4, "2")]
    public async Task The_compare_form_takes_two_three_or_four_tools_from_lists_or_typed_names(int count, string listLimit)
    {
        using var content = Five();
        await using var app = new VerdictsApp(content, new Dictionary<string, string?> { ["Verdicts:CompareListLimit"] = listLimit });
        var client = app.NoRedirects();
        (string Slug, string Name)[] picks = [("gamma", "Gamma"), ("delta", "Delta"), ("alpha", "Alpha"), ("epsilon", "Epsilon")];
        var form = (await client.GetPage("/compare")).QuerySelector("form.compare-form")!;
        Assert.Equal(["a", "b", "c", "d"], form.QuerySelectorAll("select, input").Select(f => f.GetAttribute("name")));
        Assert.Equal([true, true, false, false], form.QuerySelectorAll("select, input").Select(f => f.HasAttribute("required")));

        // Lists send slugs; typed fields take the name as its page shows it.
        var filled = picks.Take(count).Select((p, i) => (((char)('a' + i)).ToString(), listLimit == "300" ? p.Slug : p.Name)).ToArray();
        using var response = await client.Get(Submitted(form, filled));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var expected = "/compare/" + string.Join("-vs-", picks.Take(count).Select(p => p.Slug));
        Assert.Equal(expected, response.Headers.Location?.OriginalString);
        var page = await client.GetPage(expected);
        Assert.Equal(picks.Take(count).Select(p => p.Slug), page.QuerySelectorAll(".tool-col").Select(c => c.GetAttribute("data-tool")));
    }

    [Fact]
    public async Task A_generated_comparison_names_one_canonical_address_whatever_the_order_and_keeps_the_visitors_columns()
    {
        using var content = Five();
        await using var app = new VerdictsApp(content);
        string[] tools = ["gamma", "alpha", "delta"];
        var canonical = "http://localhost/compare/" + string.Join("-vs-", tools.Order(StringComparer.Ordinal));
        string[][] orders = [["gamma", "alpha", "delta"], ["delta", "gamma", "alpha"], ["alpha", "delta", "gamma"]];
        foreach (var order in orders)
        {
            var page = await app.CreateClient().GetPage("/compare/" + string.Join("-vs-", order));
            Assert.Equal(order, page.QuerySelectorAll(".tool-col").Select(c => c.GetAttribute("data-tool")));
            Assert.Equal(canonical, page.QuerySelector("link[rel=canonical]")?.GetAttribute("href"));
            Assert.Equal(canonical, page.QuerySelector("meta[property='og:url']")?.GetAttribute("content"));
        }
    }

    [Fact]
    public async Task The_sitemap_lists_each_pair_curated_comparisons_hold_once_at_its_canonical_address()
    {
        (string Slug, string[] Tools)[] curated = [("alpha-or-beta", ["alpha", "beta"]), ("three-way", ["gamma", "delta", "alpha"]), ("pair", ["epsilon", "delta"])];
        using var content = Five().Comparison("three-way", curated[1].Tools).Comparison("pair", curated[2].Tools);
        await using var app = new VerdictsApp(content);
        XNamespace ns = "http://www.sitemaps.org/schemas/sitemap/0.9";
        var sitemap = XDocument.Parse(await app.CreateClient().GetStringAsync(new Uri("/sitemap.xml", UriKind.Relative), TestContext.Current.CancellationToken));
        var compared = sitemap.Root!.Elements(ns + "url").Select(u => new Uri(u.Element(ns + "loc")!.Value).AbsolutePath)
            .Where(p => p.StartsWith("/compare/", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();

        // Every pair inside a curated comparison, slugs sorted, unless a curated page is that very pair.
        var curatedSets = curated.Select(c => string.Join(' ', c.Tools.Order(StringComparer.Ordinal))).ToHashSet();
        var pairs = curated.SelectMany(c => c.Tools.SelectMany(x => c.Tools.Where(y => string.CompareOrdinal(x, y) < 0).Select(y => (x, y))))
            .Distinct().Where(p => !curatedSets.Contains($"{p.x} {p.y}")).Select(p => $"/compare/{p.x}-vs-{p.y}");
        var expected = curated.Select(c => "/compare/" + c.Slug).Concat(pairs).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["/compare/alpha-or-beta", "/compare/alpha-vs-delta", "/compare/alpha-vs-gamma", "/compare/delta-vs-gamma", "/compare/pair", "/compare/three-way"], expected);
        Assert.Equal(expected, compared);
    }

    [Theory]
    [InlineData("/compare/alpha-vs-beta-vs-gamma-vs-delta-vs-epsilon", "Too many tools for one comparison",
        "A comparison takes two to four tools; this address names 5.", "/compare/alpha-vs-beta-vs-gamma-vs-delta", "Alpha vs Beta vs Gamma vs Delta")]
    [InlineData("/compare/gamma-vs-alpha-vs-gamma", "A tool is named twice",
        "Gamma is named more than once; each tool takes one column.", "/compare/gamma-vs-alpha", "Gamma vs Alpha")]
    [InlineData("/compare/alpha-vs-delt", "We could not find every tool",
        "Nothing on Verdicts is called “delt”.", "/compare/alpha-vs-delta", "Alpha vs Delta")]
    [InlineData("/compare/epsilon-vs-alpha-vs-epsilon-vs-bet-vs-gamma", "We could not find every tool",
        "Nothing on Verdicts is called “bet”.", "/compare/epsilon-vs-alpha-vs-gamma-vs-beta", "Epsilon vs Alpha vs Gamma vs Beta")]
    public async Task A_wrong_comparison_address_says_what_is_wrong_and_links_to_the_nearest_comparison(string path, string heading,
        string problem, string nearest, string nearestTitle)
    {
        using var content = Five();
        await using var app = new VerdictsApp(content);
        using var response = await app.CreateClient().Get(path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var page = Html.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        Assert.NotNull(page.QuerySelector("header.site-header"));
        Assert.Equal(heading, page.QuerySelector("h1").Text());
        Assert.Contains(problem, page.QuerySelectorAll(".problems li").Select(li => li.Text()));
        var link = page.QuerySelector(".nearest a")!;
        Assert.Equal((nearest, nearestTitle), (link.GetAttribute("href"), link.Text()));
        Assert.NotNull(page.QuerySelector("meta[name=robots][content=noindex]"));
        // The nearest comparison is one that works.
        Assert.Equal(HttpStatusCode.OK, (await app.CreateClient().Get(nearest)).StatusCode);
    }

    [Fact]
    public async Task An_unknown_tool_alone_gets_tools_of_similar_names()
    {
        using var content = Five().Tool("gamma-pro", "Gamma Pro");
        await using var app = new VerdictsApp(content);
        var page = await app.CreateClient().GetPage("/compare/gamm", HttpStatusCode.NotFound);

        Assert.Equal("We could not find that comparison", page.QuerySelector("h1").Text());
        Assert.Equal(["Nothing on Verdicts is called “gamm”."], page.QuerySelectorAll(".problems li").Select(li => li.Text()));
        Assert.Null(page.QuerySelector(".nearest"));
        Assert.Equal(["/tools/gamma", "/tools/gamma-pro"], page.QuerySelectorAll(".similar a").Select(a => a.GetAttribute("href")).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_known_tool_alone_is_offered_a_second_one()
    {
        using var content = Five();
        await using var app = new VerdictsApp(content);
        var page = await app.CreateClient().GetPage("/compare/gamma", HttpStatusCode.NotFound);

        Assert.Equal("A comparison needs two tools", page.QuerySelector("h1").Text());
        Assert.Equal(["A comparison needs at least two tools; this address names only Gamma."], page.QuerySelectorAll(".problems li").Select(li => li.Text()));
        using var picked = await app.NoRedirects().Get(Submitted(page.QuerySelector("form.add-tool-form")!, ("b", "Beta")));
        Assert.Equal("/compare/gamma-vs-beta", picked.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task What_a_wrong_address_holds_is_encoded()
    {
        using var content = Five();
        await using var app = new VerdictsApp(content);
        var page = await app.CreateClient().GetPage("/compare/%3Cscript%3Ealert(1)%3Cscript%3E-vs-alpha", HttpStatusCode.NotFound);
        Assert.Contains("Nothing on Verdicts is called “<script>alert(1)<script>”.", page.QuerySelectorAll(".problems li").Select(li => li.Text()));
        Assert.Empty(page.QuerySelectorAll("script:not([src])"));
    }

    [Fact]
    public async Task Every_tool_page_adds_its_tool_to_a_comparison()
    {
        using var content = Five();
        await using var app = new VerdictsApp(content);
        var form = (await app.CreateClient().GetPage("/tools/gamma")).QuerySelector(".add-to-comparison form")!;
        Assert.Equal(("a", "gamma"), (form.QuerySelector("input[type=hidden]")?.GetAttribute("name"), form.QuerySelector("input[type=hidden]")?.GetAttribute("value")));
        using var response = await app.NoRedirects().Get(Submitted(form, ("b", "delta")));
        Assert.Equal("/compare/gamma-vs-delta", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task A_comparison_adds_a_tool_up_to_four_and_removes_any_while_two_stay()
    {
        using var content = Five();
        await using var app = new VerdictsApp(content);
        var client = app.NoRedirects();

        var two = await client.GetPage("/compare/gamma-vs-delta");
        Assert.Empty(two.QuerySelectorAll(".remove-tool"));
        using var added = await client.Get(Submitted(two.QuerySelector(".change-tools form")!, ("c", "Alpha")));
        Assert.Equal("/compare/gamma-vs-delta-vs-alpha", added.Headers.Location?.OriginalString);

        var three = await client.GetPage("/compare/gamma-vs-delta-vs-alpha");
        Assert.Equal([("Remove Gamma", "/compare/delta-vs-alpha"), ("Remove Delta", "/compare/gamma-vs-alpha"), ("Remove Alpha", "/compare/gamma-vs-delta")],
            three.QuerySelectorAll(".remove-tool").Select(a => (a.Text(), a.GetAttribute("href"))));
        using var fourth = await client.Get(Submitted(three.QuerySelector(".change-tools form")!, ("d", "epsilon")));
        Assert.Equal("/compare/gamma-vs-delta-vs-alpha-vs-epsilon", fourth.Headers.Location?.OriginalString);

        var four = await client.GetPage("/compare/gamma-vs-delta-vs-alpha-vs-epsilon");
        Assert.Null(four.QuerySelector(".change-tools form"));
        Assert.Equal(4, four.QuerySelectorAll(".remove-tool").Length);
        foreach (var remove in four.QuerySelectorAll(".remove-tool"))
            Assert.Equal(HttpStatusCode.OK, (await client.Get(remove.GetAttribute("href")!)).StatusCode);
    }

    [Fact]
    public async Task Alternatives_rank_pairs_by_curated_comparisons_together_then_category_then_name()
    {
        (string Slug, string Name, string Category)[] tools =
        [
            ("alpha", "Alpha", "Developer Tools"), ("beta", "Beta", "Developer Tools"), ("gamma", "Gamma", "Inference Runtimes"),
            ("delta", "Delta", "Developer Tools"), ("epsilon", "Epsilon", "Inference Runtimes"), ("zeta", "Zeta", "Inference Runtimes"),
            ("eta", "Eta", "Developer Tools"), ("theta", "Theta", "Coding Agents"),
        ];
        (string Slug, string[] Tools)[] curated =
        [
            ("alpha-or-beta", ["alpha", "beta"]), ("local", ["alpha", "gamma", "delta"]), ("again", ["gamma", "alpha"]),
            ("runtimes", ["beta", "zeta"]), ("far", ["theta", "epsilon"]),
        ];
        var content = TestContent.Sample();
        foreach (var tool in tools.Skip(3))
            content = content.Tool(tool.Slug, tool.Name, tool.Category);
        foreach (var comparison in curated.Skip(1))
            content = content.Comparison(comparison.Slug, comparison.Tools);
        using var _ = content;
        await using var app = new VerdictsApp(content);

        string[] shown = ["beta", "alpha"];
        var page = await app.CreateClient().GetPage("/compare/" + string.Join("-vs-", shown), HttpStatusCode.OK);
        var links = page.QuerySelectorAll(".alternatives a").Select(a => (a.Text(), a.GetAttribute("href")!)).ToList();

        // Computed here: each shown tool with each tool not shown that a curated comparison holds with it or that shares its category.
        var byName = tools.ToDictionary(t => t.Slug);
        int Together(string x, string y) => curated.Count(c => c.Tools.Contains(x) && c.Tools.Contains(y));
        string Address(string x, string y)
        {
            var set = new[] { x, y }.Order(StringComparer.Ordinal).ToArray();
            var slug = curated.FirstOrDefault(c => c.Tools.Order(StringComparer.Ordinal).SequenceEqual(set)).Slug;
            return "/compare/" + (slug ?? string.Join("-vs-", set));
        }
        var expected = shown.SelectMany(s => tools.Where(p => !shown.Contains(p.Slug)).Select(p => (Shown: byName[s], Partner: p)))
            .Where(x => Together(x.Shown.Slug, x.Partner.Slug) > 0 || x.Shown.Category == x.Partner.Category)
            .OrderByDescending(x => Together(x.Shown.Slug, x.Partner.Slug))
            .ThenByDescending(x => x.Shown.Category == x.Partner.Category)
            .ThenBy(x => x.Partner.Name, StringComparer.Ordinal).ThenBy(x => x.Partner.Slug, StringComparer.Ordinal)
            .ThenBy(x => x.Shown.Name, StringComparer.Ordinal)
            .Take(6)
            .Select(x => ($"{x.Shown.Name} vs {x.Partner.Name}", Address(x.Shown.Slug, x.Partner.Slug)))
            .ToList();
        // The page is the curated alpha-or-beta (the generated address redirects there).
        Assert.Equal(6, expected.Count);
        Assert.Equal(("Alpha vs Gamma", "/compare/again"), expected[0]);
        Assert.Equal(expected, links);
    }

    [Fact]
    public async Task The_name_endpoint_answers_a_few_matching_names_as_escaped_cacheable_json()
    {
        var content = Five().Tool("evil", "<b>Gamma</b> & co");
        foreach (var i in Enumerable.Range(1, 12))
            content = content.Tool($"gamma-{i}", $"Gamma {i}");
        using var _ = content;
        await using var app = new VerdictsApp(content);
        var client = app.CreateClient();

        using var response = await client.Get("/api/tool-names?q=GAMMA");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl?.Public);
        Assert.True(response.Headers.CacheControl?.MaxAge > TimeSpan.Zero);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.DoesNotContain("<b>", body, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(body);
        var names = json.RootElement.EnumerateArray().Select(e => (e.GetProperty("slug").GetString(), e.GetProperty("name").GetString(), e.GetProperty("category").GetString())).ToList();
        // Fourteen names hold the word; eight come back, the tool called exactly that first.
        Assert.Equal(8, names.Count);
        Assert.Equal(("gamma", "Gamma", "Inference Runtimes"), names[0]);
        Assert.All(names, n => Assert.Contains("gamma", n.Item2!, StringComparison.OrdinalIgnoreCase));

        var escaped = await client.GetStringAsync(new Uri("/api/tool-names?q=co", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Contains("\\u003Cb\\u003EGamma\\u003C/b\\u003E \\u0026 co", escaped, StringComparison.Ordinal);
        Assert.Equal("[]", await client.GetStringAsync(new Uri("/api/tool-names?q=%22%29%20OR%20*", UriKind.Relative), TestContext.Current.CancellationToken));
        Assert.Equal("[]", await client.GetStringAsync(new Uri("/api/tool-names", UriKind.Relative), TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.OK, (await client.Get("/api/tool-names?q=" + new string('g', 5000))).StatusCode);
    }
}
