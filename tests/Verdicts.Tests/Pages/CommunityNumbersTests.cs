using System.Globalization;
using System.Text.Json;
using Verdicts.Tests.Infrastructure;
using Verdicts.Tests.Voting;

namespace Verdicts.Tests.Pages;

/// <summary>
/// Everywhere a community share appears: the share only from ten votes, always with its 95% Wilson range and the count;
/// counts alone below ten; "no votes yet" at none. Every figure is worked out here (<see cref="CommunityShareTests"/>).
/// </summary>
public sealed class CommunityNumbersTests
{
    private static readonly DateTimeOffset Noon = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private static string Summary(int ship, int skip)
    {
        var votes = ship + skip;
        if (votes == 0)
            return "No votes yet";
        if (votes < 10)
            return $"{ship} ship · {skip} skip, too few votes for a share";
        var (low, high) = CommunityShareTests.Shown(ship, votes);
        return $"{Html.Percent(ship, votes)}% ship, 95% range {low}–{high}%, {votes} votes";
    }

    [Fact]
    public async Task The_tool_page_shows_the_share_with_its_range_and_count_from_ten_votes()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        app.CastVotes("alpha", ship: 25, skip: 16);
        var page = await app.CreateClient().GetPage("/tools/alpha");

        var (low, high) = CommunityShareTests.Shown(25, 41);
        Assert.Equal("61% ship, 95% range 45–75%, 41 votes", Summary(25, 16));
        Assert.Equal(Summary(25, 16), page.QuerySelector(".community .tally-text").Text());
        var figure = page.QuerySelector(".figures [data-metric='community-ship'][data-tool='alpha']")!;
        Assert.Equal(Html.Percent(25, 41), figure.GetAttribute("data-value"));
        Assert.StartsWith($"{Html.Percent(25, 41)}% ship", figure.Text(), StringComparison.Ordinal);
        Assert.Equal($"95% range {low}–{high}%, 41 votes", figure.QuerySelector("[data-metric='community-votes']").Text());
        Assert.Equal($"Community: {Html.Percent(25, 41)}% ship for Alpha, 95% range {low}–{high}%",
            page.QuerySelector("svg.bar-community")?.GetAttribute("aria-label"));
    }

    [Theory]
    [InlineData(3, 1)]
    [InlineData(9, 0)]
    [InlineData(0, 0)]
    public async Task Below_ten_votes_every_page_shows_counts_and_no_share(int ship, int skip)
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        if (ship + skip > 0)
            app.CastVotes("alpha", ship, skip);
        var client = app.CreateClient();

        var tool = await client.GetPage("/tools/alpha");
        Assert.Equal(Summary(ship, skip), tool.QuerySelector(".community .tally-text").Text());
        Assert.Equal("", tool.Metric("community-ship", "alpha"));
        var comparison = await client.GetPage("/compare/alpha-or-beta");
        // On a comparison the figures sit once, in the glance grid: below ten votes, the counts in place of a share.
        Assert.Equal(ship + skip == 0 ? "—" : $"{ship} ship · {skip} skip",
            comparison.QuerySelector(".glance [data-metric='community-ship'][data-tool='alpha']").Text());
        var category = await client.GetPage("/categories/developer-tools");
        var home = await client.GetPage("/");
        foreach (var page in new[] { tool, comparison, category, home })
        {
            var figure = page.QuerySelector("[data-metric='community-ship'][data-tool='alpha']")!;
            Assert.Equal("", figure.GetAttribute("data-value"));
            Assert.DoesNotContain("%", figure.Text(), StringComparison.Ordinal);
            // The headline, and beside it the note: the counts, or that there are no votes.
            Assert.Contains(ship + skip == 0 ? "no votes yet" : $"{ship} ship · {skip} skip", figure.ParentElement.Text(), StringComparison.Ordinal);
            Assert.Equal((ship + skip).ToString(CultureInfo.InvariantCulture), page.Metric("community-votes", "alpha"));
        }
    }

    [Fact]
    public async Task Lists_and_the_comparison_page_show_the_same_figure()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        app.CastVotes("beta", ship: 62, skip: 38);
        var client = app.CreateClient();
        var (low, high) = CommunityShareTests.Shown(62, 100);

        foreach (var path in new[] { "/", "/categories/developer-tools" })
        {
            var entry = (await client.GetPage(path)).QuerySelector(".tool-list li[data-tool='beta'] .mini-figures")!;
            Assert.Equal("62", entry.Metric("community-ship", "beta"));
            Assert.Contains($"Community 62% ship (95% range {low}–{high}%, 100 votes)", entry.Text(), StringComparison.Ordinal);
        }
        var comparison = await client.GetPage("/compare/alpha-or-beta");
        Assert.Equal("62% ship", comparison.QuerySelector(".glance [data-metric='community-ship'][data-tool='beta']").Text());
        Assert.Equal($"95% range {low}–{high}%, 100 votes",
            comparison.QuerySelector(".glance [data-metric='community-votes'][data-tool='beta']").Text());
    }

    [Fact]
    public async Task The_api_carries_counts_share_and_range_with_nulls_below_ten_votes()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        app.CastVotes("alpha", ship: 25, skip: 16);
        app.CastVotes("beta", ship: 5, skip: 4);
        var client = app.CreateClient();

        var (low, high) = CommunityShareTests.Shown(25, 41);
        using var alpha = JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/tools/alpha", UriKind.Relative)));
        var community = alpha.RootElement.GetProperty("community");
        Assert.Equal((25, 16, 41, int.Parse(Html.Percent(25, 41), CultureInfo.InvariantCulture), low, high),
            (community.GetProperty("ship").GetInt32(), community.GetProperty("skip").GetInt32(), community.GetProperty("n").GetInt32(),
             community.GetProperty("percent").GetInt32(), community.GetProperty("interval").GetProperty("low").GetInt32(),
             community.GetProperty("interval").GetProperty("high").GetInt32()));

        foreach (var (tool, n) in new[] { ("beta", 9), ("gamma", 0) })
        {
            using var json = JsonDocument.Parse(await client.GetStringAsync(new Uri($"/api/tools/{tool}", UriKind.Relative)));
            var few = json.RootElement.GetProperty("community");
            Assert.Equal(n, few.GetProperty("n").GetInt32());
            Assert.Equal(JsonValueKind.Null, few.GetProperty("percent").ValueKind);
            Assert.Equal(JsonValueKind.Null, few.GetProperty("interval").ValueKind);
        }

        using var comparison = JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/comparisons/alpha-or-beta", UriKind.Relative)));
        var tools = comparison.RootElement.GetProperty("tools");
        Assert.Equal(low, tools[0].GetProperty("community").GetProperty("interval").GetProperty("low").GetInt32());
        Assert.Equal(5, tools[1].GetProperty("community").GetProperty("ship").GetInt32());
    }

    [Theory]
    // alpha: the panel ships it 2 of 2 (100%). beta: 1 of 2 (50%).
    [InlineData("alpha", 15, 15, true)]
    [InlineData("alpha", 5, 24, false)]
    [InlineData("beta", 15, 15, false)]
    [InlineData("beta", 30, 0, true)]
    public async Task Pages_say_when_visitors_disagree_with_the_panel(string tool, int ship, int skip, bool disagree)
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        app.CastVotes(tool, ship, skip);
        var client = app.CreateClient();
        var (panelShip, panelVerdicts) = tool == "alpha" ? (2, 2) : (1, 2);
        var panel = int.Parse(Html.Percent(panelShip, panelVerdicts), CultureInfo.InvariantCulture);
        var (low, high) = CommunityShareTests.Shown(ship, ship + skip);
        // Independently: at least 30 votes and the panel's share outside the range.
        Assert.Equal(disagree, ship + skip >= 30 && (panel < low || panel > high));
        var name = tool == "alpha" ? "Alpha" : "Beta";

        foreach (var path in new[] { $"/tools/{tool}", "/compare/alpha-or-beta" })
        {
            var page = await client.GetPage(path);
            var sentence = page.QuerySelector($"[data-metric='disagreement'][data-tool='{tool}']");
            if (!disagree)
            {
                Assert.Null(sentence);
                continue;
            }
            Assert.Equal($"Visitors disagree with the panel on {name}: the panel ships it at {panel}% ({panelShip} of {panelVerdicts} reviewers), "
                + $"{(panel > high ? "above" : "below")} the visitors' 95% range of {low}–{high}%.", sentence.Text());
        }
    }

    [Fact]
    public async Task The_trend_chart_is_labelled_and_has_a_table_from_one_day_of_votes()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content) { Clock = new TestClock(Noon) };
        app.CastVotes("alpha", ship: 8, skip: 4);
        app.CastVotes("beta", ship: 2, skip: 1);
        var client = app.CreateClient();
        var today = Noon.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var first = Noon.AddDays(-29).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var (low, high) = CommunityShareTests.Shown(8, 12);

        var page = await client.GetPage("/tools/alpha");
        var chart = page.QuerySelector("figure.chart")!;
        Assert.Equal("Alpha: community ship share, last 30 days", chart.QuerySelector(".chart-title").Text());
        var svg = chart.QuerySelector("svg")!;
        Assert.Equal("img", svg.GetAttribute("role"));
        var labelledBy = svg.GetAttribute("aria-labelledby")!.Split(' ');
        Assert.All(labelledBy, id => Assert.NotNull(page.GetElementById(id)));
        Assert.Equal(["100%", "50%", "0%", first, today], svg.QuerySelectorAll("text").Select(t => t.Text()));
        // One day of votes: one point (solid, with 12 votes) and its range; no line to draw yet.
        var point = Assert.Single(svg.QuerySelectorAll("circle.chart-point"));
        Assert.DoesNotContain("chart-point-few", point.ClassName, StringComparison.Ordinal);
        Assert.Single(svg.QuerySelectorAll("line.chart-range"));
        Assert.Equal($"On {today}: {Summary(8, 4)}.", chart.QuerySelector(".chart-summary").Text());
        var row = Assert.Single(chart.QuerySelectorAll("table tbody tr"));
        Assert.Equal([today, "8", "4", $"{Html.Percent(8, 12)}% (95% range {low}–{high}%)"], row.Children.Select(c => c.Text()));

        // On the comparison page each tool has its small chart; beta's one day has too few votes for a share.
        var comparison = await client.GetPage("/compare/alpha-or-beta");
        var small = comparison.QuerySelector(".vote-card[data-tool='beta'] figure.chart-small")!;
        Assert.Equal("Beta: community ship share, last 30 days", small.QuerySelector(".chart-title").Text());
        Assert.Single(small.QuerySelectorAll("circle.chart-point.chart-point-few"));
        Assert.Equal([today, "2", "1", "too few votes for a share"], small.QuerySelector("table tbody tr")!.Children.Select(c => c.Text()));
        Assert.NotNull(comparison.QuerySelector(".vote-card[data-tool='alpha'] figure.chart-small circle.chart-point"));
    }

    [Fact]
    public async Task Without_votes_the_chart_says_there_are_none()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content) { Clock = new TestClock(Noon) };
        var page = await app.CreateClient().GetPage("/tools/gamma");
        var chart = page.QuerySelector("figure.chart")!;
        Assert.Equal("No community votes in the last 30 days.", chart.QuerySelector(".chart-summary").Text());
        Assert.Empty(chart.QuerySelectorAll("circle, table"));
    }
}
