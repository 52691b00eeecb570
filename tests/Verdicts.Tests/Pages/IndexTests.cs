using System.Net;
using Verdicts.Tests.Infrastructure;

namespace Verdicts.Tests.Pages;

public sealed class IndexTests
{
    [Fact]
    public async Task The_home_page_shows_featured_and_latest_comparisons_and_tools_by_category()
    {
        using var content = TestContent.Sample()
            .Comparison("older", ["alpha", "gamma"], "2026-01-05")
            .Comparison("newer", ["beta", "gamma"], "2026-04-01");
        await using var app = new VerdictsApp(content);
        var page = await app.CreateClient().GetPage("/");

        Assert.Equal(["/compare/alpha-or-beta"], page.QuerySelectorAll(".featured h3 a").Select(a => a.GetAttribute("href")));
        Assert.Equal(["/compare/newer", "/compare/older"], page.QuerySelectorAll(".latest h3 a").Select(a => a.GetAttribute("href")));
        Assert.Equal(["Developer Tools", "Inference Runtimes"], page.QuerySelectorAll(".category-block h3").Select(h => h.Text()));
        Assert.Equal(["alpha", "beta"], page.QuerySelectorAll(".category-block")[0].QuerySelectorAll("li").Select(l => l.GetAttribute("data-tool")));
        Assert.NotNull(page.QuerySelector(".newsletter form"));
    }

    [Fact]
    public async Task The_compare_form_works_without_javascript()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        var client = app.NoRedirects();
        var form = (await client.GetPage("/")).QuerySelector("form.compare-form")!;
        Assert.Equal(("get", "/compare"), (form.GetAttribute("method"), form.GetAttribute("action")));
        Assert.Equal(["a", "b", "c", "d"], form.QuerySelectorAll("select").Select(s => s.GetAttribute("name")));
        Assert.Contains("gamma", form.QuerySelectorAll("select[name=a] option").Select(o => o.GetAttribute("value")));

        using var picked = await client.Get("/compare?a=gamma&b=alpha");
        Assert.Equal(HttpStatusCode.Redirect, picked.StatusCode);
        Assert.Equal("/compare/gamma-vs-alpha", picked.Headers.Location?.OriginalString);

        using var curated = await app.CreateClient().Get("/compare?a=beta&b=alpha");
        Assert.Equal("/compare/alpha-or-beta", curated.RequestMessage?.RequestUri?.AbsolutePath);
    }

    [Theory]
    [InlineData("/compare?a=alpha&b=alpha", "Choose two different tools")]
    [InlineData("/compare?a=alpha", "Choose two different tools to compare.")]
    [InlineData("/compare?a=alpha&b=%3Cscript%3E", "One of those tools is not on Verdicts: nothing is called “<script>”.")]
    [InlineData("/compare?a=alpha&b=ALPHA", "Choose two different tools")]
    public async Task A_bad_pick_gets_a_400_with_a_clear_message(string path, string message)
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        var page = await app.CreateClient().GetPage(path, HttpStatusCode.BadRequest);
        Assert.StartsWith(message, page.QuerySelector("[role=alert]").Text(), StringComparison.Ordinal);
        // The first pick stays chosen in the lists.
        Assert.Equal(["alpha"], page.QuerySelectorAll("select[name=a] option[selected]").Select(o => o.GetAttribute("value")));
    }

    [Fact]
    public async Task The_home_page_shows_the_first_tools_of_each_category_and_links_to_the_rest()
    {
        using var content = TestContent.Sample();
        string[] names = ["Kilo", "Echo", "Zulu", "Bravo"];
        foreach (var name in names)
            content.Tool(name.ToLowerInvariant(), name);
        await using var app = new VerdictsApp(content, new Dictionary<string, string?> { ["Verdicts:HomeToolsPerCategory"] = "3" });
        var page = await app.CreateClient().GetPage("/");

        var developerTools = new[] { "Alpha", "Beta" }.Concat(names).Order(StringComparer.Ordinal).ToList();
        var blocks = page.QuerySelectorAll(".category-block");
        Assert.Equal(developerTools.Take(3).Select(n => n.ToLowerInvariant()), blocks[0].QuerySelectorAll(".tool-list li").Select(l => l.GetAttribute("data-tool")));
        Assert.Equal(($"All {developerTools.Count} tools in Developer Tools", "/categories/developer-tools"),
            (blocks[0].QuerySelector(".more a").Text(), blocks[0].QuerySelector(".more a")?.GetAttribute("href")));
        // Inference Runtimes has one tool, all shown: no link to more.
        Assert.Equal(["gamma"], blocks[1].QuerySelectorAll(".tool-list li").Select(l => l.GetAttribute("data-tool")));
        Assert.Null(blocks[1].QuerySelector(".more"));
    }

    [Fact]
    public async Task Past_the_list_limit_the_compare_form_takes_typed_names()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content, new Dictionary<string, string?> { ["Verdicts:CompareListLimit"] = "2" });
        var client = app.NoRedirects();
        foreach (var path in new[] { "/", "/compare" })
        {
            var form = (await client.GetPage(path)).QuerySelector("form.compare-form")!;
            Assert.Empty(form.QuerySelectorAll("select"));
            Assert.Equal(["a", "b", "c", "d"], form.QuerySelectorAll("input[type=text]").Select(i => i.GetAttribute("name")));
        }

        // A name in any case, or a slug, picks the tool.
        using var typed = await client.Get("/compare?a=%20gAmMa%20&b=ALPHA");
        Assert.Equal(HttpStatusCode.Redirect, typed.StatusCode);
        Assert.Equal("/compare/gamma-vs-alpha", typed.Headers.Location?.OriginalString);
        using var slugs = await client.Get("/compare?a=gamma&b=Beta");
        Assert.Equal("/compare/gamma-vs-beta", slugs.Headers.Location?.OriginalString);

        var unknown = await app.CreateClient().GetPage("/compare?a=Alpha&b=Omega", HttpStatusCode.BadRequest);
        Assert.Equal("One of those tools is not on Verdicts: nothing is called “Omega”. Use the name its page shows.", unknown.QuerySelector("[role=alert]").Text());
        // What was typed comes back, to correct rather than retype.
        Assert.Equal(["Alpha", "Omega", null, null], unknown.QuerySelectorAll("form.compare-form input[type=text]").Select(i => i.GetAttribute("value")));
        // No tool's name holds the word, so nothing is suggested.
        Assert.Null(unknown.QuerySelector(".suggestions"));
    }

    [Fact]
    public async Task A_name_that_picks_no_tool_brings_suggestions_whose_names_hold_its_words()
    {
        (string Slug, string Name, string Category)[] tools =
        [
            ("gamma-pro", "Gamma Pro", "Coding Agents"),
            ("gamut", "Gamut", "Developer Tools"),
            ("delta", "Delta", "Developer Tools"),
            ("omega-gam", "Omegagam", "Developer Tools"),
        ];
        var content = TestContent.Sample();
        foreach (var (slug, name, category) in tools)
            content = content.Tool(slug, name, category, tagline: "Quicker than Gamma");
        using var _ = content;
        await using var app = new VerdictsApp(content, new Dictionary<string, string?> { ["Verdicts:CompareListLimit"] = "2" });
        (string Slug, string Name, string Category)[] all =
            [.. tools, ("alpha", "Alpha", "Developer Tools"), ("beta", "Beta", "Developer Tools"), ("gamma", "Gamma", "Inference Runtimes")];
        // A word of the name starts with what was typed; taglines and descriptions do not count.
        var expected = all.Where(t => t.Name.Split(' ').Any(w => w.StartsWith("gam", StringComparison.OrdinalIgnoreCase)))
            .Select(t => ($"{t.Name} {t.Category}", $"/compare?a=Alpha&b={t.Slug}")).Order().ToList();

        var page = await app.CreateClient().GetPage("/compare?a=Alpha&b=GAM", HttpStatusCode.BadRequest);

        Assert.Equal(3, expected.Count);
        var suggestions = page.QuerySelectorAll(".suggestions li")
            .Select(li => (li.Text().Trim(), li.QuerySelector("a")!.GetAttribute("href")!)).Order().ToList();
        Assert.Equal(expected, suggestions);
        using var picked = await app.NoRedirects().Get(page.QuerySelectorAll(".suggestions a").Single(a => a.Text() == "Gamma Pro").GetAttribute("href")!);
        Assert.Equal(HttpStatusCode.Redirect, picked.StatusCode);
        Assert.Equal("/compare/alpha-vs-gamma-pro", picked.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task A_name_two_tools_share_picks_neither()
    {
        // Seven more tools whose names repeat the word, so the search ranks them above the twins, filling all six places.
        var content = TestContent.Sample().Tool("delta", "Twin", category: "Coding Agents").Tool("epsilon", "twin");
        foreach (var letter in "abcdefg")
            content = content.Tool($"twin-{letter}", $"Twin Twin Twin{letter}");
        using var _ = content;
        await using var app = new VerdictsApp(content);
        var page = await app.CreateClient().GetPage("/compare?a=alpha&b=Twin", HttpStatusCode.BadRequest);
        Assert.Equal("More than one tool is called “Twin”: choose one of them below.", page.QuerySelector("[role=alert]").Text());
        // Both are offered first, told apart by category, each leading to its own comparison; the other places go to the rest.
        var suggestions = page.QuerySelectorAll(".suggestions li").Select(li => (li.Text().Trim(), li.QuerySelector("a")!.GetAttribute("href")!)).ToList();
        Assert.Equal(6, suggestions.Count);
        Assert.Equal([("Twin Coding Agents", "/compare?a=alpha&b=delta"), ("twin Developer Tools", "/compare?a=alpha&b=epsilon")], suggestions.Take(2).Order());
        using var bySlug = await app.NoRedirects().Get("/compare?a=alpha&b=delta");
        Assert.Equal("/compare/alpha-vs-delta", bySlug.Headers.Location?.OriginalString);
    }
}
