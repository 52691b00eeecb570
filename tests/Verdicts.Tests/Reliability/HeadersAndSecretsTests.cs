using System.Net;
using System.Text;
using Dapper;
using Verdicts.Tests.Infrastructure;

namespace Verdicts.Tests.Reliability;

public sealed class HeadersAndSecretsTests
{
    private static void AssertSecurityHeaders(HttpResponseMessage response, string what)
    {
        var csp = string.Join(' ', response.Headers.TryGetValues("Content-Security-Policy", out var values) ? values : []);
        foreach (var directive in new[] { "default-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'" })
            Assert.True(csp.Contains(directive, StringComparison.Ordinal), $"{what}: CSP lacks {directive}");
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.True(response.Headers.Contains("X-Content-Type-Options"), $"{what}: no nosniff");
        Assert.True(response.Headers.Contains("Referrer-Policy"), $"{what}: no Referrer-Policy");
    }

    [Fact]
    public async Task Rate_limited_bad_and_failed_responses_carry_the_security_headers_too()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content, new Dictionary<string, string?> { ["Verdicts:RateLimit:TokenLimit"] = "1", ["Verdicts:RateLimit:TokensPerPeriod"] = "1", ["Verdicts:RateLimit:PeriodSeconds"] = "3600" });
        var client = app.NoRedirects();
        HttpResponseMessage Post(string body) => client.PostAsync(new Uri("/tools/alpha/vote", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded")).Result;

        using var bad = Post("choice=maybe");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        AssertSecurityHeaders(bad, "400");
        using var limited = Post("choice=ship");
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        AssertSecurityHeaders(limited, "429");
        using var forbidden = await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, new Uri("/subscribe", UriKind.Relative))
        {
            Headers = { { "Origin", "https://evil.example" } },
            Content = new StringContent("email=a%40example.com", Encoding.UTF8, "application/x-www-form-urlencoded"),
        });
        AssertSecurityHeaders(forbidden, "403");
        using var methodNotAllowed = await client.GetAsync(new Uri("/subscribe", UriKind.Relative));
        AssertSecurityHeaders(methodNotAllowed, "405");

        using (var connection = app.Database.Open())
            connection.Execute("ALTER TABLE tools RENAME TO tools_gone");
        using var failed = await client.GetAsync(new Uri("/tools/alpha?fresh=1", UriKind.Relative));
        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        AssertSecurityHeaders(failed, "500");
    }

    [Fact]
    public async Task A_page_answered_from_the_output_cache_carries_the_security_headers_and_no_cookie()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        var client = app.NoRedirects();

        using var first = await client.GetAsync(new Uri("/compare/alpha-or-beta", UriKind.Relative));
        using var second = await client.GetAsync(new Uri("/compare/alpha-or-beta", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        // The output cache marks what it served from storage with an Age header.
        Assert.False(first.Headers.Contains("Age"));
        Assert.True(second.Headers.Contains("Age"), "the second answer came from the output cache");
        AssertSecurityHeaders(second, "cached page");
        Assert.False(second.Headers.Contains("Set-Cookie"));
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
    }

    [Fact]
    public void The_repository_holds_no_secrets()
    {
        var root = Verdicts.Web.VerdictsOptions.FindRepositoryRoot(AppContext.BaseDirectory);
        var settings = File.ReadAllText(Path.Combine(root, "src", "Verdicts.Web", "appsettings.json"));
        Assert.DoesNotContain("PasswordHash", settings, StringComparison.Ordinal);
        Assert.DoesNotContain("VoterKey", settings, StringComparison.Ordinal);
        Assert.DoesNotContain("Password\"", settings, StringComparison.Ordinal);
        // The database holds the voter key and subscribers: it must never be committed.
        var ignored = File.ReadAllLines(Path.Combine(root, ".gitignore"));
        Assert.Contains("/data/", ignored);
        Assert.Contains("*.db", ignored);
    }

    [Fact]
    public async Task Neither_the_admin_hash_nor_the_voter_key_nor_a_password_reaches_the_log()
    {
        using var content = TestContent.Sample();
        var settings = AdminSession.AdminSettings();
        using var site = await SiteProcess.StartAsync(content, [.. settings.Select(s => $"--{s.Key}={s.Value}"), "--Serilog:MinimumLevel:Default=Debug"]);
        using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = new Uri(site.BaseUrl) };
        using (await AdminSession.TryLogIn(client, AdminSession.Name, "wrong password here"))
        using (await AdminSession.TryLogIn(client, AdminSession.Name, AdminSession.Password))
        using (await client.PostAsync(new Uri("/tools/alpha/vote", UriKind.Relative), new StringContent("choice=ship", Encoding.UTF8, "application/x-www-form-urlencoded")))
        {
        }
        site.Kill();
        using var connection = content.OpenWritten();
        var voterKey = connection.QuerySingle<string>("SELECT value FROM secrets WHERE name = 'voter-key'");
        var log = string.Join('\n', site.Output);

        Assert.Contains("Failed admin sign-in", log, StringComparison.Ordinal);
        foreach (var secret in new[] { settings["Verdicts:Admins:0:PasswordHash"]!, voterKey, AdminSession.Password, "wrong password here" })
            Assert.DoesNotContain(secret, log, StringComparison.Ordinal);
    }
}
