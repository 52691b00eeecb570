using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Dapper;
using Verdicts.Tests.Infrastructure;
using Verdicts.Web.Pages.Admin;

namespace Verdicts.Tests.Pages.Admin;

public sealed class SubscribersTests
{
    private static readonly DateTime Start = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static string Iso(DateTime at) => at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Writes a subscriber straight into the database, including addresses the sign-up form would never accept.</summary>
    private static long Subscriber(VerdictsApp app, string email, string state, DateTime created)
    {
        using var connection = app.Database.ReadWrites();
        return connection.ExecuteScalar<long>("""
            INSERT INTO subscribers (email, state, created_at, confirmed_at, unsubscribed_at) VALUES (@email, @state, @created, @confirmed, @unsubscribed)
            RETURNING id
            """, new
        {
            email,
            state,
            created = Iso(created),
            confirmed = state == "pending" ? null : Iso(created.AddHours(1)),
            unsubscribed = state == "unsubscribed" ? Iso(created.AddDays(1)) : null,
        });
    }

    private static List<string> Emails(VerdictsApp app)
    {
        using var connection = app.Database.ReadWrites();
        return connection.Query<string>("SELECT email FROM subscribers ORDER BY id").ToList();
    }

    private static List<(string Admin, string Action, string Path, string? Detail)> Audit(VerdictsApp app)
    {
        using var connection = app.Database.ReadWrites();
        return connection.Query<(string, string, string, string?)>("SELECT admin, action, path, detail FROM audit ORDER BY id").ToList();
    }

    [Theory]
    [InlineData("/admin/subscribers")]
    [InlineData("/admin/subscribers?handler=Csv")]
    [InlineData("/admin/subscribers?page=2")]
    public async Task An_anonymous_visitor_is_sent_to_the_login_page(string path)
    {
        using var content = TestContent.Sample();
        await using var app = AdminSession.App(content);
        Subscriber(app, "someone@example.com", "confirmed", Start);

        using var response = await app.NoRedirects().Get(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = new Uri(new Uri("http://localhost"), response.Headers.Location!);
        Assert.Equal("/admin/login", location.AbsolutePath);
        Assert.DoesNotContain("someone", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/admin/subscribers")]
    [InlineData("/admin/subscribers?handler=Csv")]
    public async Task A_script_without_a_session_gets_401_instead_of_a_redirect(string path)
    {
        using var content = TestContent.Sample();
        await using var app = AdminSession.App(content);
        Subscriber(app, "someone@example.com", "confirmed", Start);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        using var response = await app.NoRedirects().SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain("someone", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_page_counts_subscribers_by_state()
    {
        using var content = TestContent.Sample();
        await using var app = AdminSession.App(content);
        var states = new[] { "pending", "confirmed", "pending", "unsubscribed", "confirmed", "pending", "confirmed", "confirmed" };
        for (var i = 0; i < states.Length; i++)
            Subscriber(app, $"s{i}@example.com", states[i], Start.AddMinutes(i));

        var page = await (await AdminSession.SignIn(app)).GetPage("/admin/subscribers");

        foreach (var state in new[] { "pending", "confirmed", "unsubscribed" })
        {
            var expected = states.Count(s => s == state).ToString(CultureInfo.InvariantCulture);
            Assert.Equal(expected, page.QuerySelector($"[data-metric='subscribers-{state}']")?.GetAttribute("data-value"));
            Assert.Equal(expected, page.QuerySelector($"[data-metric='subscribers-{state}']").Text());
        }
    }

    [Fact]
    public async Task The_list_shows_the_newest_first_a_hundred_to_a_page()
    {
        using var content = TestContent.Sample();
        await using var app = AdminSession.App(content);
        const int total = 250;
        static string State(int i) => i % 3 == 0 ? "pending" : "confirmed";
        for (var i = 0; i < total; i++)
            Subscriber(app, $"s{i:000}@example.com", State(i), Start.AddMinutes(i));
        var newestFirst = Enumerable.Range(0, total).Reverse().Select(i => $"s{i:000}@example.com").ToList();
        var admin = await AdminSession.SignIn(app);

        var first = await admin.GetPage("/admin/subscribers");
        var last = await admin.GetPage("/admin/subscribers?page=3");

        Assert.Equal(newestFirst.Take(100), first.QuerySelectorAll("table.subscribers tbody tr th").Select(c => c.Text()));
        Assert.Equal(newestFirst.Skip(200), last.QuerySelectorAll("table.subscribers tbody tr th").Select(c => c.Text()));
        Assert.Equal("1", first.QuerySelector(".pagination [aria-current='page']").Text());
        Assert.Equal("3", last.QuerySelector(".pagination [aria-current='page']").Text());
        Assert.Equal(["/admin/subscribers?page=2", "/admin/subscribers?page=3", "/admin/subscribers?page=2"],
            first.QuerySelectorAll(".pagination a").Select(a => a.GetAttribute("href")));
        Assert.Equal("/admin/subscribers?page=2", last.QuerySelector(".pagination a[rel='prev']")?.GetAttribute("href"));
        Assert.Null(last.QuerySelector(".pagination a[rel='next']"));
        var row = first.QuerySelector("table.subscribers tbody tr")!;
        var newest = Start.AddMinutes(total - 1);
        Assert.Equal([State(total - 1), Iso(newest), State(total - 1) == "pending" ? "" : Iso(newest.AddHours(1)), ""],
            // A time is shown in words; the instant itself is its datetime attribute.
            row.QuerySelectorAll("td").Select(c => c.QuerySelector("time")?.GetAttribute("datetime") ?? c.Text()));
        foreach (var beyond in new[] { "4", "0", "-1", "two" })
        {
            using var response = await admin.Get($"/admin/subscribers?page={beyond}");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
    }

    [Fact]
    public async Task An_export_the_audit_log_refuses_is_not_made_and_says_so()
    {
        using var content = TestContent.Sample();
        await using var app = AdminSession.App(content);
        Subscriber(app, "secret@example.com", "confirmed", Start);
        var admin = await AdminSession.SignIn(app);

        using (app.RefuseAuditRows())
        {
            using var refused = await admin.Get("/admin/subscribers?handler=Csv");

            var page = await Html.RefusedForNow(refused, "the export could not be recorded and was not made");
            Assert.DoesNotContain("secret@example.com", page.DocumentElement.OuterHtml, StringComparison.Ordinal);
        }
        Assert.Empty(Audit(app));
    }

    [Fact]
    public async Task The_csv_export_is_an_uncached_attachment_safe_to_open_in_a_spreadsheet()
    {
        using var content = TestContent.Sample();
        await using var app = AdminSession.App(content);
        Subscriber(app, "plain@example.com", "confirmed", Start);
        Subscriber(app, "=cmd@example.com", "pending", Start.AddDays(1));
        Subscriber(app, "+1@example.com", "unsubscribed", Start.AddDays(2));
        Subscriber(app, "@sum@example.com", "pending", Start.AddDays(3));
        Subscriber(app, "=HYPERLINK(\"http://evil.example\",\"x\"),y@example.com", "pending", Start.AddDays(4));
        Subscriber(app, "\"quoted, name\"@example.com", "confirmed", Start.AddDays(5));
        var admin = await AdminSession.SignIn(app);

        using var response = await admin.Get("/admin/subscribers?handler=Csv");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("subscribers.csv", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        Assert.True(response.Headers.CacheControl?.NoStore, $"Cache-Control: {response.Headers.CacheControl}");
        Assert.Equal(
        [
            "email,state,created_at,confirmed_at,unsubscribed_at",
            "plain@example.com,confirmed,2026-01-01T00:00:00Z,2026-01-01T01:00:00Z,",
            "'=cmd@example.com,pending,2026-01-02T00:00:00Z,,",
            "'+1@example.com,unsubscribed,2026-01-03T00:00:00Z,2026-01-03T01:00:00Z,2026-01-04T00:00:00Z",
            "'@sum@example.com,pending,2026-01-04T00:00:00Z,,",
            "\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\"),y@example.com\",pending,2026-01-05T00:00:00Z,,",
            "\"\"\"quoted, name\"\"@example.com\",confirmed,2026-01-06T00:00:00Z,2026-01-06T01:00:00Z,",
            "",
        ], (await response.Content.ReadAsStringAsync()).Split("\r\n"));
        var entry = Assert.Single(Audit(app));
        Assert.Equal(("ada", "export-subscribers", "subscribers", "6 rows"), entry);
    }

    [Theory]
    [InlineData(null, "")]
    [InlineData("", "")]
    [InlineData("plain@example.com", "plain@example.com")]
    [InlineData("a=b", "a=b")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData("carriage\rreturn", "\"carriage\rreturn\"")]
    [InlineData("=1+2", "'=1+2")]
    [InlineData("+1", "'+1")]
    [InlineData("-1", "'-1")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tx", "'\tx")]
    [InlineData("\rx", "\"'\rx\"")]
    [InlineData("=a,\"b\"", "\"'=a,\"\"b\"\"\"")]
    public void A_csv_field_is_quoted_when_needed_and_never_read_as_a_formula(string? value, string expected) =>
        Assert.Equal(expected, Csv.Field(value));

    [Fact]
    public async Task Removing_an_address_asks_first_then_deletes_only_that_row_and_audits_without_the_address()
    {
        using var content = TestContent.Sample();
        await using var app = AdminSession.App(content);
        Subscriber(app, "keep@example.com", "confirmed", Start);
        var id = Subscriber(app, "Leave.Me@example.com", "confirmed", Start.AddDays(1));
        var admin = await AdminSession.SignIn(app);
        var form = await admin.FormOn("/admin/subscribers", "form.remove-form");

        using var asked = await admin.PostForm(form, values: ("Email", " leave.me@example.com "));

        Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
        var confirm = Html.Parse(await asked.Content.ReadAsStringAsync()).QuerySelector("form.confirm-form")!;
        Assert.Contains($"This will delete subscriber #{id}, Leave.Me@example.com", confirm.Text(), StringComparison.Ordinal);
        Assert.Equal(["keep@example.com", "Leave.Me@example.com"], Emails(app));
        Assert.Empty(Audit(app));

        using var done = await admin.PostForm(confirm);

        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.Equal($"/admin/subscribers?removed={id}", done.Headers.Location!.OriginalString);
        Assert.Equal(["keep@example.com"], Emails(app));
        var entry = Assert.Single(Audit(app));
        Assert.Equal(("ada", "remove-subscriber", $"subscribers/{id}", "removed on request"), entry);
        Assert.DoesNotContain("leave.me", string.Join(' ', entry.Admin, entry.Action, entry.Path, entry.Detail), StringComparison.OrdinalIgnoreCase);
        var after = await admin.Follow(done);
        Assert.Equal($"Subscriber #{id} was removed.", after.QuerySelector(".notice-ok").Text());
        Assert.DoesNotContain("leave.me", after.Body!.TextContent, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_removal_the_audit_log_refuses_removes_nothing()
    {
        using var content = TestContent.Sample();
        await using var app = AdminSession.App(content);
        Subscriber(app, "leave.me@example.com", "confirmed", Start);
        var admin = await AdminSession.SignIn(app);
        var form = await admin.FormOn("/admin/subscribers", "form.remove-form");
        using var asked = await admin.PostForm(form, values: ("Email", "leave.me@example.com"));
        var confirm = Html.Parse(await asked.Content.ReadAsStringAsync()).QuerySelector("form.confirm-form")!;
        using (app.RefuseAuditRows())
        {
            using var refused = await admin.PostForm(confirm);

            await Html.RefusedForNow(refused, "nobody was removed");
            Assert.Equal(["leave.me@example.com"], Emails(app));
            Assert.Empty(Audit(app));
        }

        using var done = await admin.PostForm(confirm);
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.Empty(Emails(app));
        Assert.Single(Audit(app));
    }

    [Fact]
    public async Task Removing_an_unknown_address_or_id_says_so_and_deletes_nothing()
    {
        using var content = TestContent.Sample();
        await using var app = AdminSession.App(content);
        var id = Subscriber(app, "keep@example.com", "confirmed", Start);
        var admin = await AdminSession.SignIn(app);
        var form = await admin.FormOn("/admin/subscribers", "form.remove-form");

        using var unknown = await admin.PostForm(form, values: ("Email", "nobody@example.com"));
        using var empty = await admin.PostForm(form, values: ("Email", ""));
        form.SetAttribute("action", "/admin/subscribers?handler=RemoveConfirmed");
        using var gone = await admin.PostForm(form, values: ("Id", (id + 1).ToString(CultureInfo.InvariantCulture)));
        using var missing = await admin.PostForm(form);

        Assert.Equal(
            [HttpStatusCode.NotFound, HttpStatusCode.BadRequest, HttpStatusCode.NotFound, HttpStatusCode.BadRequest],
            new[] { unknown.StatusCode, empty.StatusCode, gone.StatusCode, missing.StatusCode });
        foreach (var response in new[] { unknown, empty, gone, missing })
            Assert.False(string.IsNullOrWhiteSpace(Html.Parse(await response.Content.ReadAsStringAsync()).QuerySelector("#remove [role='alert']").Text()));
        Assert.Equal(["keep@example.com"], Emails(app));
        Assert.Empty(Audit(app));
    }

    [Theory]
    [InlineData("Remove", "Email=keep%40example.com")]
    [InlineData("RemoveConfirmed", "Id=1")]
    public async Task A_post_without_an_antiforgery_token_is_refused_and_removes_nothing(string handler, string body)
    {
        using var content = TestContent.Sample();
        await using var app = AdminSession.App(content);
        Subscriber(app, "keep@example.com", "confirmed", Start);
        var admin = await AdminSession.SignIn(app);

        using var signedIn = await admin.PostAsync(new Uri($"/admin/subscribers?handler={handler}", UriKind.Relative),
            new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded"));
        using var anonymous = await app.NoRedirects().PostAsync(new Uri($"/admin/subscribers?handler={handler}", UriKind.Relative),
            new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.BadRequest, signedIn.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.Equal(["keep@example.com"], Emails(app));
        Assert.Empty(Audit(app));
    }
}
