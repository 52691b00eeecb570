using System.Net;
using Verdicts.Tests.Infrastructure;

namespace Verdicts.Tests.Pages.Categories;

public sealed class ShowTests
{
    [Fact]
    public async Task A_category_lists_its_tools_with_their_figures()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        var page = await app.CreateClient().GetPage("/categories/developer-tools");

        Assert.Equal("Developer Tools", page.QuerySelector("h1").Text());
        Assert.Equal(["alpha", "beta"], page.QuerySelectorAll(".tool-list li").Select(l => l.GetAttribute("data-tool")));
        Assert.Equal(Html.Percent(1, 2), page.Metric("panel-ship", "beta"));
        await app.CreateClient().GetPage("/categories/nothing-here", HttpStatusCode.NotFound);
    }
}
