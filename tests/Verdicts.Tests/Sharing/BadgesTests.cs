using System.Net;
using System.Xml.Linq;
using Verdicts.Tests.Infrastructure;

namespace Verdicts.Tests.Sharing;

/// <summary>The embeddable badge: an accessible SVG with the panel share and the community figure, evicted with its tool.</summary>
public sealed class BadgesTests(BadgesTests.Site site) : IClassFixture<BadgesTests.Site>
{
    public sealed class Site() : SampleSite(TestContent.Sample()
        .Tool("odd", "Odd <b> & Co", tagline: "A name with markup")
        .Tool("secret", "Secret", tagline: "Not out yet", extra: "draft: true\n"));

    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private async Task<XElement> Badge(string slug)
    {
        using var response = await site.App.CreateClient().Get($"/badges/{slug}.svg");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType?.MediaType);
        var svg = XDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).Root!;
        Assert.Equal(Svg + "svg", svg.Name);
        Assert.Equal("img", svg.Attribute("role")?.Value);
        Assert.Equal(svg.Element(Svg + "title")?.Value, svg.Attribute("aria-label")?.Value);
        return svg;
    }

    private static string Shown(XElement svg) => string.Join(" | ", svg.Descendants(Svg + "text").Select(t => t.Value));

    [Fact]
    public async Task Below_ten_votes_the_badge_gives_the_panel_share_and_the_vote_count()
    {
        site.App.CastVotes("alpha", ship: 2, skip: 1);
        var svg = await Badge("alpha");

        Assert.Equal($"Verdicts | panel {Html.Percent(2, 2)}% ship · community 3 votes", Shown(svg));
        Assert.Equal($"Alpha on Verdicts: panel {Html.Percent(2, 2)}% ship · community 3 votes", svg.Element(Svg + "title")!.Value);
    }

    [Fact]
    public async Task From_ten_votes_the_badge_gives_the_community_share_and_a_vote_replaces_the_cached_badge()
    {
        var before = Shown(await Badge("beta"));
        Assert.Equal($"Verdicts | panel {Html.Percent(1, 2)}% ship · community no votes yet", before);

        site.App.CastVotes("beta", ship: 7, skip: 6);

        Assert.Equal($"Verdicts | panel {Html.Percent(1, 2)}% ship · community {Html.Percent(7, 13)}% ship", Shown(await Badge("beta")));
    }

    [Fact]
    public async Task A_tool_without_verdicts_says_so_and_its_name_is_encoded()
    {
        var svg = await Badge("odd");

        Assert.Equal("Verdicts | panel no verdicts yet · community no votes yet", Shown(svg));
        Assert.Equal("Odd <b> & Co on Verdicts: panel no verdicts yet · community no votes yet", svg.Element(Svg + "title")!.Value);
        Assert.Empty(svg.Descendants(Svg + "b"));
    }

    [Theory]
    [InlineData("/badges/nowhere.svg")]
    [InlineData("/badges/secret.svg")]
    [InlineData("/badges/alpha-or-beta.svg")]
    public async Task Unknown_and_draft_tools_have_no_badge_and_the_answer_is_not_an_svg(string path)
    {
        using var response = await site.App.CreateClient().Get(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.NotEqual("image/svg+xml", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("<svg", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_tool_page_offers_the_badge_as_html_and_markdown_to_copy()
    {
        var page = await site.App.CreateClient().GetPage("/tools/gamma");
        var snippets = page.QuerySelectorAll(".badge-embed pre").Select(p => p.TextContent.Trim()).ToList();

        Assert.Equal(2, snippets.Count);
        var html = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(snippets[0]);
        Assert.Equal("http://localhost/tools/gamma", html.QuerySelector("a")?.GetAttribute("href"));
        Assert.Equal("http://localhost/badges/gamma.svg", html.QuerySelector("a img")?.GetAttribute("src"));
        Assert.False(string.IsNullOrWhiteSpace(html.QuerySelector("img")?.GetAttribute("alt")));
        Assert.StartsWith("[![", snippets[1], StringComparison.Ordinal);
        Assert.EndsWith("](http://localhost/badges/gamma.svg)](http://localhost/tools/gamma)", snippets[1], StringComparison.Ordinal);
    }
}
