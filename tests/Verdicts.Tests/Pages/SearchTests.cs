using Verdicts.Tests.Infrastructure;

namespace Verdicts.Tests.Pages;

public sealed class SearchTests(SearchTests.Site site) : IClassFixture<SearchTests.Site>
{
    /// <summary>The sample with phones and quantised weights in names, descriptions and quotes; the tests only read it.</summary>
    public sealed class Site() : SampleSite(Content());

    private static TestContent Content() => TestContent.Sample()
        .Tool("alpha", "Alpha", tagline: "Quantised weights for phones")
        .Tool("beta", "Beta", tagline: "Hosted service", body: "Runs on phones too, eventually.")
        .Verdict("gamma", "ada", "ship", "Best quantised runtime I have used.");

    [Fact]
    public async Task Search_ranks_matches_in_names_and_taglines_above_descriptions_and_quotes()
    {
        var app = site.App;
        var page = await app.CreateClient().GetPage("/search?q=phones");
        Assert.Equal(["alpha", "beta"], page.QuerySelectorAll(".search-results li").Select(l => l.GetAttribute("data-tool")));
        Assert.Equal("phones", page.QuerySelector(".search-results mark").Text());

        var quoted = await app.CreateClient().GetPage("/search?q=quantis");
        Assert.Equal(["alpha", "gamma"], quoted.QuerySelectorAll(".search-results li").Select(l => l.GetAttribute("data-tool")).Order());
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\"")]
    [InlineData("*")]
    [InlineData("alpha OR")]
    [InlineData("NEAR(alpha beta)")]
    [InlineData("title:alpha")]
    [InlineData("\")) OR 1=1 --")]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("%00%0D%0A")]
    public async Task Empty_and_hostile_queries_are_answered_safely(string query)
    {
        var app = site.App;
        var page = await app.CreateClient().GetPage("/search?q=" + Uri.EscapeDataString(query));
        Assert.Empty(page.QuerySelectorAll("main script, main img"));
        Assert.Equal(query.Trim().Length > 200 ? query.Trim()[..200] : query.Trim(), page.QuerySelector("#search-q")?.GetAttribute("value"));
    }

    [Fact]
    public async Task A_very_long_query_is_cut_and_still_answered()
    {
        var app = site.App;
        var page = await app.CreateClient().GetPage("/search?q=" + new string('a', 5000));
        Assert.Equal(200, page.QuerySelector("#search-q")?.GetAttribute("value")?.Length);
    }
}
