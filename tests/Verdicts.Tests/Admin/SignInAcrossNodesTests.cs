using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Verdicts.Tests.Infrastructure;
using Verdicts.Tests.Security;
using Verdicts.Web.Admin;

namespace Verdicts.Tests.Admin;

/// <summary>Sign-ins on two nodes sharing one PostgreSQL database: the throttle, sign-out and removed admins hold on both.</summary>
public sealed class SignInAcrossNodesTests(TwoNodes nodes) : IClassFixture<TwoNodes>
{
    private static async Task<HttpResponseMessage> Replay(VerdictsApp node, string cookie)
    {
        var client = node.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/admin", UriKind.Relative));
        request.Headers.Add("Cookie", cookie);
        return await client.SendAsync(request);
    }

    private static async Task<string> SignIn(VerdictsApp node, (string Name, string Password) admin)
    {
        using var response = await AdminSession.TryLogIn(node.NoRedirects(), admin.Name, admin.Password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("verdicts-admin=", StringComparison.Ordinal)).Split(';')[0];
    }

    private static async Task<HttpStatusCode> Attempt(VerdictsApp node, string password, string address)
    {
        using var response = await AdminSession.TryLogIn(node.NoRedirects(), AdminSession.Name, password, address);
        return response.StatusCode;
    }

    [Fact]
    public async Task Failed_sign_ins_alternating_nodes_lock_the_address_out_as_on_one_node()
    {
        PostgresServer.SkipIfMissing();
        const string Address = "198.51.100.40";
        for (var i = 0; i < LoginThrottle.FreeAttempts; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, await Attempt(nodes.Alternate(i), "guess" + i, Address));

        // The first lockout lasts 30 seconds, on both nodes, even for the right password.
        using (var locked = await AdminSession.TryLogIn(nodes.B.NoRedirects(), AdminSession.Name, AdminSession.Password, Address))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(30), locked.Headers.RetryAfter?.Delta);
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, await Attempt(nodes.A, "guess", Address));

        // Once it ends, one more failure doubles it, whichever node counted the earlier ones.
        nodes.Clock.Now += TimeSpan.FromSeconds(30);
        Assert.Equal(HttpStatusCode.Unauthorized, await Attempt(nodes.A, "guess again", Address));
        using (var longer = await AdminSession.TryLogIn(nodes.B.NoRedirects(), AdminSession.Name, "guess", Address))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, longer.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(60), longer.Headers.RetryAfter?.Delta);
        }

        // Another address signs in, and the admin page of either node lists the failures counted by both.
        var admin = nodes.B.NoRedirects();
        using (var signIn = await AdminSession.TryLogIn(admin, AdminSession.Name, AdminSession.Password, "198.51.100.41"))
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var page = await admin.GetPage("/admin");
        var row = page.QuerySelector($"tr[data-account=''][data-network='{Address}']");
        Assert.NotNull(row);
        Assert.Equal((LoginThrottle.FreeAttempts + 1).ToString(CultureInfo.InvariantCulture), row.GetAttribute("data-failures"));
    }

    [Fact]
    public async Task Signing_in_on_one_node_and_out_on_the_other_ends_the_session_on_both()
    {
        PostgresServer.SkipIfMissing();
        var cookies = new CookieContainer();
        using var throughA = nodes.A.CreateDefaultClient(new Uri("http://localhost"), new CookieContainerHandler(cookies));
        using var throughB = nodes.B.CreateDefaultClient(new Uri("http://localhost"), new CookieContainerHandler(cookies));
        using (var signIn = await AdminSession.TryLogIn(throughA, AdminSession.Name, AdminSession.Password))
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var cookie = "verdicts-admin=" + cookies.GetCookies(new Uri("http://localhost/admin"))["verdicts-admin"]!.Value;
        using (var before = await Replay(nodes.A, cookie))
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);

        var logout = await throughB.FormOn("/admin", "form.logout-form");
        using (var signOut = await throughB.PostForm(logout))
            Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);

        foreach (var node in new[] { nodes.A, nodes.B })
        {
            using var refused = await Replay(node, cookie);
            Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
            Assert.Equal("/admin/login", refused.Headers.Location?.AbsolutePath);
        }
    }

    [Fact]
    public async Task An_admin_removed_from_a_restarted_node_is_refused_by_the_node_not_yet_restarted()
    {
        PostgresServer.SkipIfMissing();
        var bob = await SignIn(nodes.A, TwoNodes.Bob);
        var ada = await SignIn(nodes.B, TwoNodes.Ada);
        using (var before = await Replay(nodes.B, bob))
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);

        // Node A restarted with bob removed from its settings; B still runs with the old ones.
        using var content = TestContent.Sample();
        await using var restarted = new VerdictsApp(content, nodes.Settings(TwoNodes.Ada)) { Clock = nodes.Clock };
        _ = restarted.Server;

        // B first: the restarted node would also end the session on refusing it, hiding whether B asks the database.
        foreach (var node in new[] { nodes.B, restarted })
        {
            using var refused = await Replay(node, bob);
            Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
            Assert.Equal("/admin/login", refused.Headers.Location?.AbsolutePath);
            using var kept = await Replay(node, ada);
            Assert.Equal(HttpStatusCode.OK, kept.StatusCode);
        }
    }
}
