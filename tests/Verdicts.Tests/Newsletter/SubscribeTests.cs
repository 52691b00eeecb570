using System.Net;
using System.Text;
using Dapper;
using Verdicts.Tests.Infrastructure;

namespace Verdicts.Tests.Newsletter;

public sealed class SubscribeTests
{
    private static async Task<HttpResponseMessage> SubmitNewsletter(VerdictsApp app, string email, string? honeypot = null)
    {
        var client = app.NoRedirects();
        var form = (await client.GetPage("/compare/alpha-or-beta")).QuerySelector(".newsletter form")!;
        return honeypot is null
            ? await client.Submit(form, null, null, ("email", email))
            : await client.Submit(form, null, null, ("email", email), ("website", honeypot));
    }

    private static (string State, long Count) Subscriber(VerdictsApp app, string email)
    {
        using var connection = app.Database.Open();
        return (connection.QuerySingleOrDefault<string>("SELECT state FROM subscribers WHERE email = @email", new { email }) ?? "none",
            connection.QuerySingle<long>("SELECT count(*) FROM subscribers"));
    }

    private static string LinkIn(MimeKit.MimeMessage message, string path)
    {
        var text = message.TextBody ?? "";
        var start = text.IndexOf("http://localhost" + path, StringComparison.Ordinal);
        Assert.True(start >= 0, $"no {path} link in:\n{text}");
        var end = text.IndexOfAny([' ', '\n', '\r'], start);
        return text[(start + "http://localhost".Length)..(end < 0 ? text.Length : end)];
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
        var mail = Assert.Single(app.Mail());
        Assert.Equal("Reader@example.com", mail.To.Mailboxes.Single().Address);
        Assert.Equal("Confirm your Verdicts subscription", mail.Subject);
        var unsubscribe = LinkIn(mail, "/unsubscribe?token=");
        Assert.Equal($"<http://localhost{unsubscribe}>", mail.Headers["List-Unsubscribe"]);

        var page = await app.CreateClient().GetPage(LinkIn(mail, "/subscribe/confirm?token="));
        Assert.Equal("You are subscribed", page.QuerySelector("h1").Text());
        Assert.Equal("confirmed", Subscriber(app, "Reader@example.com").State);

        await app.CreateClient().GetPage(LinkIn(mail, "/subscribe/confirm?token="), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task The_answer_is_the_same_whether_or_not_the_address_was_already_subscribed()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        using var first = await SubmitNewsletter(app, "same@example.com");
        await app.CreateClient().GetPage(LinkIn(app.Mail()[0], "/subscribe/confirm?token="));

        using var again = await SubmitNewsletter(app, "same@example.com");

        Assert.Equal((first.StatusCode, first.Headers.Location), (again.StatusCode, again.Headers.Location));
        Assert.Equal(await first.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
        Assert.Single(app.Mail());
        Assert.Equal(("confirmed", 1L), Subscriber(app, "same@example.com"));
    }

    [Fact]
    public async Task The_unsubscribe_link_works_in_one_step_and_a_forged_one_does_nothing()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        using var _ = await SubmitNewsletter(app, "leaver@example.com");
        var mail = app.Mail()[0];
        await app.CreateClient().GetPage(LinkIn(mail, "/subscribe/confirm?token="));
        var link = LinkIn(mail, "/unsubscribe?token=");

        await app.CreateClient().GetPage(link[..^2] + (link[^2..] == "AA" ? "BB" : "AA"), HttpStatusCode.BadRequest);
        Assert.Equal("confirmed", Subscriber(app, "leaver@example.com").State);

        var page = await app.CreateClient().GetPage(link);
        Assert.Equal("You are unsubscribed", page.QuerySelector("h1").Text());
        Assert.Equal("unsubscribed", Subscriber(app, "leaver@example.com").State);
    }

    [Fact]
    public async Task Mail_clients_can_unsubscribe_with_the_one_click_post()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        using var _ = await SubmitNewsletter(app, "oneclick@example.com");
        var link = LinkIn(app.Mail()[0], "/unsubscribe?token=");

        using var response = await app.CreateClient().PostAsync(new Uri(link, UriKind.Relative),
            new StringContent("List-Unsubscribe=One-Click", Encoding.UTF8, "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("unsubscribed", Subscriber(app, "oneclick@example.com").State);
    }

    [Fact]
    public async Task An_expired_confirmation_link_does_not_confirm()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        using var _ = await SubmitNewsletter(app, "late@example.com");
        using (var connection = app.Database.Open())
            connection.Execute("UPDATE subscribers SET confirm_expires_at = '2000-01-01T00:00:00Z'");

        await app.CreateClient().GetPage(LinkIn(app.Mail()[0], "/subscribe/confirm?token="), HttpStatusCode.BadRequest);
        Assert.Equal("pending", Subscriber(app, "late@example.com").State);
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
        Assert.Empty(app.Mail());
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
        Assert.Empty(app.Mail());
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
