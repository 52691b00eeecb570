using Microsoft.Playwright;
using Verdicts.BrowserTests.Infrastructure;

namespace Verdicts.BrowserTests;

public sealed class AdminNewFileTests(BrowserSite site) : IClassFixture<BrowserSite>
{
    public static TheoryData<string, int> KindsAndWidths => new()
    {
        { "tool", 360 }, { "tool", 1280 },
        { "reviewer", 360 }, { "reviewer", 1280 },
        { "verdict", 360 }, { "verdict", 1280 },
        { "comparison", 360 }, { "comparison", 1280 },
    };

    [Theory]
    [MemberData(nameof(KindsAndWidths))]
    public async Task Each_kinds_form_and_its_refusal_pass_axe_and_fit_the_width(string kind, int width)
    {
        var page = await site.NewPage(width);
        await BrowserSite.SignIn(page);
        await page.GotoAsync($"/admin/new?kind={kind}");
        await BrowserSite.AssertNoAxeViolations(page);
        await BrowserSite.Screenshot(page, $"admin-new-{kind}");
        await AssertFits(page, width);

        // Sent empty past the browser's own checks, as a browser without them would: each field answers beside itself.
        await page.EvalOnSelectorAsync("form.new-form", "form => form.noValidate = true");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        await Assertions.Expect(page.Locator(".error-summary")).ToBeVisibleAsync();
        Assert.True(await page.Locator(".field-error").CountAsync() > 0);
        await BrowserSite.AssertNoAxeViolations(page);
        await BrowserSite.Screenshot(page, $"admin-new-{kind}-refused");
        await AssertFits(page, width);
        Assert.Empty(site.ForeignRequests);
    }

    [Fact]
    public async Task Without_javascript_an_admin_picks_the_kind_then_creates_a_reviewer_at_360_px()
    {
        var page = await site.NewPage(360, javaScript: false);
        // Signed in by hand: BrowserSite.SignIn checks the form with axe, a script that cannot run here.
        await page.GotoAsync("/admin/login");
        await page.GetByLabel("Name").FillAsync(BrowserSite.AdminName);
        await page.GetByLabel("Password").FillAsync(BrowserSite.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await BrowserSite.WaitForPage(page, "**/admin");
        await page.GotoAsync("/admin/new");
        await page.GetByRole(AriaRole.Link, new() { Name = "Reviewer" }).ClickAsync();
        await BrowserSite.WaitForPage(page, "**/admin/new?kind=reviewer");
        Assert.Equal(0, await page.GetByLabel("Category").CountAsync());
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Dee Noor");
        await page.GetByLabel("Lens").FillAsync("Security");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        await BrowserSite.WaitForPage(page, "**/admin/content/reviewers/dee-noor.md?done=created");
        Assert.Empty(await page.Locator(".error-line").AllAsync());
    }

    private static async Task AssertFits(IPage page, int width)
    {
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 0, $"{page.Url} scrolls sideways by {overflow}px at {width}px");
    }
}

/// <summary>Past the list limit the pickers are typed, with suggestions asked of the server as the admin types.</summary>
public sealed class AdminNewFileLargeCatalogueTests(LargeCatalogueSite site) : IClassFixture<LargeCatalogueSite>
{
    [Fact]
    public async Task An_admin_types_part_of_a_tools_name_picks_a_suggestion_and_creates_a_verdict_at_360_px()
    {
        var page = await site.NewPage(360);
        await BrowserSite.SignIn(page);
        await page.GotoAsync("/admin/new?kind=verdict");
        Assert.Equal(0, await page.Locator("select").CountAsync());

        await page.GetByLabel("Tool", new() { Exact = true }).PressSequentiallyAsync("del");
        await Assertions.Expect(page.Locator("#tool-suggestions option")).ToHaveCountAsync(1);
        Assert.Equal("delta", await page.Locator("#tool-suggestions option").GetAttributeAsync("value"));
        await BrowserSite.AssertNoAxeViolations(page);
        await BrowserSite.Screenshot(page, "admin-new-verdict-typed");

        await page.GetByLabel("Tool", new() { Exact = true }).FillAsync("delta");
        await page.GetByLabel("Reviewer", new() { Exact = true }).FillAsync("Ada Lane");
        await page.GetByLabel("Skip").CheckAsync();
        await page.GetByLabel("The reviewer's quote").FillAsync("Not on my phone yet.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        await BrowserSite.WaitForPage(page, "**/admin/content/verdicts/delta/ada.md?done=created");
        Assert.Empty(site.ForeignRequests);
    }
}
