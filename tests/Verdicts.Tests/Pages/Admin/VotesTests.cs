using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Dapper;
using Verdicts.Tests.Infrastructure;
using Verdicts.Web.Voting;

namespace Verdicts.Tests.Pages.Admin;

public sealed class VotesTests
{
    private static readonly DateTime FloodDay = new(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc);

    private static void Vote(VerdictsApp app, string tool, string choice, DateTime at)
    {
        using (var connection = app.Database.OpenWrites())
        {
            connection.Execute("INSERT INTO votes (tool_slug, voter, choice, voted_at) VALUES (@tool, @voter, @choice, @at)",
                new { tool, voter = Guid.NewGuid().ToString("N"), choice, at = at.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) });
        }
        app.Recount(tool).GetAwaiter().GetResult();
    }

    private static List<(string Tool, string Choice, string At)> Rows(VerdictsApp app)
    {
        using var connection = app.Database.ReadWrites();
        return connection.Query<(string, string, string)>("SELECT tool_slug, choice, voted_at FROM votes ORDER BY tool_slug, voted_at").ToList();
    }

    [Fact]
    public async Task A_withdrawal_whose_audit_row_the_database_refuses_withdraws_nothing_and_says_so()
    {
        using var content = TestContent.Sample();
        await using var app = AdminSession.App(content);
        var day = DateTime.UtcNow.Date.AddDays(-2);
        Vote(app, "alpha", "ship", day.AddHours(10));
        Vote(app, "alpha", "skip", day.AddHours(10).AddMinutes(1));
        await app.Recount("alpha");
        var before = Rows(app);
        var admin = await AdminSession.SignIn(app);
        var confirm = await AskToWithdraw(admin, await admin.FormOn("/admin/votes", "form.withdraw-form"), "alpha",
            Minute(day.AddHours(9)), Minute(day.AddHours(11)));

        using (app.RefuseAuditRows())
        {
            using var refused = await admin.PostForm(confirm);

            await Html.RefusedForNow(refused, "nothing was withdrawn");
            Assert.Equal(before, Rows(app));
            Assert.Empty(Audit(app));
            Assert.Equal(new Tally(1, 1), app.Tallies.Of("alpha"));
        }

        // Once the audit takes rows again, the same confirmation goes through, with its row.
        using var done = await admin.PostForm(confirm);
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.Empty(Rows(app));
        Assert.Equal(("ada", "withdraw-votes", "votes/alpha"), Assert.Single(Audit(app)) is var entry ? (entry.Admin, entry.Action, entry.Path) : default);
        Assert.Equal(Tally.None, app.Tallies.Of("alpha"));
    }


    private static List<(string Admin, string Action, string Path, string? Detail)> Audit(VerdictsApp app)
    {
        using var connection = app.Database.ReadWrites();
        return connection.Query<(string, string, string, string?)>("SELECT admin, action, path, detail FROM audit ORDER BY id").ToList();
    }

    /// <summary>Posts the withdrawal form's first step and gives back the confirmation form it answers with.</summary>
    private static async Task<AngleSharp.Dom.IElement> AskToWithdraw(HttpClient admin, AngleSharp.Dom.IElement form, string tool, string from, string to)
    {
        using var asked = await admin.PostForm(form, values: [("Tool", tool), ("From", from), ("To", to)]);
        Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
        return Html.Parse(await asked.Content.ReadAsStringAsync()).QuerySelector("form.confirm-form")!;
    }

    private static string Minute(DateTime at) => at.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);

    [Fact]
    public async Task An_anonymous_visitor_is_sent_to_the_login_page()
    {
        using var content = TestContent.Sample();
        await using var app = AdminSession.App(content);

        using var response = await app.NoRedirects().Get("/admin/votes");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = new Uri(new Uri("http://localhost"), response.Headers.Location!);
        Assert.Equal("/admin/login", location.AbsolutePath);
        Assert.Equal("?ReturnUrl=%2Fadmin%2Fvotes", location.Query);
    }

    [Fact]
    public async Task A_script_without_a_session_gets_401_instead_of_a_redirect()
    {
        using var content = TestContent.Sample();
        await using var app = AdminSession.App(content);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/admin/votes", UriKind.Relative));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        using var response = await app.NoRedirects().SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Theory]
    [InlineData("Withdraw")]
    [InlineData("WithdrawConfirmed")]
    public async Task A_post_without_an_antiforgery_token_is_refused_and_withdraws_nothing(string handler)
    {
        using var content = TestContent.Sample();
        await using var app = AdminSession.App(content);
        Vote(app, "alpha", "ship", FloodDay.AddHours(10));
        var admin = await AdminSession.SignIn(app);
        var body = $"Tool=alpha&From={Minute(FloodDay)}&To={Minute(FloodDay.AddDays(1))}";

        using var signedIn = await admin.PostAsync(new Uri($"/admin/votes?handler={handler}", UriKind.Relative),
            new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded"));
        using var anonymous = await app.NoRedirects().PostAsync(new Uri($"/admin/votes?handler={handler}", UriKind.Relative),
            new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.BadRequest, signedIn.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.Single(Rows(app));
        Assert.Empty(Audit(app));
    }

    [Fact]
    public async Task The_tallies_table_shows_each_tools_community_counts_and_both_percentages()
    {
        using var content = TestContent.Sample();
        await using var app = AdminSession.App(content);
        app.CastVotes("alpha", ship: 3, skip: 1);
        app.CastVotes("beta", ship: 0, skip: 2);
        // Panel verdicts from TestContent.Sample: alpha 2 ship, beta 1 ship and 1 skip, gamma none.
        var expected = new (string Tool, string Name, int Ship, int Skip, int PanelShip, int PanelSkip)[]
        {
            ("alpha", "Alpha", 3, 1, 2, 0),
            ("beta", "Beta", 0, 2, 1, 1),
            ("gamma", "Gamma", 0, 0, 0, 0),
        };

        var page = await (await AdminSession.SignIn(app)).GetPage("/admin/votes");

        var table = page.QuerySelector("section[aria-labelledby='tallies-title'] table")!;
        Assert.Equal(expected.Select(e => e.Tool), table.QuerySelectorAll("tbody tr").Select(r => r.GetAttribute("data-tool")));
        foreach (var e in expected)
        {
            var row = table.QuerySelector($"tr[data-tool='{e.Tool}']")!;
            Assert.Equal($"/tools/{e.Tool}", row.QuerySelector("a")?.GetAttribute("href"));
            Assert.Equal(e.Name, row.QuerySelector("a").Text());
            Assert.Equal(e.Ship.ToString(CultureInfo.InvariantCulture), table.Metric("community-ship-count", e.Tool));
            Assert.Equal(e.Skip.ToString(CultureInfo.InvariantCulture), table.Metric("community-skip-count", e.Tool));
            Assert.Equal(Html.Percent(e.Ship, e.Ship + e.Skip), table.Metric("community-ship", e.Tool));
            Assert.Equal(Html.Percent(e.PanelShip, e.PanelShip + e.PanelSkip), table.Metric("panel-ship", e.Tool));
            Assert.Equal(Html.Shown(e.Ship, e.Ship + e.Skip), table.QuerySelector($"[data-metric='community-ship'][data-tool='{e.Tool}']").Text());
            Assert.Equal(Html.Shown(e.PanelShip, e.PanelShip + e.PanelSkip), table.QuerySelector($"[data-metric='panel-ship'][data-tool='{e.Tool}']").Text());
        }
    }

    [Fact]
    public async Task The_tallies_table_comes_a_page_at_a_time_and_a_page_past_the_end_is_404()
    {
        using var content = TestContent.Sample().Tool("delta", "delta").Tool("epsilon", "Epsilon");
        var settings = AdminSession.AdminSettings();
        settings["Verdicts:ListPageSize"] = "2";
        await using var app = new VerdictsApp(content, settings);
        var admin = await AdminSession.SignIn(app);
        // By name in any case, then slug; two to a page.
        string[] names = ["Alpha", "Beta", "delta", "Epsilon", "Gamma"];
        var pages = names.Order(StringComparer.OrdinalIgnoreCase).Chunk(2).ToList();

        for (var i = 0; i < pages.Count; i++)
        {
            var page = await admin.GetPage(i == 0 ? "/admin/votes" : $"/admin/votes?page={i + 1}");
            var table = page.QuerySelector("section[aria-labelledby='tallies-title']")!;
            Assert.Equal(pages[i], table.QuerySelectorAll("tbody tr th a").Select(a => a.Text()));
            Assert.Equal($"Tallies (page {i + 1} of {pages.Count})", table.QuerySelector("h2").Text());
            Assert.Equal(i + 1 < pages.Count, table.QuerySelector("a[rel=next]") is not null);
            // The withdrawal form still lists every tool.
            Assert.Equal(names.Length, page.QuerySelectorAll("form.withdraw-form select option[value]:not([value=''])").Length);
        }
        foreach (var past in new[] { $"/admin/votes?page={pages.Count + 1}", "/admin/votes?page=0", "/admin/votes?page=two" })
        {
            using var response = await admin.Get(past);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
    }

    [Fact]
    public async Task Past_the_list_limit_a_withdrawal_names_its_tool_by_typed_name_or_slug()
    {
        using var content = TestContent.Sample().Tool("delta", "Twin").Tool("epsilon", "twin");
        var settings = AdminSession.AdminSettings();
        settings["Verdicts:CompareListLimit"] = "2";
        await using var app = new VerdictsApp(content, settings);
        Vote(app, "alpha", "ship", FloodDay.AddHours(1));
        Vote(app, "delta", "ship", FloodDay.AddHours(1));
        var admin = await AdminSession.SignIn(app);
        var form = await admin.FormOn("/admin/votes", "form.withdraw-form");
        Assert.Null(form.QuerySelector("select"));
        Assert.Equal("text", form.QuerySelector("input[name=Tool]")?.GetAttribute("type"));

        foreach (var (typed, name) in new[] { ("  aLPHA ", "Alpha"), ("delta", "Twin") })
        {
            var confirm = await AskToWithdraw(admin, form, typed, "2026-03-01", "2026-03-01");
            Assert.Contains($"This will withdraw 1 vote for {name} between", confirm.Text(), StringComparison.Ordinal);
        }

        // A name two tools share names neither; the slug tells them apart.
        using var shared = await admin.PostForm(form, values: [("Tool", "Twin"), ("From", "2026-03-01"), ("To", "2026-03-01")]);
        Assert.Equal(HttpStatusCode.BadRequest, shared.StatusCode);
        var problem = Html.Parse(await shared.Content.ReadAsStringAsync());
        Assert.Equal("No tool is called “Twin”, or two tools share that name: give its slug, as in its address.", problem.QuerySelector("#withdraw [role='alert']").Text());
        Assert.Equal("Twin", problem.QuerySelector("form.withdraw-form input[name=Tool]")?.GetAttribute("value"));
        Assert.Equal(2, Rows(app).Count);
    }

    [Fact]
    public async Task The_disagreement_list_ranks_the_ten_widest_gaps_between_community_and_panel()
    {
        using var content = new TestContent().Reviewer("ada").Reviewer("bo");
        // Every numbered tool has a unanimous panel and a different community share, so every gap differs.
        var tools = Enumerable.Range(0, 12).Select(i => (Slug: $"t{i:00}", Ship: i, Skip: 12 - i, PanelShip: 2, PanelSkip: 0)).ToList();
        foreach (var tool in tools)
            content.Tool(tool.Slug).Verdict(tool.Slug, "ada").Verdict(tool.Slug, "bo");
        content.Tool("calm").Verdict("calm", "ada", "ship").Verdict("calm", "bo", "skip");
        content.Tool("unvoted").Verdict("unvoted", "ada", "skip").Verdict("unvoted", "bo", "skip");
        content.Tool("unreviewed");
        tools.Add(("calm", 1, 1, 1, 1));
        await using var app = AdminSession.App(content);
        foreach (var tool in tools)
            app.CastVotes(tool.Slug, tool.Ship, tool.Skip);
        app.CastVotes("unreviewed", ship: 5, skip: 0);

        var expected = tools
            .Select(t => (t.Slug, Community: int.Parse(Html.Percent(t.Ship, t.Ship + t.Skip), CultureInfo.InvariantCulture),
                Panel: int.Parse(Html.Percent(t.PanelShip, t.PanelShip + t.PanelSkip), CultureInfo.InvariantCulture)))
            .Select(t => (t.Slug, t.Community, t.Panel, Gap: Math.Abs(t.Community - t.Panel)))
            .OrderByDescending(t => t.Gap).Take(10).ToList();

        var page = await (await AdminSession.SignIn(app)).GetPage("/admin/votes");

        var list = page.QuerySelector("#disagreements")!;
        Assert.Equal(expected.Select(e => e.Slug), list.QuerySelectorAll("tbody tr").Select(r => r.GetAttribute("data-tool")));
        foreach (var e in expected)
        {
            Assert.Equal(e.Community.ToString(CultureInfo.InvariantCulture), list.Metric("community-ship", e.Slug));
            Assert.Equal(e.Panel.ToString(CultureInfo.InvariantCulture), list.Metric("panel-ship", e.Slug));
            Assert.Equal(e.Gap.ToString(CultureInfo.InvariantCulture), list.Metric("gap", e.Slug));
        }
    }

    [Fact]
    public async Task The_chart_counts_the_current_votes_cast_on_each_of_the_last_thirty_utc_days()
    {
        using var content = TestContent.Sample();
        await using var app = AdminSession.App(content);
        var today = DateTime.UtcNow.Date;
        Vote(app, "alpha", "ship", today.AddDays(-40));
        Vote(app, "alpha", "ship", today.AddDays(-30).AddHours(23).AddMinutes(59));
        Vote(app, "alpha", "skip", today.AddDays(-29));
        Vote(app, "beta", "ship", today.AddDays(-10));
        Vote(app, "gamma", "skip", today.AddDays(-10).AddHours(12));
        Vote(app, "gamma", "ship", today.AddDays(-10).AddHours(23).AddMinutes(59).AddSeconds(59));
        Vote(app, "beta", "skip", today.AddHours(1));
        Vote(app, "gamma", "skip", today.AddHours(2));
        Vote(app, "alpha", "skip", today.AddDays(-5));
        using (var connection = app.Database.OpenWrites())
            connection.Execute("DELETE FROM votes WHERE substr(voted_at, 1, 10) = @day", new { day = today.AddDays(-5).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) });

        // Index 0 is 29 days ago, index 29 is today; the vote from 5 days ago was withdrawn.
        var expected = new long[30];
        expected[0] = 1;
        expected[19] = 3;
        expected[29] = 2;

        var page = await (await AdminSession.SignIn(app)).GetPage("/admin/votes");

        var chart = page.QuerySelector("svg[data-metric='votes-per-day']")!;
        Assert.Equal(string.Join(",", expected), chart.GetAttribute("data-value"));
        Assert.Equal(today.AddDays(-29).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), chart.GetAttribute("data-first-day"));
        Assert.Equal("img", chart.GetAttribute("role"));
        Assert.Contains($"{expected.Sum()} votes in all", chart.GetAttribute("aria-label"), StringComparison.Ordinal);
        Assert.Contains(chart.GetAttribute("aria-label")!, page.QuerySelector("figure.chart figcaption").Text(), StringComparison.Ordinal);
        Assert.Equal(30, chart.QuerySelector("polyline.chart-line")!.GetAttribute("points")!.Split(' ').Length);
    }

    [Fact]
    public async Task Withdrawing_a_flood_asks_first_then_deletes_exactly_that_tools_votes_in_the_range()
    {
        using var content = TestContent.Sample();
        await using var app = AdminSession.App(content);
        var day = DateTime.UtcNow.Date.AddDays(-2);
        Vote(app, "alpha", "ship", day.AddHours(9).AddMinutes(59).AddSeconds(59).AddMilliseconds(999));
        Vote(app, "alpha", "ship", day.AddHours(10));
        Vote(app, "alpha", "skip", day.AddHours(10).AddMinutes(3));
        Vote(app, "alpha", "ship", day.AddHours(10).AddMinutes(5).AddSeconds(59).AddMilliseconds(999));
        Vote(app, "alpha", "skip", day.AddHours(10).AddMinutes(6));
        Vote(app, "beta", "ship", day.AddHours(10).AddMinutes(2));
        Vote(app, "beta", "ship", day.AddHours(10).AddMinutes(4));
        var before = Rows(app);
        var inRange = before.Where(r => r.Tool == "alpha"
            && string.CompareOrdinal(r.At, day.AddHours(10).ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture)) >= 0
            && string.CompareOrdinal(r.At, day.AddHours(10).AddMinutes(6).ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture)) < 0).ToList();
        Assert.Equal(3, inRange.Count);

        var visitor = app.NoRedirects();
        await visitor.GetPage("/tools/alpha");
        using (var cached = await visitor.Get("/tools/alpha"))
            Assert.True(cached.Headers.Contains("Age"));

        var admin = await AdminSession.SignIn(app);
        var form = await admin.FormOn("/admin/votes", "form.withdraw-form");
        using var asked = await admin.PostForm(form, values: [("Tool", "alpha"), ("From", Minute(day.AddHours(10))), ("To", Minute(day.AddHours(10).AddMinutes(5)))]);

        Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
        var confirmation = Html.Parse(await asked.Content.ReadAsStringAsync());
        var confirm = confirmation.QuerySelector("form.confirm-form")!;
        Assert.Contains($"This will withdraw {inRange.Count} votes for Alpha between {Minute(day.AddHours(10)).Replace('T', ' ')} and "
            + $"{Minute(day.AddHours(10).AddMinutes(5)).Replace('T', ' ')} UTC", confirm.Text(), StringComparison.Ordinal);
        Assert.Equal(before, Rows(app));
        Assert.Empty(Audit(app));

        using var done = await admin.PostForm(confirm);

        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.Equal($"/admin/votes?withdrawn={inRange.Count}&tool=alpha", done.Headers.Location!.OriginalString);
        Assert.Equal(before.Except(inRange), Rows(app));
        using (var connection = app.Database.ReadWrites())
        {
            // The writer counted the tool again: its tally (and every other) agrees with the rows left.
            var counted = connection.Query<(string Tool, long Ship, long Skip)>(
                "SELECT tool_slug, count(*) FILTER (WHERE choice = 'ship'), count(*) FILTER (WHERE choice = 'skip') FROM votes GROUP BY tool_slug ORDER BY tool_slug").ToList();
            Assert.NotEmpty(counted);
            Assert.Equal(counted.Select(c => new Tally(c.Ship, c.Skip)), counted.Select(c => app.Tallies.Of(c.Tool)));
            var alpha = counted.Where(c => c.Tool == "alpha").Select(c => new Tally(c.Ship, c.Skip)).SingleOrDefault() ?? new Tally(0, 0);
            Assert.Equal(alpha, app.Tallies.Of("alpha"));
        }
        var entry = Assert.Single(Audit(app));
        Assert.Equal(("ada", "withdraw-votes", "votes/alpha"), (entry.Admin, entry.Action, entry.Path));
        Assert.StartsWith($"{inRange.Count} votes from ", entry.Detail, StringComparison.Ordinal);

        var after = await admin.Follow(done);
        Assert.Equal($"Withdrew {inRange.Count} votes for Alpha.", after.QuerySelector(".notice-ok").Text());
        var left = before.Count(r => r.Tool == "alpha") - inRange.Count;
        Assert.Equal(left.ToString(CultureInfo.InvariantCulture), (await visitor.GetPage("/tools/alpha")).Metric("community-votes", "alpha"));
    }

    [Fact]
    public async Task A_flood_from_one_network_is_listed_by_network_and_hour_and_withdrawing_it_removes_exactly_those_votes()
    {
        using var content = TestContent.Sample();
        var clock = new TestClock(new DateTimeOffset(DateTime.UtcNow.Date.AddDays(-1).AddHours(10), TimeSpan.Zero));
        var settings = AdminSession.AdminSettings();
        settings["Verdicts:RateLimit:Disabled"] = "true";
        await using var app = new VerdictsApp(content, settings) { Clock = clock };
        var visitors = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        async Task Cast(string tool, string choice, string address)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/tools/{tool}/vote", UriKind.Relative))
            {
                Content = new StringContent($"choice={choice}", Encoding.UTF8, "application/x-www-form-urlencoded"),
            };
            request.Headers.Add("X-Test-Client-IP", address);
            using var response = await visitors.SendAsync(request);
            Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
            clock.Now = clock.Now.AddSeconds(20);
        }

        // The flood: 30 new visitors from one /24 within the hour 10:00, on two tools; honest votes from elsewhere in
        // the same hour; and, later, three votes from the flooding network that the withdrawal must keep.
        for (var i = 0; i < 30; i++)
            await Cast(i % 3 == 0 ? "beta" : "alpha", i % 2 == 0 ? "ship" : "skip", $"198.51.100.{i + 1}");
        await Cast("alpha", "skip", "203.0.113.9");
        await Cast("beta", "skip", "2001:db8:7:7::1");
        await Cast("gamma", "ship", "192.0.2.44");
        clock.Now = clock.Now.AddHours(2);
        for (var i = 0; i < 3; i++)
            await Cast("alpha", "ship", $"198.51.100.{200 + i}");
        List<(string Tool, string Choice, string At, string Network)> before;
        using (var connection = app.Database.ReadWrites())
            before = connection.Query<(string, string, string, string)>("SELECT tool_slug, choice, voted_at, network FROM votes").ToList();
        var flood = before.GroupBy(v => (v.Network, Hour: v.At[..13])).OrderByDescending(g => g.Count()).First();
        Assert.Equal(30, flood.Count());

        var admin = await AdminSession.SignIn(app);
        var page = await admin.GetPage("/admin/votes");
        var rows = page.QuerySelectorAll("#networks tbody tr");
        Assert.Equal(before.GroupBy(v => (v.Network, v.At[..13])).Count(), rows.Length);
        var top = rows[0];
        Assert.Equal((flood.Key.Network, flood.Key.Hour), (top.GetAttribute("data-network"), top.GetAttribute("data-hour")));
        Assert.Equal("30", top.QuerySelector("[data-metric='votes']")?.GetAttribute("data-value"));
        Assert.Equal(before.GroupBy(v => (v.Network, v.At[..13])).Select(g => g.Count()).OrderDescending(),
            rows.Select(r => int.Parse(r.QuerySelector("[data-metric='votes']")!.GetAttribute("data-value")!, CultureInfo.InvariantCulture)));
        Assert.DoesNotContain("198.51.100", page.DocumentElement.OuterHtml, StringComparison.Ordinal);

        var form = top.QuerySelector("form.withdraw-network-form")!;
        form.SetAttribute("action", form.GetAttribute("action") ?? "/admin/votes");
        using var done = await admin.Submit(form);

        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        var left = before.Except(flood).ToList();
        using (var connection = app.Database.ReadWrites())
        {
            var rowsLeft = connection.Query<(string, string, string, string)>("SELECT tool_slug, choice, voted_at, network FROM votes").ToList();
            Assert.Equal(left.Order(), rowsLeft.Order());
        }
        var entry = Assert.Single(Audit(app));
        Assert.Equal(("ada", "withdraw-votes"), (entry.Admin, entry.Action));
        Assert.Contains("30 votes", entry.Detail, StringComparison.Ordinal);
        Assert.Contains(flood.Key.Network, entry.Path + entry.Detail, StringComparison.Ordinal);

        var after = await admin.Follow(done);
        foreach (var tool in new[] { "alpha", "beta", "gamma" })
        {
            var ship = left.Count(v => v.Tool == tool && v.Choice == "ship");
            var skip = left.Count(v => v.Tool == tool && v.Choice == "skip");
            Assert.Equal((ship.ToString(CultureInfo.InvariantCulture), skip.ToString(CultureInfo.InvariantCulture)),
                (after.Metric("community-ship-count", tool), after.Metric("community-skip-count", tool)));
            Assert.Equal(new Tally(ship, skip), app.Tallies.Of(tool));
            Assert.Equal((ship + skip).ToString(CultureInfo.InvariantCulture), (await visitors.GetPage($"/tools/{tool}")).Metric("community-votes", tool));
        }
    }

    [Fact]
    public async Task Withdrawing_by_network_without_an_antiforgery_token_is_refused_and_withdraws_nothing()
    {
        using var content = TestContent.Sample();
        await using var app = AdminSession.App(content);
        app.CastVotes("alpha", ship: 2, skip: 0);
        using (var connection = app.Database.OpenWrites())
            connection.Execute("UPDATE votes SET network = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'");
        var admin = await AdminSession.SignIn(app);
        var hour = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH", CultureInfo.InvariantCulture);

        using var response = await admin.PostAsync(new Uri("/admin/votes?handler=WithdrawNetwork", UriKind.Relative), new FormUrlEncodedContent(
            [new("Network", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"), new("From", hour + ":00"), new("To", hour + ":59")]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(2, Rows(app).Count);
        Assert.Empty(Audit(app));
    }

    [Fact]
    public async Task A_page_copy_stored_just_after_a_withdrawal_is_evicted_again_a_moment_later()
    {
        using var content = TestContent.Sample();
        await using var app = AdminSession.App(content);
        Vote(app, "alpha", "ship", FloodDay.AddHours(1));
        var admin = await AdminSession.SignIn(app);
        var form = await admin.FormOn("/admin/votes", "form.withdraw-form");
        var confirm = await AskToWithdraw(admin, form, "alpha", "2026-03-01", "2026-03-01");

        var lateCopies = app.StoreLateCopiesAtNextCommit("alpha", "beta");
        using var done = await admin.PostForm(confirm);
        var late = await lateCopies;

        Assert.Equal("/admin/votes?withdrawn=1&tool=alpha", done.Headers.Location?.OriginalString);
        await VerdictsApp.Eventually(async () => !await app.IsCached(late["alpha"]), "the follow-up eviction drops the late copy");
        Assert.True(await app.IsCached(late["beta"]));
    }

    [Fact]
    public async Task A_range_given_as_dates_covers_both_whole_utc_days_through_the_confirmation()
    {
        using var content = TestContent.Sample();
        await using var app = AdminSession.App(content);
        Vote(app, "alpha", "ship", FloodDay.AddTicks(-TimeSpan.TicksPerMillisecond));
        Vote(app, "alpha", "ship", FloodDay);
        Vote(app, "alpha", "skip", FloodDay.AddDays(2).AddTicks(-TimeSpan.TicksPerMillisecond));
        Vote(app, "alpha", "skip", FloodDay.AddDays(2));
        var admin = await AdminSession.SignIn(app);
        var form = await admin.FormOn("/admin/votes", "form.withdraw-form");

        var confirm = await AskToWithdraw(admin, form, "alpha", "2026-03-01", "2026-03-02");
        Assert.Contains("This will withdraw 2 votes for Alpha between 2026-03-01 and 2026-03-02 UTC", confirm.Text(), StringComparison.Ordinal);
        using var done = await admin.PostForm(confirm);

        Assert.Equal("/admin/votes?withdrawn=2&tool=alpha", done.Headers.Location?.OriginalString);
        Assert.Equal(["2026-02-28T23:59:59.999Z", "2026-03-03T00:00:00.000Z"], Rows(app).Select(r => r.At));
    }

    [Fact]
    public async Task A_range_without_votes_says_so_and_offers_nothing_to_confirm()
    {
        using var content = TestContent.Sample();
        await using var app = AdminSession.App(content);
        Vote(app, "alpha", "ship", FloodDay.AddHours(12));
        var admin = await AdminSession.SignIn(app);
        var form = await admin.FormOn("/admin/votes", "form.withdraw-form");

        using var asked = await admin.PostForm(form, values: [("Tool", "beta"), ("From", Minute(FloodDay)), ("To", "2026-03-01")]);

        Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
        var page = Html.Parse(await asked.Content.ReadAsStringAsync());
        Assert.Null(page.QuerySelector("form.confirm-form"));
        Assert.Contains("no votes for Beta", page.QuerySelector("#withdraw").Text(), StringComparison.Ordinal);
        Assert.Single(Rows(app));
    }

    [Theory]
    [InlineData("Withdraw", "nope", "2026-03-01T00:00", "2026-03-01T23:59")]
    [InlineData("Withdraw", "", "2026-03-01T00:00", "2026-03-01T23:59")]
    [InlineData("Withdraw", "alpha", "2026-03-01T12:00", "2026-03-01T11:59")]
    [InlineData("Withdraw", "alpha", "yesterday", "2026-03-01T23:59")]
    [InlineData("Withdraw", "alpha", "2026-03-01T00:00", "")]
    [InlineData("Withdraw", "alpha", "2026-02-30T00:00", "2026-03-01T23:59")]
    [InlineData("Withdraw", "alpha", "2026-03-01T00:00+02:00", "2026-03-01T23:59")]
    [InlineData("WithdrawConfirmed", "nope", "2026-03-01T00:00", "2026-03-01T23:59")]
    [InlineData("WithdrawConfirmed", "alpha", "2026-03-02", "2026-03-01")]
    [InlineData("WithdrawConfirmed", "alpha", "2026-03-01T00:00", "2026-03-01T23:59' OR '1'='1")]
    [InlineData("WithdrawConfirmed", "alpha' OR '1'='1", "2026-03-01T00:00", "2026-03-01T23:59")]
    public async Task Bad_withdraw_input_gets_400_with_a_clear_message_and_deletes_nothing(string handler, string tool, string from, string to)
    {
        using var content = TestContent.Sample();
        await using var app = AdminSession.App(content);
        Vote(app, "alpha", "ship", FloodDay.AddHours(12));
        Vote(app, "beta", "skip", FloodDay.AddHours(12));
        var before = Rows(app);
        var admin = await AdminSession.SignIn(app);
        var form = await admin.FormOn("/admin/votes", "form.withdraw-form");
        form.SetAttribute("action", $"/admin/votes?handler={handler}");

        using var response = await admin.PostForm(form, values: [("Tool", tool), ("From", from), ("To", to)]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = Html.Parse(await response.Content.ReadAsStringAsync());
        Assert.False(string.IsNullOrWhiteSpace(page.QuerySelector("#withdraw [role='alert']").Text()));
        Assert.Null(page.QuerySelector("form.confirm-form"));
        Assert.Equal(before, Rows(app));
        Assert.Empty(Audit(app));
    }
}
