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

        using var response = await client.Submit(form, "Create", null, ("Kind", "verdict"), ("Name", "A name, which verdicts do not use"), ("Tool", tool), ("Reviewer", reviewer),
            ("Verdict", "ship"), ("Body", "A quote."));

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

        // A comparison's file is named after its title.
        using var response = await client.Submit(form, "Create", null, ("Kind", kind), (kind == "comparison" ? "Title" : "Name", name));

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
        using var response = await client.Submit(form, "Create", null, ("Kind", "verdict"), ("Tool", "gamma"), ("Reviewer", "ada"), ("Verdict", "skip"), ("Body", "Not yet."));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/admin/content/verdicts/gamma/ada.md?done=created", response.Headers.Location?.OriginalString);
        Assert.Empty((await client.Follow(response)).QuerySelectorAll(".error-line"));
        Assert.Contains(app.Reloader.Snapshot.Verdicts.Values, v => v.Path == "verdicts/gamma/ada.md");
        Assert.Equal(1, AuditRows(app));
    }

    private static async Task<AngleSharp.Dom.IElement> FormFor(HttpClient client, string kind) =>
        (await client.GetPage($"/admin/new?kind={kind}")).QuerySelector("form.new-form")!;

    /// <summary>What <c>check</c> says of the whole folder: the real checker, as the command and the admins' CI run it.</summary>
    private static IReadOnlyList<string> Check(TestContent content) =>
        Verdicts.Web.Content.ContentChecker.Check(content.Root).Errors.Select(e => e.ToString()).ToList();

    public static TheoryData<string, string, (string Name, string Value)[], string> EveryKind => new()
    {
        {
            "tool", "tools/nova-coder.md",
            [("Name", "Nova Coder"), ("Category", "Inference Runtimes"), ("Tagline", "Runs \"small\" models: fast"), ("Price", "$9/mo"),
             ("Vendor", "Nova Labs"), ("License", "Apache-2.0"), ("Website", "https://nova.example/coder"), ("Released", "2026-02-03"), ("Body", "It writes code.")],
            "---\nname: \"Nova Coder\"\ncategory: \"Inference Runtimes\"\ntagline: \"Runs \\\"small\\\" models: fast\"\npricing:\n  entry: \"$9/mo\"\n"
            + "vendor: \"Nova Labs\"\nlicense: \"Apache-2.0\"\nwebsite: \"https://nova.example/coder\"\nreleased: 2026-02-03\ndraft: true\n---\nIt writes code.\n"
        },
        {
            "reviewer", "reviewers/cy-ortiz.md",
            [("Name", "Cy Ortiz"), ("Lens", "Cost"), ("Order", "3"), ("Body", "Counts every cent.")],
            "---\nname: \"Cy Ortiz\"\nlens: \"Cost\"\norder: 3\n---\nCounts every cent.\n"
        },
        {
            "verdict", "verdicts/gamma/bo.md",
            [("Tool", "gamma"), ("Reviewer", "bo"), ("Verdict", "skip"), ("Date", "2026-04-05"), ("Body", "Too slow on a laptop.\n\nTry again next year.")],
            "---\nverdict: skip\ndate: 2026-04-05\n---\nToo slow on a laptop.\n\nTry again next year.\n"
        },
        {
            "comparison", "comparisons/three-runtimes.md",
            [("Tools", "gamma"), ("Tools", "alpha"), ("Tools", "beta"), ("Tools", ""), ("Title", "Three runtimes"), ("Question", "Which one runs on a phone?"),
             ("BottomLine", "Choose Gamma for phones, Alpha for servers."), ("Published", "2026-05-06"), ("Featured", "true"), ("Body", "All three claim it.")],
            "---\ntools: [gamma, alpha, beta]\npublished: 2026-05-06\ntitle: \"Three runtimes\"\nquestion: \"Which one runs on a phone?\"\nbottom_line: \"Choose Gamma for phones, Alpha for servers.\"\nfeatured: true\ndraft: true\n---\nAll three claim it.\n"
        },
    };

    [Theory]
    [MemberData(nameof(EveryKind))]
    public async Task Each_kinds_form_writes_a_file_that_check_accepts_audited_and_loaded(string kind, string path, (string Name, string Value)[] fields, string expected)
    {
        using var content = TestContent.Sample();
        var (app, client, _) = await Open(content);
        await using var __ = app;
        Assert.Empty(Check(content));
        var form = await FormFor(client, kind);
        // Repeated fields (the comparison's tools) go in as the form's own inputs would send them.
        var single = fields.Where(f => f.Name != "Tools").ToArray();
        var tools = fields.Where(f => f.Name == "Tools").Select(f => f.Value).ToList();
        var inputs = form.QuerySelectorAll("[name='Tools']").ToList();
        Assert.Equal(kind == "comparison" ? 4 : 0, inputs.Count);
        for (var i = 0; i < tools.Count; i++)
        {
            foreach (var option in inputs[i].QuerySelectorAll("option"))
                option.RemoveAttribute("selected");
            inputs[i].QuerySelector($"option[value='{tools[i]}']")!.SetAttribute("selected", "");
        }

        using var response = await client.Submit(form, "Create", null, single);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/admin/content/{path}?done=created", response.Headers.Location?.OriginalString);
        Assert.Equal(expected, content.Read(path));
        Assert.Empty(Check(content));
        Assert.Contains(app.Reloader.Snapshot.Documents, d => d.Path == path);
        using var connection = app.Database.ReadWrites();
        Assert.Equal(("ada", "create", path), connection.QuerySingle<(string, string, string)>("SELECT admin, action, path FROM audit"));
    }

    [Theory]
    [InlineData("tool", new[] { "Name", "Slug", "Category", "Tagline", "Price", "Vendor", "License", "Website", "Released", "Draft", "Body" })]
    [InlineData("reviewer", new[] { "Name", "Slug", "Lens", "Order", "Body" })]
    [InlineData("verdict", new[] { "Tool", "Reviewer", "Verdict", "Date", "Body" })]
    [InlineData("comparison", new[] { "Tools", "Title", "Slug", "Question", "BottomLine", "Published", "Featured", "Draft", "Body" })]
    public async Task Each_kinds_form_asks_only_for_what_that_kind_needs(string kind, string[] fields)
    {
        using var content = TestContent.Sample();
        var (app, client, _) = await Open(content);
        await using var __ = app;

        var page = await client.GetPage($"/admin/new?kind={kind}");

        var form = page.QuerySelector("form.new-form")!;
        Assert.Equal(fields, form.QuerySelectorAll("input[name], select[name], textarea[name]").Select(f => f.GetAttribute("name")!)
            .Where(n => n is not "Kind" and not "__RequestVerificationToken").Distinct());
        Assert.Equal(kind, form.QuerySelector("input[name='Kind']")?.GetAttribute("value"));
        Assert.Equal(["/admin/new?kind=tool", "/admin/new?kind=reviewer", "/admin/new?kind=verdict", "/admin/new?kind=comparison"],
            page.QuerySelectorAll("nav.kind-nav a").Select(a => a.GetAttribute("href")));
        Assert.Equal($"/admin/new?kind={kind}", page.QuerySelector("nav.kind-nav a[aria-current='page']")?.GetAttribute("href"));
    }

    [Fact]
    public async Task The_page_without_a_kind_offers_the_tool_form_and_an_unknown_kind_is_a_400_with_the_kinds_to_pick()
    {
        using var content = TestContent.Sample();
        var (app, client, form) = await Open(content);
        await using var _ = app;

        Assert.Equal("tool", form.QuerySelector("input[name='Kind']")?.GetAttribute("value"));
        var unknown = await client.GetPage("/admin/new?kind=script", HttpStatusCode.BadRequest);
        Assert.Null(unknown.QuerySelector("form.new-form"));
        Assert.Equal(4, unknown.QuerySelectorAll("nav.kind-nav a").Length);
        using var posted = await client.Submit(form, "Create", null, ("Kind", "folder"), ("Name", "x"));
        Assert.Equal(HttpStatusCode.BadRequest, posted.StatusCode);
        Assert.Equal(0, AuditRows(app));
    }

    public static TheoryData<string, (string Name, string Value)[], string[]> Mistakes => new()
    {
        { "tool", [("Name", "Nova"), ("Category", ""), ("Tagline", new string('t', 141)), ("Price", "Free"), ("Website", "ftp://nova.example"), ("Released", "2026-02-30")],
            ["Category", "Tagline", "Website", "Released"] },
        { "tool", [("Name", "Nova"), ("Slug", "Nova_Coder"), ("Category", "Tools"), ("Tagline", "Fine"), ("Price", "Free\tor not")], ["Slug", "Price"] },
        { "tool", [("Name", "Nova"), ("Category", "!!!"), ("Tagline", "Fine"), ("Price", "")], ["Category", "Price"] },
        // A character HTML cannot carry: the loader's own verdict, said at the field whose line it is on.
        { "tool", [("Name", "Nova\uFFFE"), ("Category", "Tools"), ("Tagline", "Fine"), ("Price", "Free")], ["Name"] },
        { "reviewer", [("Name", "Cy"), ("Lens", ""), ("Order", "third")], ["Lens", "Order"] },
        { "verdict", [("Tool", "ghost"), ("Reviewer", ""), ("Verdict", "maybe"), ("Date", "05/04/2026"), ("Body", "  ")], ["Tool", "Reviewer", "Verdict", "Date", "Body"] },
        { "comparison", [("Tools", "alpha"), ("Published", "")], ["Tools", "Published"] },
        { "comparison", [("Tools", "alpha"), ("Tools", "alpha"), ("Published", "2026-01-01")], ["Tools"] },
        { "comparison", [("Tools", "alpha"), ("Tools", "nothing-like-it"), ("Published", "2026-01-01")], ["Tools"] },
        { "comparison", [("Tools", "alpha"), ("Tools", "beta"), ("Tools", "gamma"), ("Tools", "alpha"), ("Tools", "beta"), ("Published", "2026-01-01")], ["Tools"] },
        { "comparison", [("Tools", "alpha"), ("Tools", "beta"), ("Published", "2026-01-01"), ("Title", new string('x', 161))], ["Title", "Slug"] },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public async Task Each_mistake_is_said_beside_its_field_and_nothing_is_written(string kind, (string Name, string Value)[] fields, string[] wrong)
    {
        using var content = TestContent.Sample();
        var (app, client, _) = await Open(content);
        await using var __ = app;
        var before = Content.EditTests.Files(content);
        var form = await FormFor(client, kind);
        var posted = Forms.FieldsOf(form).Where(f => fields.All(g => g.Name != f.Key)).Concat(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));

        using var response = await client.PostAsync(new Uri("/admin/new", UriKind.Relative), new FormUrlEncodedContent(posted));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = Html.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(wrong.Order(StringComparer.Ordinal), page.QuerySelectorAll(".field-error").Select(e => e.Id![..^"-error".Length]).Order(StringComparer.Ordinal));
        foreach (var field in wrong)
        {
            var input = page.QuerySelector($"#{(field == "Tools" ? "Tools-0" : field == "Verdict" ? "Verdict-ship" : field)}")!;
            Assert.Contains($"{field}-error", (input.GetAttribute("aria-describedby") ?? input.Closest("fieldset")?.GetAttribute("aria-describedby") ?? "").Split(' '));
            // The summary links each message to its field.
            Assert.NotNull(page.QuerySelector($".error-summary a[href='#{input.Id}']"));
        }
        // What was typed comes back, to be corrected rather than typed again.
        if (fields.FirstOrDefault(f => f.Name == "Name").Value is { Length: > 0 } name)
            Assert.Equal(name.Replace("\uFFFE", "", StringComparison.Ordinal), page.QuerySelector("#Name")?.GetAttribute("value"));
        Assert.Equal(kind, page.QuerySelector("input[name='Kind']")?.GetAttribute("value"));
        Assert.Equal(before, Content.EditTests.Files(content));
        Assert.Equal(0, AuditRows(app));
    }

    [Theory]
    [InlineData("tool", "Name", "Alpha", "tools/alpha.md")]
    [InlineData("tool", "Slug", "beta", "tools/beta.md")]
    [InlineData("reviewer", "Name", "Ada", "reviewers/ada.md")]
    [InlineData("verdict", "Reviewer", "ada", "verdicts/alpha/ada.md")]
    [InlineData("comparison", "Title", "Alpha or Beta", "comparisons/alpha-or-beta.md")]
    [InlineData("comparison", "Slug", "", "comparisons/alpha-or-beta.md")]
    public async Task Creating_a_file_that_exists_is_refused_and_leaves_it_as_it_was(string kind, string field, string value, string path)
    {
        using var content = TestContent.Sample();
        var (app, client, _) = await Open(content);
        await using var __ = app;
        var before = content.Read(path);
        (string, string)[] others = kind switch
        {
            "tool" => [("Name", "Another"), ("Category", "Tools"), ("Tagline", "Fine"), ("Price", "Free")],
            "reviewer" => [("Lens", "Cost")],
            "verdict" => [("Tool", "alpha"), ("Verdict", "skip"), ("Body", "Changed my mind.")],
            _ => [("Tools", "alpha"), ("Tools", "beta"), ("Published", "2026-01-01")],
        };
        var fields = others.Where(f => f.Item1 != field).Append((field, value)).ToArray();
        var form = await FormFor(client, kind);
        var posted = Forms.FieldsOf(form).Where(f => fields.All(g => g.Item1 != f.Key)).Concat(fields.Select(f => new KeyValuePair<string, string>(f.Item1, f.Item2)));

        using var response = await client.PostAsync(new Uri("/admin/new", UriKind.Relative), new FormUrlEncodedContent(posted));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = Html.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains($"{path} already exists", page.QuerySelector(".error-summary").Text(), StringComparison.Ordinal);
        Assert.Equal(before, content.Read(path));
        Assert.Equal(0, AuditRows(app));
    }

    [Fact]
    public async Task A_slug_that_is_another_tools_former_slug_is_refused()
    {
        using var content = TestContent.Sample();
        content.Tool("delta", "Delta", extra: "aliases: [old-delta]\n");
        var (app, client, form) = await Open(content);
        await using var _ = app;

        using var response = await client.Submit(form, "Create", null, ("Name", "Old Delta"), ("Category", "Tools"), ("Tagline", "Fine"), ("Price", "Free"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("former slug of Delta", Html.Parse(await response.Content.ReadAsStringAsync()).QuerySelector("#Name-error").Text(), StringComparison.Ordinal);
        Assert.False(File.Exists(content.PathOf("tools/old-delta.md")));
    }

    [Fact]
    public async Task Past_the_list_limit_tools_and_reviewers_are_typed_by_name_or_slug_with_bounded_suggestions()
    {
        using var content = TestContent.Sample();
        for (var i = 0; i < 30; i++)
            content.Tool($"runner-{i:00}", $"Runner {i:00}");
        var settings = AdminSession.AdminSettings();
        // Fewer than the sample's two reviewers, so both pickers are typed.
        settings["Verdicts:CompareListLimit"] = "1";
        await using var app = new VerdictsApp(content, settings);
        var client = await AdminSession.SignIn(app);

        var form = await FormFor(client, "verdict");
        Assert.Empty(form.QuerySelectorAll("select"));
        Assert.Equal("tool-suggestions", form.QuerySelector("input#Tool")?.GetAttribute("list"));
        Assert.NotNull(form.QuerySelector("datalist#tool-suggestions"));
        Assert.Empty(form.QuerySelectorAll("datalist#tool-suggestions option"));

        using (var suggestions = await client.Get("/admin/new?handler=Suggestions&for=tool&q=RUNNER"))
        {
            Assert.Equal("application/json", suggestions.Content.Headers.ContentType?.MediaType);
            var found = System.Text.Json.JsonDocument.Parse(await suggestions.Content.ReadAsStringAsync()).RootElement.EnumerateArray()
                .Select(e => (e.GetProperty("slug").GetString(), e.GetProperty("name").GetString())).ToList();
            Assert.Equal(Enumerable.Range(0, 20).Select(i => ((string?)$"runner-{i:00}", (string?)$"Runner {i:00}")), found);
        }
        using (var reviewers = await client.Get("/admin/new?handler=Suggestions&for=reviewer&q=bo"))
            Assert.Equal("[{\"slug\":\"bo\",\"name\":\"Bo Chen\"}]", await reviewers.Content.ReadAsStringAsync());
        foreach (var odd in new[] { "for=tool&q=", "for=tool&q=" + new string('a', 101), "for=secrets&q=a", "q=a" })
        {
            using var refused = await client.Get("/admin/new?handler=Suggestions&" + odd);
            Assert.Equal("[]", await refused.Content.ReadAsStringAsync());
        }

        // Typed by name in any case for the tool, by slug for the reviewer.
        using var created = await client.Submit(form, "Create", null, ("Tool", "runner 07"), ("Reviewer", "bo"), ("Verdict", "ship"), ("Body", "Quick."));
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.True(File.Exists(content.PathOf("verdicts/runner-07/bo.md")));
    }

    [Fact]
    public async Task The_suggestions_are_for_a_signed_in_admin_only()
    {
        using var content = TestContent.Sample();
        await using var app = AdminSession.App(content);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/admin/new?handler=Suggestions&for=tool&q=a", UriKind.Relative));
        request.Headers.Accept.Add(new System.Net.Http.Headers.MediaTypeWithQualityHeaderValue("application/json"));

        using var response = await app.NoRedirects().SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain("\"slug\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
