using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Dapper;
using Verdicts.Tests.Infrastructure;
using Verdicts.Web.Voting;

namespace Verdicts.Tests.Voting;

public sealed class VotingEndpointsTests
{
    private static async Task<AngleSharp.Dom.IElement> VoteForm(HttpClient client, string page, string tool) =>
        (await client.GetPage(page)).QuerySelector($".community form.vote-form[data-tool='{tool}']")!;

    private static List<(string Tool, string Choice)> Rows(VerdictsApp app)
    {
        using var connection = app.Database.ReadWrites();
        return connection.Query<(string, string)>("SELECT tool_slug, choice FROM votes ORDER BY tool_slug, choice").ToList();
    }

    [Fact]
    public async Task A_vote_without_javascript_posts_the_form_and_comes_back_to_the_page_showing_it()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        var client = app.NoRedirects();
        var form = await VoteForm(client, "/compare/alpha-or-beta", "alpha");

        using var response = await client.Submit(form, "ship");

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/compare/alpha-or-beta?voted=alpha:ship#vote-alpha", Uri.UnescapeDataString(response.Headers.Location!.OriginalString));
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("vid=", cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal([("alpha", "ship")], Rows(app));

        var page = await client.GetPage(response.Headers.Location.OriginalString);
        // One vote is too few for a share (issue 30).
        Assert.Equal("", page.Metric("community-ship", "alpha"));
        // The figures are shown once, in the glance grid at the top of the comparison page.
        Assert.Equal("1 ship · 0 skip", page.QuerySelector(".glance [data-metric='community-ship'][data-tool='alpha']").Text());
        Assert.Equal("1 vote, too few for a share", page.QuerySelector(".glance [data-metric='community-votes'][data-tool='alpha']").Text());
        Assert.Equal("1", page.Metric("community-votes", "alpha"));
        var alpha = page.QuerySelector(".community form[data-tool='alpha']")!;
        Assert.Equal("true", alpha.QuerySelector("button[value='ship']")?.GetAttribute("aria-pressed"));
        Assert.Equal("You voted ship on Alpha. You can change or withdraw your vote.", alpha.QuerySelector(".vote-status").Text());
        Assert.Equal("false", page.QuerySelector(".community form[data-tool='beta'] button[value='ship']")?.GetAttribute("aria-pressed"));
    }

    [Fact]
    public async Task Voting_again_changes_the_vote_and_clear_withdraws_it()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        var client = app.NoRedirects();
        var form = await VoteForm(client, "/tools/beta", "beta");

        using var first = await client.Submit(form, "ship");
        var cookie = first.Headers.GetValues("Set-Cookie").Single().Split(';')[0];
        using var second = await client.Submit(form, "skip", r => r.Headers.Add("Cookie", cookie));
        Assert.False(second.Headers.Contains("Set-Cookie"));
        Assert.Equal([("beta", "skip")], Rows(app));

        using var cleared = await client.Submit(form, "clear", r => r.Headers.Add("Cookie", cookie));
        Assert.Equal(HttpStatusCode.SeeOther, cleared.StatusCode);
        Assert.Equal("/tools/beta?voted=beta:clear#vote-beta", Uri.UnescapeDataString(cleared.Headers.Location!.OriginalString));
        Assert.Empty(Rows(app));
        Assert.Equal(new Tally(0, 0), app.Tallies.Of("beta"));
    }

    [Fact]
    public async Task A_request_asking_for_json_gets_the_new_tally()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        app.CastVotes("alpha", ship: 1, skip: 2);
        var client = app.NoRedirects();
        var form = await VoteForm(client, "/compare/alpha-or-beta", "alpha");

        using var response = await client.Submit(form, "ship", r => r.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("alpha", json.RootElement.GetProperty("tool").GetString());
        Assert.Equal("ship", json.RootElement.GetProperty("choice").GetString());
        var community = json.RootElement.GetProperty("community");
        // Four votes: the counts, with no share yet (issue 30), and the page's words for them.
        Assert.Equal((2, 2, 4, JsonValueKind.Null),
            (community.GetProperty("ship").GetInt32(), community.GetProperty("skip").GetInt32(), community.GetProperty("n").GetInt32(), community.GetProperty("percent").ValueKind));
        Assert.Equal("2 ship · 2 skip, too few votes for a share", json.RootElement.GetProperty("shown").GetProperty("summary").GetString());
    }

    [Fact]
    public async Task Over_https_the_visitor_cookie_is_host_prefixed_and_secure()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false });
        using var response = await client.Submit(await VoteForm(client, "/tools/alpha", "alpha"), "skip");
        var cookie = response.Headers.GetValues("Set-Cookie").Single();
        Assert.StartsWith("__Host-vid=", cookie, StringComparison.Ordinal);
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("domain=", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_visitor_id_is_stored_only_as_a_keyed_hash()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        var client = app.NoRedirects();
        using var response = await client.Submit(await VoteForm(client, "/tools/alpha", "alpha"), "ship");
        // The cookie holds the id and the site's signature of it, after a dot.
        var id = response.Headers.GetValues("Set-Cookie").Single().Split(';')[0]["vid=".Length..].Split('.')[0];

        using var connection = app.Database.ReadWrites();
        var key = Convert.FromBase64String(connection.QuerySingle<string>("SELECT value FROM secrets WHERE name = 'voter-key'"));
        // The id is 18 bytes: the Unix milliseconds it was made, in 6 bytes, then 12 random ones. The stored voter is
        // that time in hex (so new voters sort last) and the keyed hash of the whole id; the random part is not kept.
        var bytes = System.Buffers.Text.Base64Url.DecodeFromChars(id);
        Assert.Equal(18, bytes.Length);
        var made = DateTimeOffset.FromUnixTimeMilliseconds(bytes.Take(6).Aggregate(0L, (ms, b) => ms << 8 | b));
        Assert.InRange(made, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow);
        var expected = Convert.ToHexStringLower(bytes[..6]) + Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(id)));
        Assert.Equal(expected, connection.QuerySingle<string>("SELECT voter FROM votes"));
        Assert.DoesNotContain(Convert.ToHexStringLower(bytes[6..]), expected, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_visitor_whose_cookie_predates_timed_ids_keeps_the_votes_stored_under_it()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        const string legacyId = "AAECAwQFBgcICQoLDA0ODw"; // 22 characters: 16 random bytes, as ids were first made
        using (var keys = app.Database.ReadWrites())
        using (var connection = app.Database.OpenWrites())
        {
            var key = Convert.FromBase64String(keys.QuerySingle<string>("SELECT value FROM secrets WHERE name = 'voter-key'"));
            var voter = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(legacyId)));
            connection.Execute("INSERT INTO votes (tool_slug, voter, choice, voted_at) VALUES ('alpha', @voter, 'ship', '2026-01-02T03:04:05.000Z')", new { voter });
        }
        var client = app.NoRedirects();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/votes/mine?tools=alpha", UriKind.Relative));
        request.Headers.Add("Cookie", "vid=" + legacyId);
        using (var mine = await client.SendAsync(request))
            Assert.Equal("{\"alpha\":\"ship\"}", await mine.Content.ReadAsStringAsync());

        using var vote = new HttpRequestMessage(HttpMethod.Post, new Uri("/tools/alpha/vote", UriKind.Relative))
        {
            Content = new FormUrlEncodedContent([new("choice", "skip")]),
        };
        vote.Headers.Add("Cookie", "vid=" + legacyId);
        vote.Headers.Add("Sec-Fetch-Site", "same-origin");
        using var response = await client.SendAsync(vote);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal([("alpha", "skip")], Rows(app));
        // Votes are stored under the unsigned id, so the site once issued it: it is signed now, the same id kept.
        var signed = response.Headers.GetValues("Set-Cookie").Single().Split(';')[0];
        Assert.StartsWith("vid=" + legacyId + ".", signed, StringComparison.Ordinal);
        using var again = new HttpRequestMessage(HttpMethod.Post, new Uri("/tools/alpha/vote", UriKind.Relative))
        {
            Content = new FormUrlEncodedContent([new("choice", "ship")]),
        };
        again.Headers.Add("Cookie", signed);
        using var changed = await client.SendAsync(again);
        Assert.Equal(HttpStatusCode.SeeOther, changed.StatusCode);
        Assert.False(changed.Headers.Contains("Set-Cookie"));
        Assert.Equal([("alpha", "ship")], Rows(app));
    }

    [Fact]
    public async Task A_return_path_with_non_ascii_letters_is_sent_back_percent_encoded_with_the_vote_and_cookie_kept()
    {
        using var content = TestContent.Sample();
        // Kestrel itself, not the test server: it is Kestrel that refuses a header value outside ASCII.
        using var site = await SiteProcess.StartAsync(content, "--Verdicts:WatchFiles=false");
        using var client = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = new Uri(site.BaseUrl) };

        using var response = await client.PostAsync(new Uri("/tools/alpha/vote", UriKind.Relative),
            new FormUrlEncodedContent([new("choice", "ship"), new("return", "/café?x=é")]));

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("vid=", StringComparison.Ordinal));
        var location = response.Headers.Location!.OriginalString;
        Assert.All(location, c => Assert.True(c < 128, $"'{c}' in {location} is not ASCII"));
        Assert.Equal("/caf%C3%A9?x=%C3%A9&voted=alpha%3Aship#vote-alpha", location);
        site.Terminate();
        Assert.True(site.WaitForExit(TimeSpan.FromSeconds(30)), "the site did not stop");
        using var connection = content.OpenWritten();
        Assert.Equal([("alpha", "ship")], connection.Query<(string, string)>("SELECT tool_slug, choice FROM votes").ToList());
    }

    public static TheoryData<string, HttpStatusCode> BadBodies => new()
    {
        { "choice=maybe", HttpStatusCode.BadRequest },
        { "", HttpStatusCode.BadRequest },
        { "choice=ship&choice=skip", HttpStatusCode.BadRequest },
        { "choice=ship&extra=1", HttpStatusCode.BadRequest },
        { "choice=SHIP", HttpStatusCode.BadRequest },
        { "choice=ship%00", HttpStatusCode.BadRequest },
        { "choice=ship%0D%0AX-Injected:%201", HttpStatusCode.BadRequest },
        { "choice=ship&return=//evil.example/", HttpStatusCode.BadRequest },
        { "choice=ship&return=https://evil.example/", HttpStatusCode.BadRequest },
        { "choice=ship&return=/%0D%0ALocation:%20https://evil.example", HttpStatusCode.BadRequest },
        { "choice=ship&return=/\\evil.example", HttpStatusCode.BadRequest },
        { "choice=ship&return=javascript:alert(1)", HttpStatusCode.BadRequest },
        { "choice=ship&return=/ok&return=/twice", HttpStatusCode.BadRequest },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task A_bad_vote_gets_a_clear_4xx_and_writes_nothing(string body, HttpStatusCode status)
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        using var response = await app.NoRedirects().PostAsync(new Uri("/tools/alpha/vote", UriKind.Relative),
            new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded"));

        Assert.Equal(status, response.StatusCode);
        Assert.False(string.IsNullOrWhiteSpace(await response.Content.ReadAsStringAsync()));
        Assert.False(response.Headers.Contains("Location"));
        Assert.Empty(Rows(app));
    }

    [Theory]
    [InlineData("application/json", "{\"choice\":\"ship\"}", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"choice\"\r\n\r\nship\r\n--x--\r\n", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("text/plain", "choice=ship", HttpStatusCode.UnsupportedMediaType)]
    public async Task Only_url_encoded_forms_are_accepted(string contentType, string body, HttpStatusCode status)
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        var request = new StringContent(body, Encoding.UTF8);
        request.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var response = await app.CreateClient().PostAsync(new Uri("/tools/alpha/vote", UriKind.Relative), request);
        Assert.Equal(status, response.StatusCode);
        Assert.Empty(Rows(app));
    }

    [Fact]
    public async Task An_oversized_body_is_refused_with_413()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        using var response = await app.CreateClient().PostAsync(new Uri("/tools/alpha/vote", UriKind.Relative),
            new StringContent("choice=ship&return=/" + new string('a', 20_000), Encoding.UTF8, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(Rows(app));
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    [InlineData("PATCH")]
    public async Task Other_methods_on_the_vote_route_are_refused(string method)
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri("/tools/alpha/vote", UriKind.Relative))
        {
            Content = method == "GET" ? null : new StringContent("choice=ship", Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        using var response = await app.CreateClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(["POST"], response.Content.Headers.Allow);
        Assert.Contains("POST", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(Rows(app));
    }

    [Theory]
    [InlineData("/TOOLS/alpha/VOTE", "alpha")]
    [InlineData("/tools/beta/vote/", "beta")]
    public async Task The_vote_path_matches_as_routing_would_in_any_case_and_with_a_trailing_slash(string path, string tool)
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        using var response = await app.NoRedirects().PostAsync(new Uri(path, UriKind.Relative),
            new StringContent("choice=skip", Encoding.UTF8, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal([(tool, "skip")], Rows(app));
    }

    [Theory]
    [InlineData("/tools/alpha/vote", "alpha")]
    [InlineData("/Tools/x-1/Vote/", "x-1")]
    [InlineData("/tools/vote", null)]
    [InlineData("/tools//vote", null)]
    [InlineData("/tools/a/b/vote", null)]
    [InlineData("/tools/alpha/votes", null)]
    [InlineData("/tools/alpha", null)]
    [InlineData("/tool/alpha/vote", null)]
    public void Only_tools_slug_vote_paths_name_a_tool(string path, string? slug) =>
        Assert.Equal(slug, Verdicts.Web.Voting.VotingEndpoints.VoteSlug(new Microsoft.AspNetCore.Http.PathString(path)));

    [Fact]
    public async Task A_vote_for_an_unknown_or_draft_tool_is_404()
    {
        using var content = TestContent.Sample().Tool("secret", extra: "draft: true\n");
        await using var app = new VerdictsApp(content);
        foreach (var tool in new[] { "nope", "secret", "ALPHA" })
        {
            using var response = await app.CreateClient().PostAsync(new Uri($"/tools/{tool}/vote", UriKind.Relative),
                new StringContent("choice=ship", Encoding.UTF8, "application/x-www-form-urlencoded"));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
        Assert.Empty(Rows(app));
    }

    [Theory]
    [InlineData("Sec-Fetch-Site", "cross-site", HttpStatusCode.Forbidden)]
    [InlineData("Sec-Fetch-Site", "same-site", HttpStatusCode.Forbidden)]
    [InlineData("Origin", "https://evil.example", HttpStatusCode.Forbidden)]
    [InlineData("Origin", "null", HttpStatusCode.Forbidden)]
    [InlineData("Sec-Fetch-Site", "same-origin", HttpStatusCode.SeeOther)]
    [InlineData("Sec-Fetch-Site", "none", HttpStatusCode.SeeOther)]
    [InlineData("Origin", "http://localhost", HttpStatusCode.SeeOther)]
    [InlineData("X-Nothing", "no browser headers", HttpStatusCode.SeeOther)]
    public async Task Cross_site_posts_are_refused_and_same_site_ones_accepted(string header, string value, HttpStatusCode status)
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        var client = app.NoRedirects();
        using var response = await client.Submit(await VoteForm(client, "/tools/alpha", "alpha"), "ship", r => r.Headers.Add(header, value));
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(status == HttpStatusCode.Forbidden ? 0 : 1, Rows(app).Count);
    }

    [Fact]
    public async Task Fifty_identical_votes_in_parallel_from_one_visitor_leave_one_row()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        var client = app.NoRedirects();
        var form = await VoteForm(client, "/tools/alpha", "alpha");
        using var first = await client.Submit(form, "ship");
        var cookie = first.Headers.GetValues("Set-Cookie").Single().Split(';')[0];

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => client.Submit(form, "skip", r => r.Headers.Add("Cookie", cookie))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.SeeOther, r.StatusCode));
        Assert.Equal([("alpha", "skip")], Rows(app));
        Assert.Equal(new Tally(0, 1), app.Tallies.Of("alpha"));
    }

    [Fact]
    public async Task A_page_copy_stored_just_after_a_vote_commits_is_evicted_again_a_moment_later()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        var form = await VoteForm(app.NoRedirects(), "/compare/alpha-or-beta", "beta");

        var lateCopies = app.StoreLateCopiesAtNextCommit("beta", "alpha");
        using var vote = await app.NoRedirects().Submit(form, "ship");
        var late = await lateCopies;

        Assert.Equal(HttpStatusCode.SeeOther, vote.StatusCode);
        await VerdictsApp.Eventually(async () => !await app.IsCached(late["beta"]), "the follow-up eviction drops the late copy");
        Assert.True(await app.IsCached(late["alpha"]));
    }

    [Fact]
    public async Task A_cached_page_shows_the_new_tally_as_soon_as_the_vote_is_acknowledged()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        var client = app.NoRedirects();
        var form = await VoteForm(client, "/compare/alpha-or-beta", "beta");
        using (var cached = await client.Get("/compare/alpha-or-beta"))
            Assert.True(cached.Headers.Contains("Age"));

        for (var i = 0; i < 5; i++)
        {
            // A new client each time: a new visitor, not one visitor changing their vote.
            using var vote = await app.NoRedirects().Submit(form, i % 2 == 0 ? "ship" : "skip");
            var page = await client.GetPage("/compare/alpha-or-beta");
            Assert.Equal((i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), page.Metric("community-votes", "beta"));
        }
    }

    [Fact]
    public async Task The_visitor_can_ask_for_their_own_votes_without_the_page_varying()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        var client = app.NoRedirects();
        using var vote = await client.Submit(await VoteForm(client, "/tools/beta", "beta"), "skip");
        var cookie = vote.Headers.GetValues("Set-Cookie").Single().Split(';')[0];

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/votes/mine?tools=alpha,beta", UriKind.Relative));
        request.Headers.Add("Cookie", cookie);
        using var response = await client.SendAsync(request);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Equal("{\"beta\":\"skip\"}", await response.Content.ReadAsStringAsync());
        Assert.Equal("{}", await app.NoRedirects().GetStringAsync(new Uri("/votes/mine?tools=beta", UriKind.Relative)));
    }
}
