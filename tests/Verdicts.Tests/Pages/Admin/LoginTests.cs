using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Verdicts.Tests.Infrastructure;
using Verdicts.Web.Admin;

namespace Verdicts.Tests.Pages.Admin;

public sealed class LoginTests
{
    [Theory]
    [InlineData(LoginThrottle.MaxNameLength + 1, 10)]
    [InlineData(1_000_000, 10)]
    [InlineData(3, LoginThrottle.MaxPasswordLength + 1)]
    [InlineData(3, 1_000_000)]
    public async Task An_overlong_name_or_password_is_refused_with_400_before_it_is_checked_or_counted(int nameLength, int passwordLength)
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content, AdminSession.AdminSettings());
        var name = new string('n', nameLength);
        var password = new string('p', passwordLength);

        using var response = await AdminSession.TryLogIn(app.NoRedirects(), name, password, "198.51.100.7");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal($"Names are at most {LoginThrottle.MaxNameLength} characters and passwords at most {LoginThrottle.MaxPasswordLength}.",
            Html.Parse(body).QuerySelector("[role=alert]").Text());
        Assert.Equal(0, await app.Services.GetRequiredService<LoginThrottle>().CountEntriesAsync());
        // Nothing typed is sent back in the form.
        Assert.DoesNotContain(new string(nameLength > passwordLength ? 'n' : 'p', Math.Max(nameLength, passwordLength)), body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_name_and_password_at_the_limits_are_checked_and_counted_as_usual()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content, AdminSession.AdminSettings());
        using var response = await AdminSession.TryLogIn(app.NoRedirects(), new string('n', LoginThrottle.MaxNameLength),
            new string('p', LoginThrottle.MaxPasswordLength), "198.51.100.7");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(2, await app.Services.GetRequiredService<LoginThrottle>().CountEntriesAsync());
    }

    [Theory]
    [InlineData("", "x")]
    [InlineData("ada", "")]
    public async Task An_empty_name_or_password_is_refused_with_400(string name, string password)
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content, AdminSession.AdminSettings());
        using var response = await AdminSession.TryLogIn(app.NoRedirects(), name, password);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Give a name and a password.", Html.Parse(await response.Content.ReadAsStringAsync()).QuerySelector("[role=alert]").Text());
    }

    [Fact]
    public async Task The_admin_home_page_lists_recent_failures_and_lockouts_by_name_and_address()
    {
        using var content = TestContent.Sample();
        var clock = new TestClock(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        await using var app = new VerdictsApp(content, AdminSession.AdminSettings()) { Clock = clock };
        var attacker = app.NoRedirects();
        for (var i = 0; i < LoginThrottle.FreeAttempts; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await AdminSession.TryLogIn(attacker, AdminSession.Name, "guess" + i, "198.51.100.1")).StatusCode);

        var admin = app.NoRedirects();
        using (var signIn = await AdminSession.TryLogIn(admin, AdminSession.Name, AdminSession.Password, "198.51.100.2"))
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var page = await admin.GetPage("/admin");

        // After the fifth failure the first lockout lasts 30 seconds.
        var until = clock.Now.AddSeconds(30).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var byName = page.QuerySelector("tr[data-account='ada'][data-network='198.51.100.1']");
        Assert.NotNull(byName);
        Assert.Equal(LoginThrottle.FreeAttempts.ToString(CultureInfo.InvariantCulture), byName.GetAttribute("data-failures"));
        Assert.Equal(until, byName.GetAttribute("data-until"));
        var byAddress = page.QuerySelector("tr[data-account=''][data-network='198.51.100.1']");
        Assert.NotNull(byAddress);
        Assert.Equal(until, byAddress.GetAttribute("data-until"));
        // The admin's own address never failed, so it is not listed.
        Assert.Null(page.QuerySelector("tr[data-network='198.51.100.2']"));
    }
}
