using System.Net;
using System.Text;
using AngleSharp.Dom;
using Dapper;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Verdicts.Tests.Infrastructure;
using Verdicts.Web.Newsletter;

namespace Verdicts.Tests.Newsletter;

public sealed class SubscribeTests
{
    internal static async Task<HttpResponseMessage> SubmitNewsletter(VerdictsApp app, string email, string? honeypot = null, HttpClient? client = null)
    {
        client ??= app.NoRedirects();
        var form = (await client.GetPage("/compare/alpha-or-beta")).QuerySelector(".newsletter form")!;
        return honeypot is null
            ? await client.Submit(form, null, null, ("email", email))
            : await client.Submit(form, null, null, ("email", email), ("website", honeypot));
    }

    private static (string State, long Count) Subscriber(VerdictsApp app, string email)
    {
        using var connection = app.Database.ReadWrites();
        return (connection.QuerySingleOrDefault<string>("SELECT state FROM subscribers WHERE email = @email", new { email }) ?? "none",
            connection.QuerySingle<long>("SELECT count(*) FROM subscribers"));
    }

    private static long Count(VerdictsApp app, string sql)
    {
        using var connection = app.Database.ReadWrites();
        return connection.ExecuteScalar<long>(sql);
    }

    /// <summary>The path and query of the first link to <paramref name="path"/> on <paramref name="site"/> in the message's text.</summary>
    internal static string LinkIn(MimeKit.MimeMessage message, string path, string site = "http://localhost")
    {
        var text = message.TextBody ?? "";
        var start = text.IndexOf(site + path, StringComparison.Ordinal);
        Assert.True(start >= 0, $"no {site}{path} link in:\n{text}");
        var end = text.IndexOfAny([' ', '\n', '\r'], start);
        return text[(start + site.Length)..(end < 0 ? text.Length : end)];
    }

    /// <summary>Opens a link from a message and presses the one button on its page, as a person would.</summary>
    internal static async Task<IElement> PressTheButton(HttpClient client, string link, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var form = Assert.Single((await client.GetPage(link)).QuerySelectorAll("main form[method=post]"));
        Assert.Single(form.QuerySelectorAll("button"));
        using var response = await client.Submit(form);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"POST {link}: expected {(int)expected}, got {(int)response.StatusCode}\n{body}");
        return Html.Parse(body).DocumentElement;
    }

    [Fact]
    public async Task Signing_up_sends_one_confirmation_and_confirming_subscribes()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);

        using var response = await SubmitNewsletter(app, "Reader@Example.COM");

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/subscribe/thanks", response.Headers.Location?.OriginalString);
        Assert.Equal(("pending", 1L), Subscriber(app, "Reader@example.com"));
        var mail = Assert.Single(await app.DeliveredMail());
        Assert.Equal("Reader@example.com", mail.To.Mailboxes.Single().Address);
        Assert.Equal("Confirm your Verdicts subscription", mail.Subject);
        var unsubscribe = LinkIn(mail, "/unsubscribe?token=");
        Assert.Equal($"<http://localhost{unsubscribe}>", mail.Headers["List-Unsubscribe"]);
        Assert.Equal("List-Unsubscribe=One-Click", mail.Headers["List-Unsubscribe-Post"]);

        var page = await PressTheButton(app.CreateClient(), LinkIn(mail, "/subscribe/confirm?token="));
        Assert.Equal("You are subscribed", page.QuerySelector("h1").Text());
        Assert.Equal("confirmed", Subscriber(app, "Reader@example.com").State);
    }

    [Fact]
    public async Task Opening_the_confirmation_link_changes_nothing_until_its_button_is_pressed()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        using var _ = await SubmitNewsletter(app, "scanned@example.com");
        var link = LinkIn((await app.DeliveredMail())[0], "/subscribe/confirm?token=");

        // What a mail scanner does: open the link, more than once, and follow nothing else.
        for (var i = 0; i < 3; i++)
        {
            using var response = await app.CreateClient().Get(link);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        Assert.Equal("pending", Subscriber(app, "scanned@example.com").State);

        var page = await PressTheButton(app.CreateClient(), link);
        Assert.Equal("You are subscribed", page.QuerySelector("h1").Text());
        Assert.Equal("confirmed", Subscriber(app, "scanned@example.com").State);
    }

    [Fact]
    public async Task A_second_click_on_a_used_confirmation_link_says_already_confirmed()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        using var _ = await SubmitNewsletter(app, "twice@example.com");
        var link = LinkIn((await app.DeliveredMail())[0], "/subscribe/confirm?token=");
        var client = app.CreateClient();
        var form = Assert.Single((await client.GetPage(link)).QuerySelectorAll("main form[method=post]"));
        using (await client.Submit(form))
            Assert.Equal("confirmed", Subscriber(app, "twice@example.com").State);

        var again = await client.GetPage(link);
        Assert.Equal("Already confirmed", again.QuerySelector("h1").Text());
        Assert.Empty(again.QuerySelectorAll("main form[method=post]"));

        // The same button pressed again, from a page left open.
        using var repeated = await client.Submit(form);
        Assert.Equal(HttpStatusCode.OK, repeated.StatusCode);
        Assert.Equal("Already confirmed", Html.Parse(await repeated.Content.ReadAsStringAsync()).QuerySelector("h1").Text());
        Assert.Equal(("confirmed", 1L), Subscriber(app, "twice@example.com"));
    }

    [Fact]
    public async Task A_confirmation_posted_without_the_pages_form_token_or_from_another_site_is_refused()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        using var _ = await SubmitNewsletter(app, "forged@example.com");
        var link = LinkIn((await app.DeliveredMail())[0], "/subscribe/confirm?token=");
        var token = link[(link.IndexOf('=', StringComparison.Ordinal) + 1)..];

        using var tokenless = await app.NoRedirects().PostAsync(new Uri(link, UriKind.Relative),
            new FormUrlEncodedContent([new("token", token)]));
        Assert.Equal(HttpStatusCode.BadRequest, tokenless.StatusCode);

        var client = app.NoRedirects();
        var form = Assert.Single((await client.GetPage(link)).QuerySelectorAll("main form[method=post]"));
        using var crossSite = await client.Submit(form, null, r => r.Headers.Add("Origin", "https://evil.example"));
        Assert.Equal(HttpStatusCode.Forbidden, crossSite.StatusCode);

        Assert.Equal("pending", Subscriber(app, "forged@example.com").State);
    }

    [Fact]
    public async Task The_answer_is_the_same_whether_or_not_the_address_was_already_subscribed()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        using var first = await SubmitNewsletter(app, "same@example.com");
        await PressTheButton(app.CreateClient(), LinkIn((await app.DeliveredMail())[0], "/subscribe/confirm?token="));

        using var again = await SubmitNewsletter(app, "same@example.com");

        Assert.Equal((first.StatusCode, first.Headers.Location), (again.StatusCode, again.Headers.Location));
        Assert.Equal(await first.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
        Assert.Single(await app.DeliveredMail());
        Assert.Equal(("confirmed", 1L), Subscriber(app, "same@example.com"));
    }

    [Fact]
    public async Task A_new_a_pending_a_confirmed_and_a_limited_address_get_identical_answers()
    {
        using var content = TestContent.Sample();
        var clock = new TestClock(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        await using var app = new VerdictsApp(content, new Dictionary<string, string?> { ["Verdicts:RateLimit:Disabled"] = "true" }) { Clock = clock };
        using (await SubmitNewsletter(app, "confirmed@example.com"))
            await PressTheButton(app.CreateClient(), LinkIn((await app.DeliveredMail())[0], "/subscribe/confirm?token="));
        using (await SubmitNewsletter(app, "pending@example.com"))
            Assert.Equal(2, (await app.DeliveredMail()).Count);
        clock.Now += TimeSpan.FromHours(2);
        using (await SubmitNewsletter(app, "limited@example.com"))
            Assert.Equal(3, (await app.DeliveredMail()).Count);

        var answers = new List<(string Case, HttpResponseMessage Response)>();
        foreach (var (name, email) in new[] { ("new", "new@example.com"), ("pending", "pending@example.com"), ("confirmed", "confirmed@example.com"), ("limited", "limited@example.com") })
            answers.Add((name, await SubmitNewsletter(app, email)));

        var expected = await Describe(answers[0].Response);
        foreach (var (name, response) in answers)
        {
            Assert.True(expected == await Describe(response), $"the answer for a {name} address differs:\n{await Describe(response)}\nagainst\n{expected}");
            response.Dispose();
        }
        // The answers are the same, yet what happened behind them is not: new and pending addresses got a message.
        var mail = await app.DeliveredMail();
        Assert.Equal(5, mail.Count);
        Assert.Equal(["new@example.com", "pending@example.com"], mail.Skip(3).Select(m => m.To.Mailboxes.Single().Address).Order(StringComparer.Ordinal));

        static async Task<string> Describe(HttpResponseMessage response) =>
            $"{(int)response.StatusCode}\n" + string.Join('\n', response.Headers.Concat(response.Content.Headers)
                .Where(h => h.Key != "Date").Select(h => $"{h.Key}: {string.Join(", ", h.Value)}").Order(StringComparer.Ordinal))
            + "\n\n" + await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task Thirty_sign_ups_for_one_address_send_only_what_the_limit_allows_and_the_first_link_still_confirms()
    {
        using var content = TestContent.Sample();
        var start = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
        var clock = new TestClock(start);
        await using var app = new VerdictsApp(content, new Dictionary<string, string?> { ["Verdicts:RateLimit:Disabled"] = "true" }) { Clock = clock };
        var step = TimeSpan.FromMinutes(10);

        int perHour = Subscriptions.ConfirmationsPerHour, perDay = Subscriptions.ConfirmationsPerDay;
        var allowed = new List<DateTimeOffset>();
        for (var i = 0; i < 30; i++)
        {
            clock.Now = start + i * step;
            // The rule, applied here on its own: a message at most every hour, and a few a day.
            if (allowed.Count(at => at > clock.Now - TimeSpan.FromHours(1)) < perHour
                && allowed.Count(at => at > clock.Now - TimeSpan.FromDays(1)) < perDay)
                allowed.Add(clock.Now);
            using var response = await SubmitNewsletter(app, "target@example.com");
            Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        }

        var mail = await app.DeliveredMail();
        Assert.InRange(allowed.Count, 2, 29);
        Assert.Equal(allowed.Count, mail.Count);
        // Every message carries the first link: asking again does not make earlier links stop working.
        var links = mail.Select(m => LinkIn(m, "/subscribe/confirm?token=")).ToList();
        Assert.Single(links.Distinct());
        var page = await PressTheButton(app.CreateClient(), links[0]);
        Assert.Equal("You are subscribed", page.QuerySelector("h1").Text());
        Assert.Equal(("confirmed", 1L), Subscriber(app, "target@example.com"));
    }

    [Fact]
    public async Task The_unsubscribe_link_opens_a_page_whose_button_unsubscribes_and_a_forged_one_does_nothing()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        using var _ = await SubmitNewsletter(app, "leaver@example.com");
        var mail = (await app.DeliveredMail())[0];
        await PressTheButton(app.CreateClient(), LinkIn(mail, "/subscribe/confirm?token="));
        var link = LinkIn(mail, "/unsubscribe?token=");

        await app.CreateClient().GetPage(link[..^2] + (link[^2..] == "AA" ? "BB" : "AA"), HttpStatusCode.BadRequest);
        Assert.Equal("confirmed", Subscriber(app, "leaver@example.com").State);

        await app.CreateClient().GetPage(link);
        Assert.Equal("confirmed", Subscriber(app, "leaver@example.com").State);

        var page = await PressTheButton(app.CreateClient(), link);
        Assert.Equal("You are unsubscribed", page.QuerySelector("h1").Text());
        Assert.Equal("unsubscribed", Subscriber(app, "leaver@example.com").State);
    }

    [Fact]
    public async Task Mail_clients_can_unsubscribe_with_the_one_click_post()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        using var _ = await SubmitNewsletter(app, "oneclick@example.com");
        var link = LinkIn((await app.DeliveredMail())[0], "/unsubscribe?token=");

        using var response = await app.CreateClient().PostAsync(new Uri(link, UriKind.Relative),
            new StringContent("List-Unsubscribe=One-Click", Encoding.UTF8, "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("unsubscribed", Subscriber(app, "oneclick@example.com").State);
    }

    [Theory]
    [InlineData("Sec-Fetch-Site", "cross-site")]
    [InlineData("Origin", "https://mail.example")]
    public async Task The_one_click_post_works_from_another_origin_because_the_token_in_its_address_authorizes_it(string header, string value)
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        using var _ = await SubmitNewsletter(app, "webmail@example.com");
        var link = LinkIn((await app.DeliveredMail())[0], "/unsubscribe?token=");

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(link, UriKind.Relative))
        {
            Content = new StringContent("List-Unsubscribe=One-Click", Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        request.Headers.Add(header, value);
        using var response = await app.NoRedirects().SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("unsubscribed", Subscriber(app, "webmail@example.com").State);
    }

    [Fact]
    public async Task The_unsubscribe_button_posted_from_another_site_changes_nothing()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        using var _ = await SubmitNewsletter(app, "kept@example.com");
        var link = LinkIn((await app.DeliveredMail())[0], "/unsubscribe?token=");
        var token = link[(link.IndexOf('=', StringComparison.Ordinal) + 1)..];

        // What a page on another site can send: the button's fields, without this site's form token.
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/unsubscribe", UriKind.Relative))
        {
            Content = new FormUrlEncodedContent([new("token", token)]),
        };
        request.Headers.Add("Origin", "https://evil.example");
        using var response = await app.NoRedirects().SendAsync(request);

        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Forbidden, $"answered {(int)response.StatusCode}");
        Assert.Equal("pending", Subscriber(app, "kept@example.com").State);
    }

    [Theory]
    [InlineData("/subscribe/confirm", "multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"token\"\r\n\r\nabc")]
    [InlineData("/unsubscribe?token=1.abc", "multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\nOne-Click")]
    [InlineData("/unsubscribe?token=1.abc", "application/x-www-form-urlencoded", "List-Unsubscribe=One-Click&List-Unsubscribe=One-Click")]
    [InlineData("/unsubscribe", "application/json", "{}")]
    public async Task Malformed_confirm_and_unsubscribe_posts_get_a_4xx_and_change_nothing(string path, string contentType, string body)
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        using var _ = await SubmitNewsletter(app, "kept@example.com");

        var form = new StringContent(body, Encoding.UTF8);
        form.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        using var response = await app.NoRedirects().PostAsync(new Uri(path, UriKind.Relative), form);

        Assert.InRange((int)response.StatusCode, 400, 499);
        Assert.Equal("pending", Subscriber(app, "kept@example.com").State);
    }

    [Fact]
    public async Task An_unsubscribe_post_without_the_one_click_field_or_the_pages_form_token_changes_nothing()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        using var _ = await SubmitNewsletter(app, "kept@example.com");
        var link = LinkIn((await app.DeliveredMail())[0], "/unsubscribe?token=");

        using var response = await app.CreateClient().PostAsync(new Uri(link, UriKind.Relative),
            new StringContent("anything=else", Encoding.UTF8, "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("pending", Subscriber(app, "kept@example.com").State);
    }

    [Fact]
    public async Task An_expired_confirmation_link_does_not_confirm()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        using var _ = await SubmitNewsletter(app, "late@example.com");
        var link = LinkIn((await app.DeliveredMail())[0], "/subscribe/confirm?token=");
        var client = app.CreateClient();
        var form = Assert.Single((await client.GetPage(link)).QuerySelectorAll("main form[method=post]"));
        using (var connection = app.Database.ReadWrites())
            connection.Execute("UPDATE subscribers SET confirm_expires_at = '2000-01-01T00:00:00Z'");

        await client.GetPage(link, HttpStatusCode.BadRequest);
        using var pressed = await client.Submit(form);
        Assert.Equal(HttpStatusCode.BadRequest, pressed.StatusCode);
        Assert.Equal("pending", Subscriber(app, "late@example.com").State);
    }

    [Fact]
    public async Task Mail_links_lead_to_the_configured_site_whatever_host_the_request_names()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content, new Dictionary<string, string?> { ["Verdicts:SiteUrl"] = "https://verdicts.example/" });
        var evil = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://evil.example"), AllowAutoRedirect = false });

        using var response = await SubmitNewsletter(app, "victim@example.com", client: evil);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        var mail = Assert.Single(await app.DeliveredMail());
        Assert.DoesNotContain("evil.example", mail.ToString(), StringComparison.OrdinalIgnoreCase);
        LinkIn(mail, "/subscribe/confirm?token=", "https://verdicts.example");
        Assert.Equal($"<https://verdicts.example{LinkIn(mail, "/unsubscribe?token=", "https://verdicts.example")}>", mail.Headers["List-Unsubscribe"]);
    }

    [Fact]
    public async Task Without_a_configured_site_address_sign_ups_are_refused_and_nothing_is_built_from_the_host()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content, new Dictionary<string, string?> { ["Verdicts:SiteUrl"] = "" });
        var evil = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://evil.example"), AllowAutoRedirect = false });

        using var response = await SubmitNewsletter(app, "victim@example.com", client: evil);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var page = Html.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains("not taking sign-ups", page.QuerySelector("main").Text(), StringComparison.Ordinal);
        Assert.Equal(("none", 0L), Subscriber(app, "victim@example.com"));
        Assert.Empty(await app.DeliveredMail());
    }

    [Fact]
    public async Task While_another_writer_holds_the_database_sign_up_and_confirm_answer_503_and_store_nothing_then_work()
    {
        // On PostgreSQL: PostgresTests.While_PostgreSQL_is_down_sign_ups_and_sign_ins_answer_503_pages_stay_up_and_it_recovers_by_itself.
        Assert.SkipWhen(PostgresServer.EverySite, "SQLite's write lock: on PostgreSQL subscribers are not written to this file");
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        using (await SubmitNewsletter(app, "waiting@example.com"))
        {
        }
        var link = LinkIn((await app.DeliveredMail())[0], "/subscribe/confirm?token=");
        var confirmer = app.CreateClient();
        var form = Assert.Single((await confirmer.GetPage(link)).QuerySelectorAll("main form[method=post]"));
        var signUpClient = app.NoRedirects();
        var signUpForm = (await signUpClient.GetPage("/compare/alpha-or-beta")).QuerySelector(".newsletter form")!;

        using (var holder = new SqliteConnection($"Data Source={app.DatabasePath};Pooling=false"))
        {
            holder.Open();
            holder.Execute("BEGIN IMMEDIATE");

            using var signUp = await signUpClient.Submit(signUpForm, null, null, ("email", "locked@example.com"));
            using var confirm = await confirmer.Submit(form);

            foreach (var response in new[] { signUp, confirm })
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, $"no Retry-After on {response.RequestMessage?.RequestUri}");
                var page = Html.Parse(await response.Content.ReadAsStringAsync());
                Assert.Contains("Nothing was saved", page.QuerySelector("main").Text(), StringComparison.Ordinal);
            }
            holder.Execute("ROLLBACK");
        }

        Assert.Equal(("none", 1L), Subscriber(app, "locked@example.com"));
        Assert.Equal("pending", Subscriber(app, "waiting@example.com").State);
        Assert.Equal(1L, Count(app, "SELECT count(*) FROM mail_outbox"));

        using (var signUp = await signUpClient.Submit(signUpForm, null, null, ("email", "locked@example.com")))
            Assert.Equal(HttpStatusCode.SeeOther, signUp.StatusCode);
        using (var confirm = await confirmer.Submit(form))
            Assert.Equal(HttpStatusCode.OK, confirm.StatusCode);
        Assert.Equal(("pending", 2L), Subscriber(app, "locked@example.com"));
        Assert.Equal("confirmed", Subscriber(app, "waiting@example.com").State);
        Assert.Equal(2, (await app.DeliveredMail()).Count);
    }

    [Fact]
    public async Task A_filled_honeypot_gets_the_same_answer_and_nothing_is_stored_or_sent()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        using var response = await SubmitNewsletter(app, "bot@example.com", honeypot: "https://spam.example");

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/subscribe/thanks", response.Headers.Location?.OriginalString);
        Assert.Equal(("none", 0L), Subscriber(app, "bot@example.com"));
        Assert.Empty(await app.DeliveredMail());
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-an-address")]
    [InlineData("Reader <reader@example.com>")]
    [InlineData("\"Reader\" reader@example.com")]
    [InlineData("reader@example.com, other@example.com")]
    [InlineData("reader@example.com\r\nBcc: victim@example.com")]
    [InlineData("reader@example.com\nBcc: victim@example.com")]
    [InlineData("reader@localhost")]
    [InlineData("a@b@example.com")]
    [InlineData("reader@exa mple.com")]
    public async Task An_address_that_is_not_one_plain_address_is_refused_and_nothing_is_stored(string email)
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        using var response = await SubmitNewsletter(app, email);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("single plain email address", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0L, Subscriber(app, email).Count);
        Assert.Empty(await app.DeliveredMail());
    }

    [Fact]
    public async Task An_address_over_254_characters_is_refused()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        using var response = await SubmitNewsletter(app, new string('a', 64) + "@" + string.Join('.', Enumerable.Repeat(new string('b', 60), 4)) + ".com");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0L, Subscriber(app, "").Count);
    }

    [Fact]
    public async Task A_cross_site_sign_up_is_refused()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        var client = app.NoRedirects();
        var form = (await client.GetPage("/")).QuerySelector(".newsletter form")!;
        using var response = await client.Submit(form, null, r => r.Headers.Add("Origin", "https://evil.example"), ("email", "victim@example.com"));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(0L, Subscriber(app, "victim@example.com").Count);
    }
}
