using Dapper;
using Verdicts.Tests.Infrastructure;
using Verdicts.Web.Data;

namespace Verdicts.Tests.Data;

public sealed class ToolColumnsTests
{
    private const string Plans = "  plans:\n    - name: Team\n      price: \"$30/mo\"\n      notes: per seat\n    - name: Pro\n      price: \"$10/mo\"\n";

    [Fact]
    public async Task A_tools_column_holds_its_card_its_plans_in_order_and_the_panels_verdicts_in_scorecard_order()
    {
        using var content = TestContent.Sample()
            .Tool("alpha", "Alpha", tagline: "The first tool", entry: "Free", extra: Plans)
            .Reviewer("cy", "Cy Park", "Security", order: null).Verdict("alpha", "cy", "skip", "Not yet.");
        await using var app = new VerdictsApp(content);
        _ = app.CreateClient();

        using var connection = app.Database.Open();
        var columns = ToolColumns.Load(connection, app.Tallies, ["beta", "nope", "alpha"]);

        Assert.Equal(["beta", "alpha"], columns.Select(c => c.Tool.Slug));
        var alpha = columns[1];
        Assert.Equal(("Alpha", "The first tool", "Free", 2L, 1L), (alpha.Tool.Name, alpha.Tool.Tagline, alpha.Tool.EntryPrice, alpha.Tool.PanelShip, alpha.Tool.PanelSkip));
        Assert.Equal([("Team", "$30/mo", "per seat"), ("Pro", "$10/mo", null)], alpha.Plans.Select(p => (p.Name, p.Price, p.Notes)));
        Assert.All(alpha.Plans, p => Assert.Equal("alpha", p.ToolSlug));
        // Reviewers with an order first, by it; then the rest by name.
        Assert.Equal([("ada", "Ada Lane", "ship"), ("bo", "Bo Chen", "ship"), ("cy", "Cy Park", "skip")],
            alpha.Verdicts.Select(v => (v.ReviewerSlug, v.ReviewerName, v.Verdict)));
        Assert.Equal([1L, 2L, null], alpha.Verdicts.Select(v => v.ReviewerOrder));
        Assert.Contains("Not yet.", alpha.Verdicts[2].QuoteHtml, StringComparison.Ordinal);
        Assert.Empty(columns[0].Plans);
    }

    [Fact]
    public async Task Columns_follow_a_changed_tool_a_changed_reviewer_and_a_removed_tool()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        _ = app.CreateClient();

        var since = app.Reloader.Generation;
        content.Reviewer("ada", "Ada Lane-Okafor", "Developer experience", 1)
            .Tool("beta", "Beta Two", tagline: "The second tool", entry: "$25/mo")
            .Delete("tools/gamma.md");
        await app.WaitForReloadAfter(since);
        await VerdictsApp.Eventually(() => Task.FromResult(!app.Reloader.Snapshot.Tools.ContainsKey("gamma")), "gamma goes");

        using var connection = app.Database.Open();
        var columns = ToolColumns.Load(connection, app.Tallies, ["alpha", "beta", "gamma"]);
        Assert.Equal(["alpha", "beta"], columns.Select(c => c.Tool.Slug));
        // alpha's own file did not change: its column follows its reviewer's new name all the same.
        Assert.Equal("Ada Lane-Okafor", columns[0].Verdicts.Single(v => v.ReviewerSlug == "ada").ReviewerName);
        Assert.Equal(("Beta Two", "$25/mo"), (columns[1].Tool.Name, columns[1].Tool.EntryPrice));
        Assert.Equal("Ada Lane-Okafor", columns[1].Verdicts.Single(v => v.ReviewerSlug == "ada").ReviewerName);
        Assert.Equal(0L, connection.ExecuteScalar<long>("SELECT count(*) FROM tool_columns WHERE slug = 'gamma'"));
        Assert.Equal(connection.ExecuteScalar<long>("SELECT count(*) FROM tools"), connection.ExecuteScalar<long>("SELECT count(*) FROM tool_columns"));
    }
}
