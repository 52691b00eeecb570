using System.Net;
using Verdicts.Tests.Infrastructure;

namespace Verdicts.Tests.Reliability;

/// <summary>Addresses and methods no page is made for get the site's own 4xx page, never a 500.</summary>
public sealed class OddAddressTests(SampleSite site) : IClassFixture<SampleSite>
{
    // Every kind of whitespace model binding would turn into a missing value, and characters that only look like spaces.
    public static TheoryData<string> BlankSlugs => new() { "%20", "%09", "%0B", "%C2%A0", "%E3%80%80", "%20%20%20", "%E2%80%8B" };

    [Theory]
    [MemberData(nameof(BlankSlugs))]
    public async Task A_slug_of_only_whitespace_is_not_found_on_every_route_with_a_slug(string slug)
    {
        var app = site.App;
        var client = app.NoRedirects();

        foreach (var page in new[] { "/tools/", "/categories/", "/reviewers/", "/compare/" })
        {
            var document = await client.GetPage(page + slug, HttpStatusCode.NotFound);
            Assert.Equal("We could not find that page", document.QuerySelector("h1").Text());
        }
        foreach (var api in new[] { "/api/tools/", "/api/comparisons/" })
        {
            using var response = await client.Get(api + slug);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
    }

    [Theory]
    [InlineData("TRACE", "/tools/alpha")]
    [InlineData("TRACE", "/categories/developer-tools")]
    [InlineData("TRACE", "/reviewers/ada")]
    [InlineData("TRACE", "/")]
    [InlineData("OPTIONS", "/tools/alpha")]
    [InlineData("TRACE", "/search")]
    [InlineData("TRACE", "/not-found")]
    [InlineData("TRACE", "/error")]
    public async Task A_method_a_page_does_not_take_is_answered_405_with_the_sites_page(string method, string path)
    {
        var app = site.App;
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
        using var response = await app.NoRedirects().SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(HttpStatusCode.MethodNotAllowed == response.StatusCode, $"{method} {path}: {(int)response.StatusCode}");
        var document = Html.Parse(body);
        Assert.Equal("That address does not take this kind of request", document.QuerySelector("h1").Text());
        // Only the methods the page has handlers for: no method made up from a method name (OnPageHandlerExecutionAsync
        // read as a handler for "PAGE").
        Assert.Equal(["GET", "HEAD"], response.Content.Headers.Allow.Order(StringComparer.Ordinal));
        Assert.True(response.Headers.Contains("Content-Security-Policy"));
    }

    [Theory]
    [InlineData("GET", HttpStatusCode.NotFound)]
    [InlineData("HEAD", HttpStatusCode.NotFound)]
    [InlineData("POST", HttpStatusCode.MethodNotAllowed)]
    public async Task The_error_page_asked_for_directly_is_a_4xx_not_a_500(string method, HttpStatusCode status)
    {
        var app = site.App;
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri("/error", UriKind.Relative));
        using var response = await app.NoRedirects().SendAsync(request);

        Assert.Equal(status, response.StatusCode);
        if (method != "HEAD")
            Assert.DoesNotContain("Something went wrong", Html.Parse(await response.Content.ReadAsStringAsync()).QuerySelector("h1").Text(), StringComparison.Ordinal);
    }
}
