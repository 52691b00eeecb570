using System.Net;
using Verdicts.Tests.Infrastructure;

namespace Verdicts.Tests.Pages.Reviewers;

public sealed class ShowTests
{
    [Fact]
    public async Task A_reviewer_page_lists_verdicts_and_the_ship_rate()
    {
        using var content = TestContent.Sample().Verdict("gamma", "bo", "skip");
        await using var app = new VerdictsApp(content);
        var page = await app.CreateClient().GetPage("/reviewers/bo");

        Assert.Equal("Bo Chen", page.QuerySelector("h1").Text());
        Assert.Contains("Competition", page.QuerySelector(".eyebrow").Text(), StringComparison.Ordinal);
        // bo: alpha ship, beta skip, gamma skip.
        Assert.Equal(Html.Percent(1, 3), page.QuerySelector("[data-metric='reviewer-ship-rate']")?.GetAttribute("data-value"));
        Assert.Equal(["alpha", "beta", "gamma"], page.QuerySelectorAll(".score-row").Select(r => r.GetAttribute("data-tool")));
        await app.CreateClient().GetPage("/reviewers/nobody", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_long_list_of_verdicts_comes_a_page_at_a_time_and_the_ship_rate_counts_them_all()
    {
        using var content = TestContent.Sample();
        var verdicts = new Dictionary<string, string> { ["alpha"] = "ship", ["beta"] = "skip" };
        for (var i = 0; i < 9; i++)
        {
            var verdict = i % 4 == 0 ? "ship" : "skip";
            content.Tool($"tool-{i}", $"Tool {i}").Verdict($"tool-{i}", "bo", verdict);
            verdicts[$"tool-{i}"] = verdict;
        }
        await using var app = new VerdictsApp(content, new Dictionary<string, string?> { ["Verdicts:ListPageSize"] = "5" });
        var client = app.CreateClient();

        var first = await client.GetPage("/reviewers/bo");
        var second = await client.GetPage("/reviewers/bo?page=2");
        var third = await client.GetPage("/reviewers/bo?page=3");

        var ships = verdicts.Values.Count(v => v == "ship");
        Assert.All(new[] { first, second, third }, page =>
        {
            Assert.Equal(Html.Percent(ships, verdicts.Count), page.QuerySelector("[data-metric='reviewer-ship-rate']")?.GetAttribute("data-value"));
            Assert.Equal($"{ships} of {verdicts.Count} verdicts ship", page.QuerySelector(".figure-note").Text());
        });
        // By tool name: Alpha, Beta, then Tool 0 to Tool 8.
        Assert.Equal(["alpha", "beta", .. Enumerable.Range(0, 9).Select(i => $"tool-{i}")],
            new[] { first, second, third }.SelectMany(p => p.QuerySelectorAll(".score-row").Select(r => r.GetAttribute("data-tool")!)));
        Assert.Equal(1, third.QuerySelectorAll(".score-row").Length);
        Assert.Equal("/reviewers/bo?page=2", third.QuerySelector(".pagination a[rel='prev']")?.GetAttribute("href"));
        await client.GetPage("/reviewers/bo?page=4", HttpStatusCode.NotFound);
    }
}
