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
}
