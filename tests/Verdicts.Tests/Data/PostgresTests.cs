using System.Net;
using Dapper;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Npgsql;
using Verdicts.Tests.Infrastructure;
using Verdicts.Tests.Newsletter;

namespace Verdicts.Tests.Data;

/// <summary>Sites whose written data is in PostgreSQL (Verdicts:Postgres): what several nodes share, and what happens when it is gone.</summary>
public sealed class PostgresTests
{
    private static Dictionary<string, string?> Settings(string postgres)
    {
        var settings = AdminSession.AdminSettings();
        settings["Verdicts:Postgres"] = postgres;
        return settings;
    }

    [Theory]
    [InlineData("Host=db.example;Password=hunter2;Nonsense=1")]
    [InlineData("Host=db.example;Password=hunter2;Port=eighty")]
    public async Task A_setting_that_is_not_a_connection_string_stops_the_start_without_showing_it(string postgres)
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content, new Dictionary<string, string?> { ["Verdicts:Postgres"] = postgres });
        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => app.CreateClient());
        Assert.Contains("Verdicts:Postgres", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_admin_cookie_made_by_one_node_is_accepted_by_another_on_the_same_database()
    {
        var postgres = PostgresServer.Shared.CreateDatabase();
        using var contentA = TestContent.Sample();
        using var contentB = TestContent.Sample();
        // One configuration for both nodes, as in a deployment (the admin's hash included: a session is bound to it).
        var settings = Settings(postgres);
        await using var nodeA = new VerdictsApp(contentA, settings);
        await using var nodeB = new VerdictsApp(contentB, settings);

        // One browser: its cookies go to whichever node answers.
        var cookies = new CookieContainer();
        using var throughA = nodeA.CreateDefaultClient(new Uri("http://localhost"), new CookieContainerHandler(cookies));
        using var throughB = nodeB.CreateDefaultClient(new Uri("http://localhost"), new CookieContainerHandler(cookies));
        var login = await throughA.FormOn("/admin/login", "form.login-form");
        using (var signIn = await throughA.PostForm(login, values: [("Name", AdminSession.Name), ("Password", AdminSession.Password)]))
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);

        // B reads the cookie A made, and the antiforgery token of a form A served is accepted by B.
        await throughB.GetPage("/admin");
        var logout = await throughA.FormOn("/admin", "form.logout-form");
        using (var signOut = await throughB.PostForm(logout))
            Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        using (var afterwards = await throughA.Get("/admin"))
            Assert.Equal(HttpStatusCode.Redirect, afterwards.StatusCode);

        using var connection = new NpgsqlConnection(postgres);
        Assert.Equal(0L, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM admin_sessions"));
        Assert.True(await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM data_protection_keys") >= 1, "no key in the shared key ring");
    }

    [Fact]
    public async Task A_voter_key_gone_from_PostgreSQL_is_not_made_again_while_the_votes_made_with_it_remain()
    {
        // The votes and the key that made their voters are both in PostgreSQL.
        var postgres = PostgresServer.Shared.CreateDatabase();
        using var content = TestContent.Sample();
        await using (var first = new VerdictsApp(content, Settings(postgres)))
            Assert.Equal(HttpStatusCode.OK, (await first.CreateClient().Get("/healthz")).StatusCode);
        using (var connection = new NpgsqlConnection(postgres))
        {
            await connection.ExecuteAsync("INSERT INTO votes (voter, tool_slug, choice, voted_at) VALUES ('v1', 'alpha', 'ship', '2026-01-01T00:00:00Z')");
            Assert.Equal(1, await connection.ExecuteAsync("DELETE FROM secrets WHERE name = 'voter-key'"));
        }

        await using var second = new VerdictsApp(content, Settings(postgres));
        var refused = Assert.ThrowsAny<Exception>(() => second.CreateClient());
        Assert.Contains("voter-key", refused.ToString(), StringComparison.Ordinal);
        Assert.Contains("restore", refused.ToString(), StringComparison.Ordinal);
        using var check = new NpgsqlConnection(postgres);
        Assert.Equal(0L, await check.ExecuteScalarAsync<long>("SELECT count(*) FROM secrets WHERE name = 'voter-key'"));
    }

    [Fact]
    public async Task Two_nodes_starting_at_once_apply_each_migration_once()
    {
        var postgres = PostgresServer.Shared.CreateDatabase();
        using var contentA = TestContent.Sample();
        using var contentB = TestContent.Sample();
        await using var nodeA = new VerdictsApp(contentA, Settings(postgres));
        await using var nodeB = new VerdictsApp(contentB, Settings(postgres));

        await Task.WhenAll(Task.Run(() => nodeA.Server), Task.Run(() => nodeB.Server));

        var scripts = Directory.GetFiles(Path.Combine(Web.VerdictsOptions.FindRepositoryRoot(AppContext.BaseDirectory),
            "src", "Verdicts.Web", "Data", "PostgresMigrations"), "*.sql").Length;
        using var connection = new NpgsqlConnection(postgres);
        Assert.Equal(scripts, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM schema_migrations"));
        foreach (var node in new[] { nodeA, nodeB })
            await node.NoRedirects().GetPage("/compare/alpha-or-beta");
    }

    [Fact]
    public async Task While_PostgreSQL_is_down_sign_ups_and_sign_ins_answer_503_pages_stay_up_and_it_recovers_by_itself()
    {
        PostgresServer.SkipIfMissing();
        using var server = new PostgresServer(int.TryParse(Environment.GetEnvironmentVariable("VERDICTS_TEST_POSTGRES_SPARE_PORT"), out var port) ? port : null);
        var postgres = server.CreateDatabase();
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content, Settings(postgres));
        using var client = app.NoRedirects();
        // Served once before the outage, as a running node has: the key ring for its forms is loaded.
        await client.GetPage("/compare/alpha-or-beta");
        // A sign-up made before, whose confirmation is pressed during the outage.
        using (await SubscribeTests.SubmitNewsletter(app, "waiting@example.com", client: client))
        {
        }
        var confirmer = app.CreateClient();
        var confirm = Assert.Single((await confirmer.GetPage(SubscribeTests.LinkIn((await app.DeliveredMail())[0], "/subscribe/confirm?token=")))
            .QuerySelectorAll("main form[method=post]"));

        server.Stop();
        using (var signUp = await SubscribeTests.SubmitNewsletter(app, "reader@example.com", client: client))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, signUp.StatusCode);
            Assert.True(signUp.Headers.RetryAfter?.Delta > TimeSpan.Zero, "no Retry-After on the refused sign-up");
            Assert.Contains("Nothing was saved", await signUp.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        using (var confirmed = await confirmer.Submit(confirm))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, confirmed.StatusCode);
            Assert.True(confirmed.Headers.RetryAfter?.Delta > TimeSpan.Zero, "no Retry-After on the refused confirmation");
            Assert.Contains("Nothing was saved", await confirmed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        using (var signIn = await AdminSession.TryLogIn(app.CreateClient(), AdminSession.Name, AdminSession.Password))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, signIn.StatusCode);
            Assert.True(signIn.Headers.RetryAfter?.Delta > TimeSpan.Zero, "no Retry-After on the refused sign-in");
        }
        foreach (var page in new[] { "/", "/compare/alpha-or-beta", "/tools/alpha" })
            await client.GetPage(page);

        server.Start();
        using (var signUp = await SubscribeTests.SubmitNewsletter(app, "reader@example.com", client: client))
            Assert.Equal(HttpStatusCode.SeeOther, signUp.StatusCode);
        await AdminSession.SignIn(app);
        using (var confirmed = await confirmer.Submit(confirm))
            Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        using var connection = new NpgsqlConnection(postgres);
        Assert.Equal("pending", await connection.ExecuteScalarAsync<string>("SELECT state FROM subscribers WHERE email = 'reader@example.com'"));
        Assert.Equal("confirmed", await connection.ExecuteScalarAsync<string>("SELECT state FROM subscribers WHERE email = 'waiting@example.com'"));
    }

    [Fact]
    public async Task While_PostgreSQL_is_down_admin_saves_deletes_renames_and_new_files_answer_503_change_nothing_and_go_through_once_it_is_back()
    {
        PostgresServer.SkipIfMissing();
        // A server of its own, to stop: two after the spare port when that is set (RateLimitAcrossNodesTests holds the next
        // one), not the spare itself, whose connection strings the test above leaves pooled for a server now gone.
        using var server = new PostgresServer(int.TryParse(Environment.GetEnvironmentVariable("VERDICTS_TEST_POSTGRES_SPARE_PORT"), out var port) ? port + 2 : null);
        var postgres = server.CreateDatabase();
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content, Settings(postgres));
        var client = await AdminSession.SignIn(app);
        var before = Pages.Admin.Content.EditTests.Files(content);
        var edited = TestContent.ToolText("Alpha", tagline: "Saved once PostgreSQL was back");
        var save = (await client.GetPage("/admin/content/tools/alpha.md")).QuerySelector("form.editor-form")!;
        var delete = (await client.GetPage("/admin/content/tools/gamma.md?handler=Delete")).QuerySelector("form[action*='handler=Delete']")!;
        var rename = (await client.GetPage("/admin/content/tools/beta.md")).QuerySelector("form[action*='handler=Rename']")!;
        var create = (await client.GetPage("/admin/new")).QuerySelector("form.admin-form")!;
        Task<HttpResponseMessage>[] SendAll() =>
        [
            client.Submit(save, "Save", null, ("Text", edited)),
            client.Submit(delete, "Yes, delete the file"),
            client.Submit(rename, "Rename", null, ("NewSlug", "beta-prime")),
            client.Submit(create, "Create", null, ("Kind", "tool"), ("Name", "Nova Coder"), ("Category", "Developer Tools"), ("Tagline", "A new tool"), ("Price", "Free")),
        ];

        server.Stop();
        try
        {
            // The admin's session is read from PostgreSQL on every admin request, so these are refused before the editor
            // is reached: the site's 503 page, not the editor's.
            foreach (var refused in await Task.WhenAll(SendAll()))
            {
                using (refused)
                {
                    Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
                    Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero, $"no Retry-After on {refused.RequestMessage?.RequestUri}");
                }
            }
            Assert.Equal(before, Pages.Admin.Content.EditTests.Files(content));
        }
        finally
        {
            server.Start();
        }

        // The node takes changes again without a restart.
        await VerdictsApp.Eventually(async () =>
        {
            using var saved = await client.Submit(save, "Save", null, ("Text", edited));
            Assert.True(saved.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.ServiceUnavailable, $"a save after the outage answered {(int)saved.StatusCode}");
            return saved.StatusCode == HttpStatusCode.Redirect;
        }, "a save goes through", TimeSpan.FromSeconds(30));
        foreach (var free in await Task.WhenAll(SendAll().Skip(1)))
        {
            using (free)
                Assert.Equal(HttpStatusCode.Redirect, free.StatusCode);
        }
        Assert.Equal(edited, content.Read("tools/alpha.md"));
        Assert.False(File.Exists(content.PathOf("tools/gamma.md")));
        Assert.True(File.Exists(content.PathOf("tools/beta-prime.md")));
        Assert.True(File.Exists(content.PathOf("tools/nova-coder.md")));
        // Nothing refused was recorded: one audit row per change made after the outage (the rename also rewrites the comparison naming beta).
        using var connection = new NpgsqlConnection(postgres);
        var audit = (await connection.QueryAsync<(string Action, string Path)>("SELECT action, path FROM audit ORDER BY id")).ToList();
        Assert.Equal(1, audit.Count(a => a.Action == "save" && a.Path == "tools/alpha.md"));
        Assert.Equal(1, audit.Count(a => a.Action == "delete" && a.Path == "tools/gamma.md"));
        Assert.Equal(1, audit.Count(a => a.Action == "rename" && a.Path == "tools/beta.md"));
        Assert.Equal(1, audit.Count(a => a.Action == "create" && a.Path == "tools/nova-coder.md"));
    }
}
