using System.Net;
using System.Text.Json;
using Verdicts.Tests.Infrastructure;

namespace Verdicts.Tests.Pages.Tools;

public sealed class ShowTests
{
    [Fact]
    public async Task The_tool_page_shows_profile_verdicts_tally_pricing_and_comparisons()
    {
        using var content = TestContent.Sample()
            .Tool("alpha", "Alpha", tagline: "The first tool", extra: "vendor: Acme\nlicense: MIT\nwebsite: https://alpha.example/\ntags: [fast, small]\nreleased: 2025-07-08\n");
        await using var app = new VerdictsApp(content);
        app.CastVotes("alpha", ship: 1, skip: 2);
        var page = await app.CreateClient().GetPage("/tools/alpha");

        Assert.Equal("Alpha", page.QuerySelector("h1").Text());
        Assert.Equal("The first tool", page.QuerySelector(".lede").Text());
        Assert.Equal(["Vendor", "Licence", "Released", "Website"], page.QuerySelectorAll(".facts dt").Select(d => d.Text()));
        Assert.Equal("https://alpha.example/", page.QuerySelector(".facts a")?.GetAttribute("href"));
        Assert.Equal(["fast", "small"], page.QuerySelectorAll(".tags li").Select(l => l.Text()));
        Assert.Equal(Html.Percent(2, 2), page.Metric("panel-ship", "alpha"));
        // Three votes are too few for a share (issue 30): the counts instead.
        Assert.Equal("", page.Metric("community-ship", "alpha"));
        Assert.Equal("1 ship · 2 skip, too few votes for a share", page.QuerySelector(".community .tally-text").Text());
        Assert.Equal("3", page.Metric("community-votes", "alpha"));
        Assert.Equal(["ada", "bo"], page.QuerySelectorAll(".score-row").Select(r => r.GetAttribute("data-reviewer")));
        Assert.Equal(["ship", "ship"], page.QuerySelectorAll(".score-row [data-metric='verdict']").Select(v => v.GetAttribute("data-value")));
        Assert.Equal("/tools/alpha/vote", page.QuerySelector("form.vote-form")?.GetAttribute("action"));
        Assert.Equal(["/compare/alpha-or-beta"], page.QuerySelectorAll(".appears-in a").Select(a => a.GetAttribute("href")));
        using var json = JsonDocument.Parse(page.QuerySelector("script[type='application/ld+json']")!.TextContent);
        Assert.Equal("SoftwareApplication", json.RootElement.GetProperty("@type").GetString());
        // Three votes are too few for a share, so too few for a rating.
        Assert.False(json.RootElement.TryGetProperty("aggregateRating", out _));
    }

    [Fact]
    public async Task The_tool_page_lists_its_specs_and_the_sources_its_facts_were_checked_against_with_the_date()
    {
        using var content = TestContent.Sample()
            .Tool("alpha", "Alpha", extra: "specs:\n  parameters: 3B\n  open_weights: true\nsources:\n  - https://models.example/alpha\n  - https://vendor.example/alpha?a=1&b=2\nchecked: 2026-12-01\n");
        await using var app = new VerdictsApp(content);

        var page = await app.CreateClient().GetPage("/tools/alpha");
        Assert.Equal(["https://models.example/alpha", "https://vendor.example/alpha?a=1&b=2"],
            page.QuerySelectorAll(".tool-facts .sources a").Select(a => a.GetAttribute("href")));
        Assert.Equal("2026-12-01", page.QuerySelector(".tool-facts time")?.GetAttribute("datetime"));
        Assert.Equal("3B", page.QuerySelector(".specs-list [data-spec='parameters'] dd").Text());
        Assert.Contains(page.QuerySelectorAll(".specs-list dt"), dt => dt.Text() == "Open weights");

        // A tool with neither has no such section.
        var beta = await app.CreateClient().GetPage("/tools/beta");
        Assert.Null(beta.QuerySelector(".tool-facts"));
    }

    [Fact]
    public async Task Alternatives_come_from_the_same_category_most_compared_first()
    {
        using var content = TestContent.Sample()
            .Tool("delta").Tool("echo").Tool("zulu")
            .Comparison("alpha-delta", ["alpha", "delta"]).Comparison("alpha-delta-two", ["delta", "alpha", "echo"])
            .Comparison("alpha-echo", ["echo", "zulu", "alpha"]).Comparison("delta-echo", ["delta", "echo"]);
        await using var app = new VerdictsApp(content);
        var page = await app.CreateClient().GetPage("/tools/alpha");

        // alpha is compared with delta and echo twice, with beta and zulu once (ties by name); gamma is another category.
        Assert.Equal(["delta", "echo", "beta", "zulu"], page.QuerySelectorAll(".alternatives li").Select(l => l.GetAttribute("data-tool")));
    }

    [Fact]
    public async Task A_former_slug_redirects_permanently_to_the_current_page()
    {
        using var content = TestContent.Sample().Tool("alpha", "Alpha", extra: "aliases: [alpha-classic]\n");
        await using var app = new VerdictsApp(content);
        using var response = await app.NoRedirects().Get("/tools/alpha-classic");
        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal("/tools/alpha", response.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData("/tools/nope")]
    [InlineData("/tools/secret")]
    [InlineData("/tools/ALPHA")]
    public async Task Unknown_and_draft_tools_are_404(string path)
    {
        using var content = TestContent.Sample().Tool("secret", extra: "draft: true\n");
        await using var app = new VerdictsApp(content);
        await app.CreateClient().GetPage(path, HttpStatusCode.NotFound);
    }
}
