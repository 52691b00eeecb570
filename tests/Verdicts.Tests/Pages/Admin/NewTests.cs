using System.Net;
using Dapper;
using Verdicts.Tests.Infrastructure;

namespace Verdicts.Tests.Pages.Admin;

public sealed class NewTests
{
    private static async Task<(VerdictsApp App, HttpClient Client, AngleSharp.Dom.IElement Form)> Open(TestContent content)
    {
        var app = new VerdictsApp(content, AdminSession.AdminSettings());
        var client = await AdminSession.SignIn(app);
        return (app, client, (await client.GetPage("/admin/new")).QuerySelector("form.admin-form")!);
    }

    private static long AuditRows(VerdictsApp app)
    {
        using var connection = app.Database.ReadWrites();
        return connection.ExecuteScalar<long>("SELECT count(*) FROM audit");
    }

    public static TheoryData<string, string> RefusedVerdicts => new()
    {
        // Not the slugs of a tool and a reviewer, as the loader's rules have them; each would have been written before.
        { "<script>", "<script>" },
        { "\u202e", "ada" },
        { "alpha", "\u202eada" },
        { "alpha\u200f", "ada" },
        { "Alpha", "ada" },
        { "", "ada" },
        { "alpha", "" },
        { new string('a', 101), "ada" },
        { "alpha", new string('a', 250) },
        { "alpha", "a-vs-b" },
        // Good slugs, but no such tool or reviewer: the file would not load.
        { "ghost", "ada" },
        { "alpha", "ghost" },
    };

    [Theory]
    [MemberData(nameof(RefusedVerdicts))]
    public async Task A_verdict_for_anything_but_a_loaded_tool_and_reviewer_is_refused_before_anything_is_written(string tool, string reviewer)
    {
        using var content = TestContent.Sample();
        var (app, client, form) = await Open(content);
        await using var _ = app;
        var before = Content.EditTests.Files(content);

        using var response = await client.Submit(form, "Create", null, ("Kind", "verdict"), ("Name", "A name, which verdicts do not use"), ("Tool", tool), ("Reviewer", reviewer));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = Html.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("New content file", page.QuerySelector("h1").Text());
        Assert.NotEmpty(page.QuerySelector(".notice-error[role=alert]").Text());
        Assert.Equal(before, Content.EditTests.Files(content));
        Assert.Empty(Directory.GetDirectories(content.PathOf("verdicts")).Select(Path.GetFileName).Except(["alpha", "beta"]));
        Assert.Equal(0, AuditRows(app));
    }

    [Theory]
    [InlineData("tool", "")]
    [InlineData("tool", "   ")]
    [InlineData("reviewer", "\u202e")]
    [InlineData("comparison", "<>")]
    [InlineData("tool", "!!!")]
    // 101 letters: a slug longer than the loader takes; 300: a path longer than the editor takes.
    [InlineData("tool", "a-101")]
    [InlineData("reviewer", "a-300")]
    public async Task A_name_that_gives_no_usable_slug_is_refused_before_anything_is_written(string kind, string name)
    {
        using var content = TestContent.Sample();
        var (app, client, form) = await Open(content);
        await using var _ = app;
        var before = Content.EditTests.Files(content);
        if (name.StartsWith("a-", StringComparison.Ordinal))
            name = new string('a', int.Parse(name[2..], System.Globalization.CultureInfo.InvariantCulture));

        using var response = await client.Submit(form, "Create", null, ("Kind", kind), ("Name", name));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = Html.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains("slug", page.QuerySelector(".notice-error[role=alert]").Text(), StringComparison.Ordinal);
        Assert.Equal(before, Content.EditTests.Files(content));
        Assert.Equal(0, AuditRows(app));
    }

    [Fact]
    public async Task A_verdict_for_a_loaded_tool_and_reviewer_is_created_and_loads()
    {
        using var content = TestContent.Sample();
        var (app, client, form) = await Open(content);
        await using var _ = app;

        // The form as a browser sends it for a verdict: with the name left empty (a 500 before).
        using var response = await client.Submit(form, "Create", null, ("Kind", "verdict"), ("Tool", "gamma"), ("Reviewer", "ada"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/admin/content/verdicts/gamma/ada.md?done=created", response.Headers.Location?.OriginalString);
        Assert.Empty((await client.Follow(response)).QuerySelectorAll(".error-line"));
        Assert.Contains(app.Reloader.Snapshot.Verdicts.Values, v => v.Path == "verdicts/gamma/ada.md");
        Assert.Equal(1, AuditRows(app));
    }
}
