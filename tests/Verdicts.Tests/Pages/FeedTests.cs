using System.Xml.Linq;
using Verdicts.Tests.Infrastructure;

namespace Verdicts.Tests.Pages;

public sealed class FeedTests
{
    [Fact]
    public async Task The_feed_page_explains_the_feed_and_gives_its_address_on_the_configured_site()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content, new Dictionary<string, string?> { ["Verdicts:SiteUrl"] = "https://verdicts.example/" });
        var client = app.CreateClient();
        // A forged Host never reaches the address shown.
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/feed", UriKind.Relative));
        request.Headers.Host = "evil.example";
        using var response = await client.SendAsync(request);
        var page = Html.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("The feed", page.QuerySelector("h1").Text());
        Assert.Equal("https://verdicts.example/feed.xml", page.QuerySelector("[data-feed-address]").Text());
        Assert.DoesNotContain("evil.example", page.DocumentElement.OuterHtml, StringComparison.Ordinal);
        // The raw feed keeps its address.
        Assert.Equal("/feed.xml", page.QuerySelector("main a[href$='feed.xml']")?.GetAttribute("href"));
        var feed = XDocument.Parse(await client.GetStringAsync(new Uri("/feed.xml", UriKind.Relative)));
        Assert.Equal("feed", feed.Root!.Name.LocalName);
    }

    [Fact]
    public async Task Without_a_configured_site_address_the_page_shows_the_feed_path()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content, new Dictionary<string, string?> { ["Verdicts:SiteUrl"] = "" });
        var page = await app.CreateClient().GetPage("/feed");
        Assert.Equal("/feed.xml", page.QuerySelector("[data-feed-address]").Text());
    }
}
