using System.Text.Json;
using Verdicts.Tests.Infrastructure;

namespace Verdicts.Tests.Pages.Shared;

/// <summary>
/// The pages' structured data, parsed as JSON: absolute addresses, reviews by their reviewers as people, dates, ratings on a
/// stated scale, a recognised category, prices as Google reads them, and the visitors' share only from ten votes.
/// </summary>
public sealed class JsonLdTests(JsonLdTests.Site site) : IClassFixture<JsonLdTests.Site>
{
    public sealed class Site() : SampleSite(TestContent.Sample()
        .File("verdicts/alpha/ada.md", "---\nverdict: ship\ndate: 2026-05-04\n---\nShips fast.\n")
        .Tool("delta", "Delta </script><script>alert(1)</script>", tagline: "Contact us", entry: "Contact sales")
        .Verdict("delta", "bo", "skip"));

    private async Task<(JsonDocument Json, AngleSharp.Html.Dom.IHtmlDocument Page)> StructuredData(string path)
    {
        var page = await site.App.CreateClient().GetPage(path);
        var scripts = page.QuerySelectorAll("script[type='application/ld+json']");
        Assert.Single(scripts);
        return (JsonDocument.Parse(scripts[0].TextContent), page);
    }

    private static void AssertAbsolute(string? url, string expected)
    {
        Assert.True(Uri.TryCreate(url, UriKind.Absolute, out _), $"{url} is not absolute");
        Assert.Equal(expected, url);
    }

    [Fact]
    public async Task A_tool_is_a_developer_application_with_its_free_entry_price_and_dated_rated_reviews_by_people()
    {
        var (json, _) = await StructuredData("/tools/alpha");
        using var _json = json;
        var tool = json.RootElement;

        Assert.Equal(("https://schema.org", "SoftwareApplication"), (tool.GetProperty("@context").GetString(), tool.GetProperty("@type").GetString()));
        AssertAbsolute(tool.GetProperty("url").GetString(), "http://localhost/tools/alpha");
        Assert.Equal("DeveloperApplication", tool.GetProperty("applicationCategory").GetString());
        var offer = tool.GetProperty("offers");
        Assert.Equal(("Offer", "0", "USD"), (offer.GetProperty("@type").GetString(), offer.GetProperty("price").GetString(), offer.GetProperty("priceCurrency").GetString()));

        var reviews = tool.GetProperty("review").EnumerateArray().ToList();
        Assert.Equal(["Ada Lane", "Bo Chen"], reviews.Select(r => r.GetProperty("author").GetProperty("name").GetString()));
        Assert.All(reviews, r => Assert.Equal("Person", r.GetProperty("author").GetProperty("@type").GetString()));
        AssertAbsolute(reviews[0].GetProperty("author").GetProperty("url").GetString(), "http://localhost/reviewers/ada");
        AssertAbsolute(reviews[1].GetProperty("author").GetProperty("url").GetString(), "http://localhost/reviewers/bo");
        Assert.Equal("2026-05-04", reviews[0].GetProperty("datePublished").GetString());
        Assert.False(reviews[1].TryGetProperty("datePublished", out _));
        Assert.Equal("Ships fast.", reviews[0].GetProperty("reviewBody").GetString());
        // Both ship: 2 on the scale from 1 (skip) to 2 (ship).
        Assert.All(reviews, r => Assert.Equal((2, 2, 1), (r.GetProperty("reviewRating").GetProperty("ratingValue").GetInt32(),
            r.GetProperty("reviewRating").GetProperty("bestRating").GetInt32(), r.GetProperty("reviewRating").GetProperty("worstRating").GetInt32())));
    }

    [Fact]
    public async Task A_priced_tool_offers_its_entry_amount_and_a_skip_rates_one()
    {
        var (json, _) = await StructuredData("/tools/beta");
        using var _json = json;

        var offer = json.RootElement.GetProperty("offers");
        Assert.Equal(("20", "USD"), (offer.GetProperty("price").GetString(), offer.GetProperty("priceCurrency").GetString()));
        Assert.Equal([2, 1], json.RootElement.GetProperty("review").EnumerateArray()
            .Select(r => r.GetProperty("reviewRating").GetProperty("ratingValue").GetInt32()));
    }

    [Fact]
    public async Task Visitors_votes_become_an_aggregate_rating_only_from_ten_votes()
    {
        site.App.CastVotes("gamma", ship: 5, skip: 4);
        var (below, _) = await StructuredData("/tools/gamma");
        using (below)
            Assert.False(below.RootElement.TryGetProperty("aggregateRating", out _));

        site.App.CastVotes("gamma", ship: 1, skip: 0);
        var (from, _) = await StructuredData("/tools/gamma");
        using var _from = from;
        var rating = from.RootElement.GetProperty("aggregateRating");
        Assert.Equal((10, int.Parse(Html.Percent(6, 10), System.Globalization.CultureInfo.InvariantCulture), 100, 0),
            (rating.GetProperty("ratingCount").GetInt32(), rating.GetProperty("ratingValue").GetInt32(),
             rating.GetProperty("bestRating").GetInt32(), rating.GetProperty("worstRating").GetInt32()));
    }

    [Fact]
    public async Task A_comparison_lists_its_tools_at_absolute_addresses()
    {
        var (json, _) = await StructuredData("/compare/alpha-or-beta");
        using var _json = json;

        Assert.Equal("ItemList", json.RootElement.GetProperty("@type").GetString());
        AssertAbsolute(json.RootElement.GetProperty("url").GetString(), "http://localhost/compare/alpha-or-beta");
        var items = json.RootElement.GetProperty("itemListElement").EnumerateArray().Select(i => i.GetProperty("item")).ToList();
        Assert.Equal(["http://localhost/tools/alpha", "http://localhost/tools/beta"], items.Select(i => i.GetProperty("url").GetString()));
        Assert.All(items, i => Assert.Equal("DeveloperApplication", i.GetProperty("applicationCategory").GetString()));
        Assert.Equal("http://localhost/reviewers/ada", items[1].GetProperty("review")[0].GetProperty("author").GetProperty("url").GetString());
    }

    [Fact]
    public async Task Text_cannot_close_the_script_block_and_a_price_that_is_no_amount_gives_no_offer()
    {
        var (json, page) = await StructuredData("/tools/delta");
        using var _json = json;

        Assert.Equal("Delta </script><script>alert(1)</script>", json.RootElement.GetProperty("name").GetString());
        Assert.False(json.RootElement.TryGetProperty("offers", out _));
        Assert.DoesNotContain(page.QuerySelectorAll("script"), s => s.TextContent.Contains("alert(1)", StringComparison.Ordinal) && s.GetAttribute("type") != "application/ld+json");
        Assert.Equal(1, json.RootElement.GetProperty("review")[0].GetProperty("reviewRating").GetProperty("ratingValue").GetInt32());
    }
}
