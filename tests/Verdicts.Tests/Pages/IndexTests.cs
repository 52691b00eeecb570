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
        Assert.Equal(["a", "b"], form.QuerySelectorAll("select").Select(s => s.GetAttribute("name")));
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
    [InlineData("/compare?a=alpha&b=%3Cscript%3E", "One of those tools is not on Verdicts.")]
    public async Task A_bad_pick_gets_a_400_with_a_clear_message(string path, string message)
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        var page = await app.CreateClient().GetPage(path, HttpStatusCode.BadRequest);
        Assert.StartsWith(message, page.QuerySelector("[role=alert]").Text(), StringComparison.Ordinal);
    }
}
