using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Verdicts.Tests.Infrastructure;

namespace Verdicts.Tests.Reliability;

/// <summary>
/// Bad requests get a 4xx with a message, never a 500, and change nothing. The tests that only read share one site;
/// those that check nothing was stored have their own, so a stray write shows in the test that made it.
/// </summary>
public sealed class BadHttpTests(SampleSite shared) : IClassFixture<SampleSite>
{
    private static StringContent Form(string body) => new(body, Encoding.UTF8, "application/x-www-form-urlencoded");

    [Theory]
    [InlineData("GET")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    public async Task Other_methods_on_the_sign_up_route_are_refused(string method)
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri("/subscribe", UriKind.Relative))
        {
            Content = method == "GET" ? null : Form("email=a%40example.com"),
        };
        using var response = await app.CreateClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Empty(await app.DeliveredMail());
    }

    public static TheoryData<string, string, HttpStatusCode> BadSignUps => new()
    {
        { "application/json", "{\"email\":\"a@example.com\"}", HttpStatusCode.UnsupportedMediaType },
        { "multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"email\"\r\n\r\na@example.com\r\n--x--\r\n", HttpStatusCode.UnsupportedMediaType },
        { "application/x-www-form-urlencoded", "email=a%40example.com&email=b%40example.com", HttpStatusCode.BadRequest },
        { "application/x-www-form-urlencoded", "email=a%40example.com&admin=true", HttpStatusCode.BadRequest },
        { "application/x-www-form-urlencoded", "website=", HttpStatusCode.BadRequest },
        { "application/x-www-form-urlencoded", "email=a%40example.com%00", HttpStatusCode.BadRequest },
        { "application/x-www-form-urlencoded", "email=a%40example.com%E2%80%AE", HttpStatusCode.BadRequest },
        { "application/x-www-form-urlencoded", "email=" + new string('a', 10_000) + "%40example.com", HttpStatusCode.RequestEntityTooLarge },
    };

    [Theory]
    [MemberData(nameof(BadSignUps))]
    public async Task Bad_sign_ups_get_a_clear_4xx_and_store_nothing(string contentType, string body, HttpStatusCode status)
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        var request = new StringContent(body, Encoding.UTF8);
        request.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var response = await app.NoRedirects().PostAsync(new Uri("/subscribe", UriKind.Relative), request);

        Assert.Equal(status, response.StatusCode);
        Assert.False(string.IsNullOrWhiteSpace(await response.Content.ReadAsStringAsync()));
        using var connection = app.Database.ReadWrites();
        Assert.Equal(0L, Dapper.SqlMapper.ExecuteScalar<long>(connection, "SELECT count(*) FROM subscribers"));
        Assert.Empty(await app.DeliveredMail());
    }

    [Fact]
    public async Task An_admin_post_with_a_token_from_another_session_is_refused()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content, AdminSession.AdminSettings());
        var mallory = await AdminSession.SignIn(app);
        var foreignToken = (await mallory.GetPage("/admin/new")).QuerySelector("input[name='__RequestVerificationToken']")!.GetAttribute("value")!;
        var victim = await AdminSession.SignIn(app);
        var before = content.Read("tools/alpha.md");

        using var response = await victim.PostAsync(new Uri("/admin/content/tools/alpha.md?handler=Save", UriKind.Relative),
            new FormUrlEncodedContent(new Dictionary<string, string> { ["Text"] = TestContent.ToolText("Hijacked"), ["OpenedHash"] = "", ["__RequestVerificationToken"] = foreignToken }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before, content.Read("tools/alpha.md"));
    }

    [Fact]
    public async Task A_cross_site_admin_post_is_refused_even_with_a_valid_token()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content, AdminSession.AdminSettings());
        var client = await AdminSession.SignIn(app);
        var form = (await client.GetPage("/admin/new")).QuerySelector("form.admin-form")!;
        using var response = await client.Submit(form, "Create", r => r.Headers.Add("Sec-Fetch-Site", "cross-site"), ("Kind", "tool"), ("Name", "Planted"));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(File.Exists(content.PathOf("tools/planted.md")));
    }

    [Theory]
    [InlineData("/search?q=%00")]
    [InlineData("/search?q=%ED%A0%80")]
    [InlineData("/search?q=%C0%AF%C0%AE")]
    [InlineData("/search?q=%E2%80%AEreversed")]
    [InlineData("/search?q=a%0D%0AX-Injected:%201")]
    [InlineData("/compare?a=%00&b=%0D%0A")]
    [InlineData("/compare?a=alpha&b=%ED%A0%80")]
    [InlineData("/votes/mine?tools=%00,%0D%0A,%ED%A0%80")]
    [InlineData("/unsubscribe?token=%00.%0D%0A")]
    [InlineData("/subscribe/confirm?token=%ED%A0%80")]
    [InlineData("/tools/alpha?voted=alpha%3A%0D%0Aship")]
    public async Task Control_characters_and_broken_utf8_in_query_strings_never_cause_a_500(string path)
    {
        var app = shared.App;
        using var response = await app.NoRedirects().Get(path);
        Assert.True((int)response.StatusCode < 500, $"{path}: {(int)response.StatusCode}");
        Assert.False(response.Headers.Contains("X-Injected"));
    }

    [Theory]
    [InlineData("/tools/%3Cscript%3Ealert(1)%3C%2Fscript%3E")]
    [InlineData("/categories/%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E")]
    [InlineData("/reviewers/%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E")]
    [InlineData("/compare/%3Cscript%3E-vs-alpha")]
    [InlineData("/no/%3Cscript%3Ealert(1)%3C%2Fscript%3E")]
    public async Task Reflected_markup_in_addresses_comes_back_encoded(string path)
    {
        var app = shared.App;
        using var response = await app.CreateClient().Get(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("<script>alert", body, StringComparison.Ordinal);
        Assert.DoesNotContain("<img src=x", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_crlf_in_the_address_cannot_forge_a_log_line()
    {
        using var content = TestContent.Sample();
        using var site = await SiteProcess.StartAsync(content, "--Serilog:MinimumLevel:Default=Information", "--Serilog:MinimumLevel:Override:Serilog.AspNetCore=Information");
        using var client = new HttpClient();
        using var response = await client.GetAsync(new Uri(site.BaseUrl + "/tools/x" + Uri.EscapeDataString("\r\n[00:00:00 INF] Forged: admin signed in\r\n")));
        await VerdictsApp.Eventually(() => Task.FromResult(site.Output.Any(l => l.Contains("/tools/x", StringComparison.Ordinal))), "the request is logged");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain(site.Output, line => line.StartsWith("[00:00:00 INF] Forged", StringComparison.Ordinal));
        Assert.Single(site.Output, line => line.Contains("/tools/x", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_request_answered_by_an_error_page_is_logged_once_with_the_address_asked_for_and_its_final_status()
    {
        using var content = TestContent.Sample();
        using var site = await SiteProcess.StartAsync(content, "--Serilog:MinimumLevel:Default=Information", "--Serilog:MinimumLevel:Override:Serilog.AspNetCore=Information");
        using var client = new HttpClient();
        using var response = await client.GetAsync(new Uri(site.BaseUrl + "/no-such-page"));
        await VerdictsApp.Eventually(() => Task.FromResult(site.Output.Any(l => l.Contains("/no-such-page", StringComparison.Ordinal))), "the request is logged");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("<h1", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var line = Assert.Single(site.Output, l => l.Contains("/no-such-page", StringComparison.Ordinal));
        Assert.Contains("HTTP GET /no-such-page responded 404", line, StringComparison.Ordinal);
        // The error page's own re-execution is not a second request.
        Assert.DoesNotContain(site.Output, l => l.Contains("HTTP GET /not-found", StringComparison.Ordinal));
    }
}
