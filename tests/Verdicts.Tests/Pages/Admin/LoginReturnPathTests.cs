using System.Net;
using Verdicts.Tests.Infrastructure;
using Verdicts.Web.Admin;

namespace Verdicts.Tests.Pages.Admin;

/// <summary>Where sign-in sends the admin next: only back into the admin area, in a Location header any server can send.</summary>
public sealed class LoginReturnPathTests
{
    [Theory]
    [InlineData("/administrator")]
    [InlineData("/admin-evil")]
    [InlineData("/admin/../../x")]
    [InlineData("/admin/%2e%2e/%2e%2e/x")]
    [InlineData("/admin/%2E%2E")]
    [InlineData("/admin%2F..%2Fx")]
    [InlineData("/admin/./content")]
    [InlineData("//evil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("/admin/\\evil.example")]
    [InlineData("/admin//evil.example")]
    [InlineData("https://evil.example/")]
    [InlineData("/%2F%2Fevil.example")]
    [InlineData("javascript:alert(1)")]
    [InlineData("/tools/alpha")]
    public async Task Sign_in_returns_only_to_paths_under_the_admin_area(string returnUrl)
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content, AdminSession.AdminSettings());
        var client = app.NoRedirects();
        var form = await client.FormOn("/admin/login?returnUrl=" + Uri.EscapeDataString(returnUrl), "form.login-form");
        using var response = await client.Submit(form, "Sign in", null, ("Name", AdminSession.Name), ("Password", AdminSession.Password));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/admin", response.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData("/admin", "/admin")]
    [InlineData("/admin/content/tools/alpha.md?line=3", "/admin/content/tools/alpha.md?line=3")]
    [InlineData("/admin/café", "/admin/caf%C3%A9")]
    [InlineData("/admin/votes?q=café", "/admin/votes?q=caf%C3%A9")]
    public async Task Sign_in_returns_to_an_admin_path_encoded_for_the_location_header(string returnUrl, string location)
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content, AdminSession.AdminSettings());
        var client = app.NoRedirects();
        var form = await client.FormOn("/admin/login?returnUrl=" + Uri.EscapeDataString(returnUrl), "form.login-form");
        using var response = await client.Submit(form, "Sign in", null, ("Name", AdminSession.Name), ("Password", AdminSession.Password));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(location, response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Sign_in_with_a_non_ascii_return_path_is_redirected_by_the_real_server_not_answered_500()
    {
        using var content = TestContent.Sample();
        // Kestrel, unlike the in-memory test server, refuses to send a header with a non-ASCII character.
        using var site = await SiteProcess.StartAsync(content,
            "--Verdicts:Admins:0:Name=" + AdminSession.Name, "--Verdicts:Admins:0:PasswordHash=" + AdminAccounts.Hash(AdminSession.Password));
        using var handler = new HttpClientHandler { AllowAutoRedirect = false };
        using var client = new HttpClient(handler) { BaseAddress = new Uri(site.BaseUrl) };
        var form = await client.FormOn("/admin/login?returnUrl=" + Uri.EscapeDataString("/admin/café"), "form.login-form");
        using var response = await client.Submit(form, "Sign in", null, ("Name", AdminSession.Name), ("Password", AdminSession.Password));
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, string.Join("\n", site.Output));
        Assert.Equal("/admin/caf%C3%A9", response.Headers.Location?.OriginalString);
    }
}
