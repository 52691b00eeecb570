using System.Net;
using System.Text.Json;
using Verdicts.Tests.Infrastructure;

namespace Verdicts.Tests.Pages.Compare;

public sealed class ComparisonPageTests
{
    private static TestContent Content() => TestContent.Sample()
        .Reviewer("cy", "Cy Park", "The buyer", 3)
        .Verdict("alpha", "cy", "skip").Verdict("beta", "cy", "skip")
        .Tool("delta", "Delta", extra: "license: MIT\n", entry: "$5/mo")
        .File("tools/beta.md", TestContent.ToolText("Beta", tagline: "The second tool", entry: "$20/mo",
            extra: "license: Apache-2.0\n").Replace("  entry: \"$20/mo\"\n", "  entry: \"$20/mo\"\n  plans:\n    - name: Team\n      price: $20/mo\n      notes: per seat\n    - name: Free\n      price: $0\n", StringComparison.Ordinal));

    [Fact]
    public async Task A_curated_comparison_shows_each_tool_with_figures_computed_from_the_data()
    {
        using var content = Content();
        await using var app = new VerdictsApp(content);
        app.CastVotes("alpha", ship: 2, skip: 1);
        var page = await app.CreateClient().GetPage("/compare/alpha-or-beta");

        Assert.Equal("Alpha vs Beta", page.QuerySelector("h1").Text());
        Assert.Contains("Which one should you ship with?", page.QuerySelector(".lede").Text(), StringComparison.Ordinal);
        Assert.Equal("Why compare them.", page.QuerySelector(".intro").Text());
        var columns = page.QuerySelectorAll(".tool-col");
        Assert.Equal(["alpha", "beta"], columns.Select(c => c.GetAttribute("data-tool")));
        Assert.Equal("/tools/alpha", columns[0].QuerySelector(".tool-name a")?.GetAttribute("href"));
        Assert.Equal("Developer Tools", columns[0].QuerySelector(".category").Text());
        Assert.Equal("The first tool", columns[0].QuerySelector(".tagline").Text());

        // alpha: ada ship, bo ship, cy skip; beta: ada ship, bo skip, cy skip. The figures sit once, in the glance grid.
        var figures = page.QuerySelector(".glance tfoot")!;
        Assert.Equal(Html.Percent(2, 3), figures.Metric("panel-ship", "alpha"));
        Assert.Equal(Html.Shown(2, 3), figures.QuerySelector("[data-metric='panel-ship'][data-tool='alpha']")!.Text());
        Assert.Equal(Html.Percent(1, 3), figures.Metric("panel-ship", "beta"));
        // Three votes are too few for a share (issue 30): the counts instead.
        Assert.Equal("", figures.Metric("community-ship", "alpha"));
        Assert.StartsWith("2 ship · 1 skip", figures.QuerySelector("[data-metric='community-ship'][data-tool='alpha']").Text(), StringComparison.Ordinal);
        Assert.Equal("3", figures.Metric("community-votes", "alpha"));
        Assert.Equal("", figures.Metric("community-ship", "beta"));
        Assert.StartsWith("—", figures.QuerySelector("[data-metric='community-ship'][data-tool='beta']").Text(), StringComparison.Ordinal);
        Assert.Equal("no votes yet", figures.QuerySelector("[data-metric='community-votes'][data-tool='beta']").Text());
        Assert.Equal("Free", figures.Metric("entry-price", "alpha"));
        Assert.Equal("$20/mo", figures.Metric("entry-price", "beta"));
        Assert.Equal("A tool worth a look.", columns[0].QuerySelector(".description").Text());
    }

    [Fact]
    public async Task The_glance_grid_counts_ship_and_skip_for_panel_and_community()
    {
        using var content = Content();
        await using var app = new VerdictsApp(content);
        app.CastVotes("beta", ship: 1, skip: 3);
        var page = await app.CreateClient().GetPage("/compare/alpha-or-beta");

        var section = page.QuerySelector(".glance tfoot")!;
        Assert.Equal(("2", "1"), (section.Metric("panel-ship-count", "alpha"), section.Metric("panel-skip-count", "alpha")));
        // Below ten votes the counts are the community figure itself (issue 30).
        Assert.Equal("1 ship · 3 skip", section.QuerySelector("[data-metric='community-ship'][data-tool='beta']")!.Text());
        var betaBars = section.QuerySelectorAll("[data-tool='beta'] svg.bar");
        Assert.Equal(2, betaBars.Length);
        Assert.Equal(Html.Percent(1, 3), betaBars[0].QuerySelector(".bar-fill")?.GetAttribute("width"));
        // Four votes are too few for a share (issue 30): the community bar stays empty and says why.
        Assert.Null(betaBars[1].QuerySelector(".bar-fill"));
        Assert.Equal("Community: too few votes on Beta for a share", betaBars[1].GetAttribute("aria-label"));
    }

    [Fact]
    public async Task The_pricing_read_lists_the_plans_with_entry_prices_in_the_grid_and_licences_in_the_specs()
    {
        using var content = Content();
        await using var app = new VerdictsApp(content);
        var page = await app.CreateClient().GetPage("/compare/alpha-or-beta");

        var table = page.QuerySelector(".pricing table")!;
        Assert.Equal(["Alpha", "Beta"], table.QuerySelectorAll("thead th").Select(th => th.Text()));
        var rows = table.QuerySelectorAll("tbody tr");
        Assert.Equal(["Entry price", "Free", "$20/mo"], page.QuerySelector(".glance tfoot tr[data-figure='entry']")!.Children.Select(c => c.Text()));
        Assert.Equal(["Team: $20/mo (per seat)", "Free: $0"], rows[0].QuerySelectorAll("td")[1].QuerySelectorAll("li").Select(li => li.Text()));
        Assert.Equal("No published plans", rows[0].QuerySelectorAll("td")[0].Text());
        Assert.Equal(["not stated", "Apache-2.0"], page.QuerySelectorAll(".specs tr[data-spec='license'] td").Select(td => td.Text()));
    }

    [Fact]
    public async Task The_scorecard_shows_each_reviewer_side_by_side_and_marks_who_splits()
    {
        using var content = Content();
        await using var app = new VerdictsApp(content);
        var page = await app.CreateClient().GetPage("/compare/alpha-or-beta");

        var rows = page.QuerySelectorAll(".score-row");
        Assert.Equal(["ada", "bo", "cy"], rows.Select(r => r.GetAttribute("data-reviewer")));
        Assert.Equal("Competition", rows[1].QuerySelector(".lens").Text());
        Assert.Equal(["ship", "skip"], rows[1].QuerySelectorAll("[data-metric='verdict']").Select(v => v.GetAttribute("data-value")));
        Assert.Equal(["Clear call, well argued.", "Clear call, well argued."], rows[1].QuerySelectorAll(".quote").Select(q => q.Text()));
        Assert.Equal([false, true, false], rows.Select(r => r.ClassList.Contains("splits")));
        Assert.NotNull(rows[1].QuerySelector(".split-flag"));
        Assert.Equal("1 of 3 reviewers split.", page.QuerySelector(".split-summary").Text());
        Assert.Equal("1", page.QuerySelector(".split-summary")?.GetAttribute("data-value"));
    }

    [Fact]
    public async Task The_scorecard_puts_ordered_reviewers_first_then_the_others_by_name_with_each_verdict_under_its_tool()
    {
        using var content = Content()
            .Reviewer("zed", "Al Zed", "Market", order: null).Reviewer("abe", "Zoe Abe", "Ops", order: null)
            .Reviewer("early", "Early Bird", "First", order: 0)
            .Verdict("gamma", "abe", "skip", "Gamma is not for us.").Verdict("beta", "zed", "ship", "Beta holds up.")
            .Verdict("alpha", "early", "skip", "Alpha is early.");
        await using var app = new VerdictsApp(content);
        var page = await app.CreateClient().GetPage("/compare/gamma-vs-alpha-vs-beta");

        // Orders 0, 1, 2, 3 first; then the reviewers without one by name: Al Zed before Zoe Abe.
        var rows = page.QuerySelectorAll(".score-row");
        Assert.Equal(["early", "ada", "bo", "cy", "zed", "abe"], rows.Select(r => r.GetAttribute("data-reviewer")));
        Assert.Equal(["gamma", "alpha", "beta"], page.QuerySelectorAll(".tool-col").Select(c => c.GetAttribute("data-tool")));
        // Each cell's tool and verdict ("" where the reviewer has not judged that tool).
        string[] Verdicts(int row) => [.. rows[row].QuerySelectorAll(".score-cell")
            .Select(cell => $"{cell.GetAttribute("data-tool")}:{cell.QuerySelector("[data-metric='verdict']")?.GetAttribute("data-value")}")];
        Assert.Equal(["gamma:", "alpha:skip", "beta:"], Verdicts(0));
        Assert.Equal(["gamma:", "alpha:", "beta:ship"], Verdicts(4));
        Assert.Equal(["gamma:skip", "alpha:", "beta:"], Verdicts(5));
        Assert.Equal("Gamma is not for us.", rows[5].QuerySelector(".quote").Text());
        // Beta's plans stay in the file's order, under Beta's column.
        var plans = page.QuerySelectorAll(".pricing tbody tr")[0].QuerySelectorAll("td");
        Assert.Equal(["Team: $20/mo (per seat)", "Free: $0"], plans[2].QuerySelectorAll("li").Select(li => li.Text()));
    }

    [Fact]
    public async Task A_panel_that_agrees_says_so()
    {
        using var content = TestContent.Sample().Verdict("gamma", "ada", "ship").Verdict("gamma", "bo", "ship");
        await using var app = new VerdictsApp(content);
        var page = await app.CreateClient().GetPage("/compare/alpha-vs-gamma");
        Assert.Equal("The panel agrees on both.", page.QuerySelector(".split-summary").Text());
    }

    [Fact]
    public async Task A_tool_without_verdicts_shows_a_dash_never_zero_percent()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        var page = await app.CreateClient().GetPage("/compare/alpha-vs-gamma");

        Assert.Equal("", page.Metric("panel-ship", "gamma"));
        Assert.Equal("—", page.QuerySelector("[data-metric='panel-ship'][data-tool='gamma']").Text());
        Assert.DoesNotContain("0%", page.QuerySelector(".tool-col[data-tool='gamma']").Text(), StringComparison.Ordinal);
        Assert.DoesNotContain("0%", page.QuerySelector(".glance tfoot tr[data-figure='panel'] td[data-tool='gamma']").Text(), StringComparison.Ordinal);
        Assert.Equal(["ship", ""], page.QuerySelectorAll(".score-row[data-reviewer='ada'] [data-metric='verdict']").Select(v => v.GetAttribute("data-value")));
    }

    [Fact]
    public async Task A_generated_comparison_works_for_any_published_tools_without_an_introduction()
    {
        using var content = TestContent.Sample().Tool("delta");
        await using var app = new VerdictsApp(content);
        var page = await app.CreateClient().GetPage("/compare/gamma-vs-alpha-vs-delta");

        Assert.Equal("Gamma vs Alpha vs Delta", page.QuerySelector("h1").Text());
        Assert.Null(page.QuerySelector(".intro"));
        Assert.Equal(["gamma", "alpha", "delta"], page.QuerySelectorAll(".tool-col").Select(c => c.GetAttribute("data-tool")));
        // The columns keep the visitor's order; the canonical address sorts the slugs.
        Assert.Equal("http://localhost/compare/alpha-vs-delta-vs-gamma", page.QuerySelector("link[rel=canonical]")?.GetAttribute("href"));
    }

    [Theory]
    [InlineData("/compare/beta-vs-alpha")]
    [InlineData("/compare/alpha-vs-beta")]
    public async Task A_generated_address_for_a_curated_set_redirects_permanently(string path)
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        using var response = await app.NoRedirects().Get(path);
        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal("/compare/alpha-or-beta", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task A_former_slug_in_a_generated_address_redirects_to_the_current_one()
    {
        using var content = TestContent.Sample().Tool("gamma", "Gamma", extra: "aliases: [old-gamma]\n");
        await using var app = new VerdictsApp(content);
        using var response = await app.NoRedirects().Get("/compare/alpha-vs-old-gamma");
        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal("/compare/alpha-vs-gamma", response.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData("/compare/alpha-vs-nope")]
    [InlineData("/compare/alpha-vs-alpha")]
    [InlineData("/compare/alpha")]
    [InlineData("/compare/alpha-vs-secret")]
    [InlineData("/compare/alpha-vs-beta-vs-gamma-vs-delta-vs-secret")]
    [InlineData("/compare/ALPHA-vs-beta")]
    [InlineData("/compare/hidden")]
    [InlineData("/compare/%3Cscript%3E-vs-alpha")]
    public async Task Unknown_draft_or_malformed_comparisons_are_404(string path)
    {
        using var content = TestContent.Sample().Tool("delta").Tool("secret", extra: "draft: true\n")
            .Comparison("hidden", ["alpha", "gamma"], extra: "draft: true\n");
        await using var app = new VerdictsApp(content);
        var page = await app.CreateClient().GetPage(path, HttpStatusCode.NotFound);
        // In the site's own page, saying what is wrong (PickerTests holds each message and its links).
        Assert.NotNull(page.QuerySelector("header.site-header"));
        Assert.NotEmpty(page.QuerySelector("h1").Text());
        Assert.NotEmpty(page.QuerySelectorAll(".problems li"));
        Assert.DoesNotContain("<script>", page.DocumentElement.OuterHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_page_is_sent_whole_with_its_length_and_HEAD_gets_the_headers_alone()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content, new Dictionary<string, string?> { ["Verdicts:DisableOutputCache"] = "true" });
        var client = app.CreateClient();

        using var get = await client.Get("/compare/alpha-or-beta");
        var body = await get.Content.ReadAsByteArrayAsync();
        Assert.Equal(body.Length, get.Content.Headers.ContentLength);
        Assert.NotEqual(true, get.Headers.TransferEncodingChunked);
        Assert.Equal("text/html; charset=utf-8", get.Content.Headers.ContentType?.ToString());
        Assert.Contains("<h1>Alpha vs Beta</h1>", System.Text.Encoding.UTF8.GetString(body), StringComparison.Ordinal);

        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/compare/alpha-or-beta"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(body.Length, head.Content.Headers.ContentLength);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        Assert.True(head.Headers.Contains("Content-Security-Policy"));
    }

    [Fact]
    public async Task Vote_and_newsletter_forms_post_without_tokens_or_cookies()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        using var response = await app.CreateClient().Get("/compare/alpha-or-beta");
        var page = Html.Parse(await response.Content.ReadAsStringAsync());

        Assert.False(response.Headers.Contains("Set-Cookie"));
        Assert.Empty(page.QuerySelectorAll("input[name='__RequestVerificationToken']"));
        var voteForms = page.QuerySelectorAll(".community form.vote-form");
        Assert.Equal(["/tools/alpha/vote", "/tools/beta/vote"], voteForms.Select(f => f.GetAttribute("action")));
        Assert.All(voteForms, f => Assert.Equal("post", f.GetAttribute("method")));
        Assert.Equal(["ship", "skip", "clear"], voteForms[0].QuerySelectorAll("button[name='choice']").Select(b => b.GetAttribute("value")));
        Assert.Equal("/compare/alpha-or-beta", voteForms[0].QuerySelector("input[name='return']")?.GetAttribute("value"));
        var newsletter = page.QuerySelector(".newsletter form")!;
        Assert.Equal("/subscribe", newsletter.GetAttribute("action"));
        Assert.NotNull(newsletter.QuerySelector("input[type='email'][name='email']"));
    }

    [Fact]
    public async Task Structured_data_describes_each_tool_with_quotes_by_their_reviewers_and_ratings_only_from_ten_votes()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        app.CastVotes("alpha", ship: 9, skip: 3);
        app.CastVotes("beta", ship: 5, skip: 4);
        var page = await app.CreateClient().GetPage("/compare/alpha-or-beta");

        using var json = JsonDocument.Parse(page.QuerySelector("script[type='application/ld+json']")!.TextContent);
        var items = json.RootElement.GetProperty("itemListElement").EnumerateArray().Select(i => i.GetProperty("item")).ToList();
        Assert.Equal(["SoftwareApplication", "SoftwareApplication"], items.Select(i => i.GetProperty("@type").GetString()));
        var review = items[0].GetProperty("review")[0];
        Assert.Equal("Review", review.GetProperty("@type").GetString());
        Assert.Equal(("Person", "Ada Lane", "http://localhost/reviewers/ada"), (review.GetProperty("author").GetProperty("@type").GetString(),
            review.GetProperty("author").GetProperty("name").GetString(), review.GetProperty("author").GetProperty("url").GetString()));
        Assert.Equal("Clear call, well argued.", review.GetProperty("reviewBody").GetString());
        var rating = items[0].GetProperty("aggregateRating");
        Assert.Equal((12, int.Parse(Html.Percent(9, 12), System.Globalization.CultureInfo.InvariantCulture)),
            (rating.GetProperty("ratingCount").GetInt32(), rating.GetProperty("ratingValue").GetInt32()));
        Assert.False(items[1].TryGetProperty("aggregateRating", out _));
    }

    [Fact]
    public async Task The_page_carries_title_description_canonical_and_open_graph_tags()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        var page = await app.CreateClient().GetPage("/compare/alpha-or-beta");

        Assert.StartsWith("Alpha vs Beta", page.Title, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(page.QuerySelector("meta[name=description]")?.GetAttribute("content")));
        Assert.Equal("http://localhost/compare/alpha-or-beta", page.QuerySelector("link[rel=canonical]")?.GetAttribute("href"));
        Assert.Equal("http://localhost/compare/alpha-or-beta", page.QuerySelector("meta[property='og:url']")?.GetAttribute("content"));
        Assert.NotNull(page.QuerySelector("meta[property='og:title']"));
    }

    [Fact]
    public async Task Content_from_files_is_encoded_everywhere_it_appears()
    {
        using var content = TestContent.Sample()
            .Tool("alpha", "<script>alert('n')</script>", category: "'<img src=x onerror=alert(1)>'", tagline: "<b onmouseover=alert(1)>t</b>",
                body: "<script>alert('body')</script> [x](javascript:alert(1))");
        await using var app = new VerdictsApp(content);
        var page = await app.CreateClient().GetPage("/compare/alpha-or-beta");

        Assert.Empty(page.QuerySelectorAll("script:not([type='application/ld+json']):not([src]), img, b"));
        Assert.Equal("<script>alert('n')</script>", page.QuerySelector(".tool-col[data-tool='alpha'] .tool-name").Text());
        Assert.Equal("<img src=x onerror=alert(1)>", page.QuerySelector(".tool-col[data-tool='alpha'] .category").Text());
        Assert.DoesNotContain("javascript:", page.QuerySelector(".tool-col[data-tool='alpha'] .description")!.InnerHtml, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("</script><", page.QuerySelector("script[type='application/ld+json']")!.TextContent, StringComparison.Ordinal);
    }
}
