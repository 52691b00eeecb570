using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Verdicts.Tests.Infrastructure;
using Verdicts.Web.Admin;

namespace Verdicts.Tests.Pages.Admin;

/// <summary>Admin sessions end server-side: at sign-out, when the account goes or its password changes, and at their absolute lifetime.</summary>
public sealed class SessionTests
{
    private const string Csv = "/admin/subscribers?handler=Csv";

    /// <summary>Signs in through the form and returns the session cookie as a browser would send it back.</summary>
    private static async Task<(HttpClient Client, string Cookie)> SignIn(VerdictsApp app, string name = AdminSession.Name, string password = AdminSession.Password)
    {
        var client = app.NoRedirects();
        using var response = await AdminSession.TryLogIn(client, name, password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("verdicts-admin=", StringComparison.Ordinal));
        return (client, cookie.Split(';')[0]);
    }

    /// <summary>A request carrying only the given cookie, from a client that keeps none: a replayed or copied cookie.</summary>
    private static async Task<HttpResponseMessage> Replay(VerdictsApp app, string cookie, string path)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Add("Cookie", cookie);
        return await client.SendAsync(request);
    }

    private static void AssertSentToLogin(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/admin/login", response.Headers.Location!.AbsolutePath);
    }

    // Hashed once: each hash has its own salt, and a new hash of the same password is a changed password.
    private static readonly Dictionary<string, string> Hashes = new[] { "correct horse", "battery staple", "a new passphrase" }
        .ToDictionary(p => p, AdminAccounts.Hash);

    private static Dictionary<string, string?> Admins(params (string Name, string Password)[] admins)
    {
        var settings = new Dictionary<string, string?>();
        for (var i = 0; i < admins.Length; i++)
        {
            settings[$"Verdicts:Admins:{i}:Name"] = admins[i].Name;
            settings[$"Verdicts:Admins:{i}:PasswordHash"] = Hashes[admins[i].Password];
        }
        return settings;
    }

    [Fact]
    public async Task A_cookie_replayed_after_signing_out_is_refused()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content, AdminSession.AdminSettings());
        var (client, cookie) = await SignIn(app);
        using (var before = await Replay(app, cookie, "/admin"))
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);

        var logout = await client.FormOn("/admin", "form.logout-form");
        using (var signedOut = await client.PostForm(logout))
            Assert.Equal("/admin/login", signedOut.Headers.Location?.OriginalString);

        using var replayed = await Replay(app, cookie, "/admin");
        AssertSentToLogin(replayed);
        using var csv = await Replay(app, cookie, Csv);
        AssertSentToLogin(csv);
    }

    [Fact]
    public async Task A_cookie_issued_before_its_account_was_removed_cannot_download_the_subscribers()
    {
        using var content = TestContent.Sample();
        string adaCookie, bobCookie;
        await using (var before = new VerdictsApp(content, Admins(("ada", "correct horse"), ("bob", "battery staple"))))
        {
            (_, adaCookie) = await SignIn(before, "ada", "correct horse");
            (_, bobCookie) = await SignIn(before, "bob", "battery staple");
            using var allowed = await Replay(before, bobCookie, Csv);
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        // The same database, restarted with bob removed from the configuration.
        await using var after = new VerdictsApp(content, Admins(("ada", "correct horse")));
        using var removed = await Replay(after, bobCookie, Csv);
        AssertSentToLogin(removed);
        Assert.DoesNotContain("email,state", await removed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // ada is still configured, so her cookie from before the restart still works.
        using var kept = await Replay(after, adaCookie, Csv);
        Assert.Equal(HttpStatusCode.OK, kept.StatusCode);
    }

    [Fact]
    public async Task A_cookie_issued_before_the_password_changed_is_refused()
    {
        using var content = TestContent.Sample();
        string cookie;
        await using (var before = new VerdictsApp(content, Admins(("ada", "correct horse"))))
            (_, cookie) = await SignIn(before, "ada", "correct horse");

        await using var after = new VerdictsApp(content, Admins(("ada", "a new passphrase")));
        using var refused = await Replay(after, cookie, Csv);
        AssertSentToLogin(refused);
    }

    [Fact]
    public async Task An_active_session_ends_at_its_absolute_lifetime()
    {
        using var content = TestContent.Sample();
        var clock = new TestClock(new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero));
        var settings = AdminSession.AdminSettings();
        settings["Verdicts:AdminSessionHours"] = "12";
        await using var app = new VerdictsApp(content, settings) { Clock = clock };
        var (client, _) = await SignIn(app);
        var signedIn = clock.Now;

        // Busy all day: a request every two hours keeps the sliding cookie renewed...
        for (var hours = 2; hours < 12; hours += 2)
        {
            clock.Now = signedIn.AddHours(hours);
            using var active = await client.Get("/admin");
            Assert.True(active.StatusCode == HttpStatusCode.OK, $"after {hours} hours: {(int)active.StatusCode}");
        }

        // ...but not past twelve hours from signing in.
        clock.Now = signedIn.AddHours(12).AddMinutes(1);
        using var expired = await client.Get("/admin");
        AssertSentToLogin(expired);
    }
}
