using Microsoft.Playwright;
using Verdicts.BrowserTests.Infrastructure;

namespace Verdicts.BrowserTests;

public sealed class VotingTests(BrowserSite site) : IClassFixture<BrowserSite>
{
    [Fact]
    public async Task Clicking_ship_updates_the_tally_in_place_and_announces_the_choice()
    {
        var page = await site.NewPage();
        await page.GotoAsync("/compare/runtimes");
        await page.EvaluateAsync("() => { window.sameDocument = true; }");
        var card = page.Locator(".vote-card[data-tool='delta']");
        // The community figures are shown once, in the glance grid at the top of the page.
        var share = page.Locator(".glance [data-metric='community-ship'][data-tool='delta']");
        var votes = page.Locator(".glance [data-metric='community-votes'][data-tool='delta']");
        Assert.Equal("no votes yet", await votes.InnerTextAsync());

        await card.GetByRole(AriaRole.Button, new() { Name = "Ship it" }).ClickAsync();

        await Assertions.Expect(card.Locator(".vote-status")).ToHaveTextAsync("You voted ship on Delta. You can change or withdraw your vote.");
        Assert.True(await page.EvaluateAsync<bool>("() => window.sameDocument === true"), "the page reloaded");
        // One vote is too few for a share (issue 30): the counts, an empty share and an empty bar that says why.
        await Assertions.Expect(share).ToHaveTextAsync("1 ship · 0 skip");
        Assert.Equal("1 vote, too few for a share", await votes.InnerTextAsync());
        Assert.Equal("", await share.GetAttributeAsync("data-value"));
        Assert.Equal("1", await votes.GetAttributeAsync("data-value"));
        Assert.Equal(0, await page.Locator(".glance td[data-tool='delta'] svg.bar-community .bar-fill").CountAsync());
        Assert.Equal("Community: too few votes on Delta for a share",
            await page.Locator(".glance td[data-tool='delta'] svg.bar-community").GetAttributeAsync("aria-label"));
        Assert.Equal("true", await card.GetByRole(AriaRole.Button, new() { Name = "Ship it" }).GetAttributeAsync("aria-pressed"));

        await card.GetByRole(AriaRole.Button, new() { Name = "Skip it" }).ClickAsync();
        await Assertions.Expect(share).ToHaveTextAsync("0 ship · 1 skip");
        Assert.Equal("1 vote, too few for a share", await votes.InnerTextAsync());

        // A fresh load of the (cached) page still shows this visitor's own choice, fetched separately.
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator(".vote-card[data-tool='delta'] button[value='skip']")).ToHaveAttributeAsync("aria-pressed", "true");
        await Assertions.Expect(page.Locator(".vote-card[data-tool='delta'] .vote-status")).ToHaveTextAsync("You voted skip on Delta. You can change or withdraw your vote.");
        await BrowserSite.AssertNoAxeViolations(page);
    }

    [Fact]
    public async Task Voting_works_with_javascript_disabled()
    {
        var page = await site.NewPage(360, javaScript: false);
        await page.GotoAsync("/tools/gamma");
        var form = page.Locator("form.vote-form");
        await form.GetByRole(AriaRole.Button, new() { Name = "Skip it" }).ClickAsync();

        await BrowserSite.WaitForPage(page, "**/tools/gamma?voted=gamma%3Askip#vote-gamma");
        Assert.Equal("You voted skip on Gamma. You can change or withdraw your vote.", await page.Locator(".vote-status").InnerTextAsync());
        Assert.Equal("true", await page.Locator("form.vote-form button[value='skip']").GetAttributeAsync("aria-pressed"));
        Assert.Equal("", await page.Locator("[data-metric='community-ship'][data-tool='gamma']").First.GetAttributeAsync("data-value"));
        Assert.Equal("1", await page.Locator("[data-metric='community-votes'][data-tool='gamma']").First.GetAttributeAsync("data-value"));
    }

    [Fact]
    public async Task A_failed_vote_says_so()
    {
        var page = await site.NewPage();
        await page.GotoAsync("/tools/alpha");
        await page.RouteAsync("**/tools/alpha/vote", route => route.FulfillAsync(new() { Status = 503, Body = "Votes cannot be saved right now." }));
        await page.Locator("form.vote-form").GetByRole(AriaRole.Button, new() { Name = "Ship it" }).ClickAsync();
        await Assertions.Expect(page.Locator(".vote-status")).ToHaveTextAsync("Your vote was not saved: Votes cannot be saved right now.");
    }
}
