using System.Globalization;
using System.Net;
using AngleSharp.Html.Parser;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Verdicts.Tests.Infrastructure;
using Verdicts.Tests.Voting;
using Verdicts.Web.Newsletter;

namespace Verdicts.Tests.Newsletter;

/// <summary>
/// The weekly message as a reader's mail client gets it: text and HTML alternatives, each comparison with its bottom line
/// and figures, absolute links, nothing fetched from elsewhere, and the one-click unsubscribe of RFC 8058.
/// </summary>
public sealed class WeeklyMailTests
{
    private const string SiteUrl = "https://verdicts.test";

    private static string Day(int daysAgo) =>
        DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-daysAgo).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>An editor's bottom line with a relative link, a title full of markup, and a comparison left to the computed bottom line.</summary>
    private static TestContent Content() => TestContent.Sample()
        .Comparison("curated", ["alpha", "gamma"], Day(1),
            "title: \"Alpha <b>& Gamma</b>\"\nbottom_line: \"Pick **Alpha** unless you need [a runtime](/tools/gamma) ![pixel](https://tracker.example/x.png)\"\n")
        .Comparison("computed", ["beta", "gamma"], Day(2));

    private static async Task<(long Subscriber, MimeMessage Message)> SendOne(VerdictsApp app)
    {
        app.CastVotes("alpha", ship: 25, skip: 16);
        long id;
        using (var connection = app.Database.ReadWrites())
        {
            id = connection.ExecuteScalar<long>(
                "INSERT INTO subscribers (email, state, created_at) VALUES ('reader@example.com', 'confirmed', '2026-01-01T00:00:00Z') RETURNING id");
            connection.Execute("INSERT INTO subscribers (email, state, created_at) VALUES ('other@example.com', 'unsubscribed', '2026-01-01T00:00:00Z')");
        }
        var outcome = await app.Services.GetRequiredService<WeeklyNewsletter>().SendAsync(SiteUrl, CancellationToken.None);
        Assert.Equal((2, 1), (outcome.Comparisons, outcome.Sent));
        return (id, Assert.Single(app.Mail()));
    }

    [Fact]
    public async Task The_message_has_text_and_html_alternatives_with_each_comparisons_bottom_line_and_figures()
    {
        using var content = Content();
        await using var app = new VerdictsApp(content);
        var (_, message) = await SendOne(app);

        var alternatives = Assert.IsType<MultipartAlternative>(message.Body);
        Assert.Equal(["text/plain", "text/html"], alternatives.Select(p => p.ContentType.MimeType));
        var text = (message.TextBody ?? "").ReplaceLineEndings("\n");
        var html = new HtmlParser().ParseDocument(message.HtmlBody ?? "");

        // Figures worked out here: alpha's two ship verdicts, its 25 of 41 votes with their range, gamma not judged and not voted on.
        var (low, high) = CommunityShareTests.Shown(25, 41);
        var alpha = $"Alpha: panel 100% ship (2 ship · 0 skip); community {Html.Percent(25, 41)}% ship, 95% range {low}–{high}%, 41 votes; from Free";
        var gamma = "Gamma: panel not judged yet (0 ship · 0 skip); community no votes yet; from Free";
        var beta = $"Beta: panel {Html.Percent(1, 2)}% ship (1 ship · 1 skip); community no votes yet; from $20/mo";
        foreach (var figures in new[] { alpha, gamma, beta })
        {
            Assert.Contains("* " + figures + "\n", text, StringComparison.Ordinal);
            Assert.Contains(figures, html.QuerySelectorAll("li").Select(li => li.TextContent), StringComparer.Ordinal);
        }

        // The editor's bottom line, as text in one part and sanitized HTML with an absolute link (and no image) in the other.
        Assert.Contains("The bottom line: Pick Alpha unless you need a runtime", text, StringComparison.Ordinal);
        var curated = html.QuerySelectorAll("h2").Single(h => h.TextContent == "Alpha <b>& Gamma</b>").ParentElement!;
        Assert.Equal(SiteUrl + "/tools/gamma", curated.QuerySelectorAll("a").Single(a => a.TextContent == "a runtime").GetAttribute("href"));
        Assert.NotNull(curated.QuerySelector("strong"));

        // The computed bottom line is the one the comparison page shows.
        var page = await app.CreateClient().GetPage("/compare/computed");
        var shown = page.QuerySelectorAll(".bottom-line-facts li").Select(li => li.TextContent.Trim()).ToList();
        Assert.NotEmpty(shown);
        Assert.Contains($"To start: Beta $20/mo and Gamma Free.", shown);
        var computed = html.QuerySelectorAll("h2").Single(h => h.TextContent == "Beta vs Gamma").ParentElement!;
        Assert.Equal(shown, computed.QuerySelectorAll("ul")[0].QuerySelectorAll("li").Select(li => li.TextContent));
        Assert.Contains("The bottom line, computed from the figures:\n" + string.Concat(shown.Select(l => $"- {l}\n")), text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_html_is_encoded_self_contained_and_links_only_to_absolute_site_addresses()
    {
        using var content = Content();
        await using var app = new VerdictsApp(content);
        var (id, message) = await SendOne(app);
        var html = new HtmlParser().ParseDocument(message.HtmlBody ?? "");

        // The title's markup is text, not elements; the editor's image is gone.
        Assert.Empty(html.QuerySelectorAll("b, img, script, style, link, iframe, table, object, form"));
        Assert.Contains(html.QuerySelectorAll("h2"), h => h.TextContent == "Alpha <b>& Gamma</b>");
        Assert.DoesNotContain("tracker.example", message.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain(html.All, e => e.HasAttribute("src") || e.HasAttribute("class") || e.Attributes.Any(a => a.Name.StartsWith("on", StringComparison.Ordinal)));

        var links = html.QuerySelectorAll("a").Select(a => a.GetAttribute("href")!).ToList();
        Assert.All(links, href => Assert.StartsWith(SiteUrl + "/", href, StringComparison.Ordinal));
        Assert.Contains($"{SiteUrl}/compare/curated", links);
        Assert.Contains($"{SiteUrl}/compare/computed", links);
        var unsubscribe = $"{SiteUrl}/unsubscribe?token={id}.";
        Assert.StartsWith(unsubscribe, links.Single(l => l.Contains("/unsubscribe", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Equal($"<{links.Single(l => l.Contains("/unsubscribe", StringComparison.Ordinal))}>", message.Headers["List-Unsubscribe"]);
        Assert.Equal("List-Unsubscribe=One-Click", message.Headers["List-Unsubscribe-Post"]);

        // The text part's links are the same absolute addresses.
        var text = message.TextBody ?? "";
        Assert.Contains($"\n{SiteUrl}/compare/curated\n", text.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains($"Unsubscribe in one step: {links.Single(l => l.Contains("/unsubscribe", StringComparison.Ordinal))}", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_click_unsubscribe_posts_without_a_form_token_work_once_and_again_and_forged_ones_change_nothing()
    {
        using var content = Content();
        await using var app = new VerdictsApp(content);
        var (id, message) = await SendOne(app);
        var address = new Uri((message.Headers["List-Unsubscribe"] ?? "").Trim('<', '>'));
        Assert.Equal(SiteUrl, address.GetLeftPart(UriPartial.Authority));
        var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = false });

        // As a mail provider sends it (RFC 8058): no cookie, no form token, from its own origin.
        async Task<HttpStatusCode> OneClick(string pathAndQuery)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(pathAndQuery, UriKind.Relative))
            {
                Content = new FormUrlEncodedContent([KeyValuePair.Create("List-Unsubscribe", "One-Click")]),
            };
            request.Headers.Add("Origin", "https://mail.example");
            using var response = await client.SendAsync(request);
            return response.StatusCode;
        }
        (string State, string? At) Reader()
        {
            using var connection = app.Database.ReadWrites();
            return connection.QuerySingle<(string, string?)>("SELECT state, unsubscribed_at FROM subscribers WHERE id = @id", new { id });
        }

        var forged = address.PathAndQuery[..^3] + (address.PathAndQuery[^3] == 'A' ? "BBB" : "AAA");
        Assert.Equal(HttpStatusCode.BadRequest, await OneClick(forged));
        Assert.Equal(HttpStatusCode.BadRequest, await OneClick("/unsubscribe"));
        Assert.Equal(("confirmed", null), Reader());

        Assert.Equal(HttpStatusCode.OK, await OneClick(address.PathAndQuery));
        var first = Reader();
        Assert.Equal("unsubscribed", first.State);
        Assert.NotNull(first.At);

        // Again (mail clients retry): the same answer, and the first unsubscription stands as it was.
        Assert.Equal(HttpStatusCode.OK, await OneClick(address.PathAndQuery));
        Assert.Equal(first, Reader());

        // And the next week's mail goes to nobody.
        using (var connection = app.Database.ReadWrites())
            connection.Execute("DELETE FROM newsletter_deliveries");
        Assert.Equal(0, (await app.Services.GetRequiredService<WeeklyNewsletter>().SendAsync(SiteUrl, CancellationToken.None)).Sent);
    }
}
