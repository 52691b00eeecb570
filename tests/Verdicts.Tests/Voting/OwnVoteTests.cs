using System.Net;
using System.Text.Json;
using Verdicts.Tests.Infrastructure;

namespace Verdicts.Tests.Voting;

/// <summary>
/// A visitor sees their own vote after a reload, while the cached page stays the same for everyone: without JavaScript
/// through the address the vote returns to (at the tool's vote form), with it through the uncached <c>/votes/mine</c>.
/// </summary>
public sealed class OwnVoteTests
{
    [Theory]
    [InlineData("/tools/alpha", "alpha", "Alpha")]
    [InlineData("/compare/alpha-or-beta", "beta", "Beta")]
    public async Task A_vote_without_javascript_returns_to_the_tools_vote_form_which_says_how_they_voted(string path, string tool, string name)
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        var client = app.NoRedirects();
        var form = (await client.GetPage(path)).QuerySelector($"form.vote-form[data-tool='{tool}']")!;
        Assert.Equal($"vote-{tool}", form.Id);

        using var response = await client.Submit(form, "skip");

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        Assert.Equal($"{path}?voted={tool}:skip#vote-{tool}", Uri.UnescapeDataString(location));
        var cookie = response.Headers.GetValues("Set-Cookie").Single().Split(';')[0];
        // The page it returns to, and the same address reloaded, have the anchor and say what this visitor chose.
        for (var load = 0; load < 2; load++)
        {
            var page = await client.GetPage(location.Split('#')[0]);
            var box = page.GetElementById($"vote-{tool}")!;
            Assert.Equal("form", box.LocalName);
            Assert.Equal($"You voted skip on {name}. You can change or withdraw your vote.", box.QuerySelector(".vote-status").Text());
            Assert.Equal("true", box.QuerySelector("button[value='skip']")?.GetAttribute("aria-pressed"));
            Assert.Equal("false", box.QuerySelector("button[value='ship']")?.GetAttribute("aria-pressed"));
            Assert.NotNull(box.QuerySelector("button[value='clear']"));
        }

        // The plain address stays the shared page: nothing of this visitor's is in it.
        var shared = await client.GetPage(path);
        Assert.Equal("", shared.GetElementById($"vote-{tool}")!.QuerySelector(".vote-status").Text());
        // What the script reads after a reload: the visitor's own votes, uncached.
        using var mine = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri($"/votes/mine?tools={tool},gamma", UriKind.Relative))
        {
            Headers = { { "Cookie", cookie } },
        });
        Assert.Equal("no-store", mine.Headers.CacheControl?.ToString());
        using var json = JsonDocument.Parse(await mine.Content.ReadAsStringAsync());
        Assert.Equal([(tool, "skip")], json.RootElement.EnumerateObject().Select(p => (p.Name, p.Value.GetString())));
    }

    [Fact]
    public async Task A_return_path_with_its_own_fragment_gets_the_vote_forms_instead()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        var client = app.NoRedirects();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/tools/alpha/vote", UriKind.Relative))
        {
            Content = new FormUrlEncodedContent([new("choice", "ship"), new("return", "/compare/alpha-or-beta?x=1#top")]),
        };
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/compare/alpha-or-beta?x=1&voted=alpha:ship#vote-alpha", Uri.UnescapeDataString(response.Headers.Location!.OriginalString));
    }
}
