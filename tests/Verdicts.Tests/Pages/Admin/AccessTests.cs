using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Verdicts.Tests.Infrastructure;
using Verdicts.Web.Admin;

namespace Verdicts.Tests.Pages.Admin;

public sealed class AccessTests
{
    public static TheoryData<string> AdminPages => new()
    {
        "/admin", "/admin/content", "/admin/content/tools/alpha.md", "/admin/content/tools/alpha.md?handler=Delete",
        "/admin/new", "/admin/audit", "/admin/votes", "/admin/subscribers",
    };

    [Theory]
    [MemberData(nameof(AdminPages))]
    public async Task Anonymous_visitors_are_sent_to_the_login_page_and_scripts_get_401(string path)
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content, AdminSession.AdminSettings());
        using var browser = await app.NoRedirects().Get(path);
        Assert.Equal(HttpStatusCode.Redirect, browser.StatusCode);
        Assert.StartsWith("http://localhost/admin/login?ReturnUrl=", browser.Headers.Location!.ToString(), StringComparison.Ordinal);

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var script = await app.NoRedirects().SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, script.StatusCode);
    }

    [Theory]
    [InlineData("/admin/content/tools/alpha.md?handler=Save")]
    [InlineData("/admin/content/tools/alpha.md?handler=Delete")]
    [InlineData("/admin/content/tools/alpha.md?handler=Rename")]
    [InlineData("/admin/new")]
    public async Task Anonymous_posts_change_nothing(string path)
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content, AdminSession.AdminSettings());
        var before = content.Read("tools/alpha.md");
        using var response = await app.NoRedirects().PostAsync(new Uri(path, UriKind.Relative),
            new StringContent("Text=x&OpenedHash=&NewSlug=zzz&Kind=tool&Name=Zed", Encoding.UTF8, "application/x-www-form-urlencoded"));
        Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.BadRequest, $"got {(int)response.StatusCode}");
        Assert.Equal(before, content.Read("tools/alpha.md"));
        Assert.False(File.Exists(content.PathOf("tools/zzz.md")) || File.Exists(content.PathOf("tools/zed.md")));
    }

    [Fact]
    public async Task A_signed_in_post_without_the_antiforgery_token_is_refused()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content, AdminSession.AdminSettings());
        var client = await AdminSession.SignIn(app);
        var before = content.Read("tools/alpha.md");
        using var response = await client.PostAsync(new Uri("/admin/content/tools/alpha.md?handler=Save", UriKind.Relative),
            new StringContent("Text=" + Uri.EscapeDataString(TestContent.ToolText("Hijacked")), Encoding.UTF8, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before, content.Read("tools/alpha.md"));
    }

    [Fact]
    public async Task With_no_admin_configured_the_login_page_explains_how_and_grants_nothing()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        var page = await app.CreateClient().GetPage("/admin/login");
        Assert.Contains("hash-password", page.QuerySelector(".notice").Text(), StringComparison.Ordinal);
        Assert.Null(page.QuerySelector("form.login-form"));
    }

    [Fact]
    public async Task A_wrong_password_or_name_gets_one_generic_message()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content, AdminSession.AdminSettings());
        var client = app.NoRedirects();
        using var wrongPassword = await AdminSession.TryLogIn(client, AdminSession.Name, "wrong");
        using var wrongName = await AdminSession.TryLogIn(client, "mallory", AdminSession.Password);
        foreach (var response in new[] { wrongPassword, wrongName })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("That name and password do not match an admin account.", Html.Parse(await response.Content.ReadAsStringAsync()).QuerySelector("[role=alert]").Text());
        }
    }

    [Fact]
    public async Task Signing_in_sets_a_strict_http_only_cookie_for_the_admin_area_only()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content, AdminSession.AdminSettings());
        using var response = await AdminSession.TryLogIn(app.NoRedirects(), "ADA", AdminSession.Password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/admin", response.Headers.Location?.OriginalString);
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("verdicts-admin=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/admin", cookie.Split(';').Select(part => part.Trim()), StringComparer.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Only_the_admin_area_reads_the_session_cookie()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content, AdminSession.AdminSettings());
        // No scheme authenticates by default, so public requests (votes, pages) never run the cookie handler...
        var schemes = app.Services.GetRequiredService<IAuthenticationSchemeProvider>();
        Assert.Null(await schemes.GetDefaultAuthenticateSchemeAsync());
        // ...while the admin pages' policy still signs the admin in, the login page included (it shows who is signed in).
        var client = await AdminSession.SignIn(app);
        var login = Html.Parse(await client.GetStringAsync("/admin/login"));
        Assert.Equal($"Sign out {AdminSession.Name}", login.QuerySelector("form[action='/admin/logout'] button")?.Text().Trim());
        using var home = await client.GetAsync("/admin");
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
    }

    [Fact]
    public async Task Repeated_failures_lock_the_failing_address_out_for_a_while_but_not_the_admin_elsewhere()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content, AdminSession.AdminSettings());
        var client = app.NoRedirects();
        for (var i = 0; i < LoginThrottle.FreeAttempts; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await AdminSession.TryLogIn(client, AdminSession.Name, "guess" + i, "198.51.100.1")).StatusCode);

        // Even the right password is refused from the address that has been failing...
        using var rightPasswordThere = await AdminSession.TryLogIn(client, AdminSession.Name, AdminSession.Password, "198.51.100.1");
        Assert.Equal(HttpStatusCode.TooManyRequests, rightPasswordThere.StatusCode);
        Assert.True(int.Parse(rightPasswordThere.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) > 0);

        using var sameAddressOtherName = await AdminSession.TryLogIn(client, "someone", "x", "198.51.100.1");
        Assert.Equal(HttpStatusCode.TooManyRequests, sameAddressOtherName.StatusCode);

        // ...while the admin, from an address that has not been failing, still signs in (issue 27, item 8).
        using var rightPasswordElsewhere = await AdminSession.TryLogIn(app.NoRedirects(), AdminSession.Name, AdminSession.Password, "198.51.100.2");
        Assert.Equal(HttpStatusCode.Redirect, rightPasswordElsewhere.StatusCode);
    }

    [Fact]
    public async Task Hash_password_reads_standard_input_and_prints_only_a_hash_that_verifies()
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Verdicts.Web.dll"));
        start.ArgumentList.Add("hash-password");
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteLineAsync("a long passphrase");
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(0, process.ExitCode);
        var hash = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain("a long passphrase", output, StringComparison.Ordinal);
        var accounts = new AdminAccounts(Microsoft.Extensions.Options.Options.Create(new Verdicts.Web.VerdictsOptions { Admins = [new AdminAccount { Name = "x", PasswordHash = hash.Trim() }] }));
        Assert.Equal("x", accounts.Verify("x", "a long passphrase"));
        Assert.Null(accounts.Verify("x", "a long passphrase "));
    }
}
