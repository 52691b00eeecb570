using System.Net;
using System.Text;
using Verdicts.Tests.Infrastructure;

namespace Verdicts.Tests.Slices;

/// <summary>A browser whose form is refused gets the site's own page saying why; a script asking for JSON gets the words alone.</summary>
public sealed class NoticeTests
{
    public static TheoryData<string, string, string?, HttpStatusCode, string> Refusals => new()
    {
        { "/tools/alpha/vote", "choice=maybe", null, HttpStatusCode.BadRequest, "Field 'choice' must be ship, skip or clear." },
        { "/tools/alpha/vote", "choice=ship&extra=1", null, HttpStatusCode.BadRequest, "Unexpected field 'extra'." },
        { "/tools/nothing-here/vote", "choice=ship", null, HttpStatusCode.NotFound, "There is no tool 'nothing-here' to vote on." },
        { "/tools/alpha/vote", "choice=ship", "https://evil.example", HttpStatusCode.Forbidden, "this request came from another site" },
        { "/subscribe", "email=not-an-address", null, HttpStatusCode.BadRequest, "That is not a single plain email address" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_refused_form_from_a_browser_gets_the_sites_page_with_the_reason(string path, string body, string? origin, HttpStatusCode status, string reason)
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        request.Headers.Accept.ParseAdd("text/html");
        if (origin is not null)
            request.Headers.Add("Origin", origin);

        using var response = await app.NoRedirects().SendAsync(request);

        Assert.Equal(status, response.StatusCode);
        Assert.StartsWith("text/html", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        var page = Html.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains(reason, page.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.QuerySelector("a[href='/']"));
        Assert.Equal("noindex", page.QuerySelector("meta[name=robots]")?.GetAttribute("content")?.Split(',')[0].Trim());
    }

    [Fact]
    public async Task A_refused_vote_sent_by_script_gets_the_reason_as_plain_text()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/tools/alpha/vote", UriKind.Relative))
        {
            Content = new StringContent("choice=maybe", Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        request.Headers.Accept.ParseAdd("application/json");

        using var response = await app.NoRedirects().SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        Assert.Equal("Field 'choice' must be ship, skip or clear.\n", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_visitor_past_the_rate_limit_gets_the_sites_page_with_when_to_come_back()
    {
        using var content = TestContent.Sample();
        // One token, refilled once an hour: the second sign-up is refused however slow the machine is.
        await using var app = new VerdictsApp(content, new Dictionary<string, string?>
        {
            ["Verdicts:RateLimit:TokenLimit"] = "1",
            ["Verdicts:RateLimit:TokensPerPeriod"] = "1",
            ["Verdicts:RateLimit:PeriodSeconds"] = "3600",
        });
        var client = app.NoRedirects();
        HttpRequestMessage SignUp() => new(HttpMethod.Post, new Uri("/subscribe", UriKind.Relative))
        {
            Content = new StringContent("email=reader%40example.com", Encoding.UTF8, "application/x-www-form-urlencoded"),
        };

        using var first = await client.SendAsync(SignUp());
        using var second = await client.SendAsync(SignUp());

        Assert.Equal(HttpStatusCode.SeeOther, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        var wait = int.Parse(second.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(wait, 1, 3600);
        var page = Html.Parse(await second.Content.ReadAsStringAsync());
        Assert.Contains($"Try again in {wait} seconds.", page.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
    }
}
