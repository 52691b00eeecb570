using Dapper;
using Verdicts.Tests.Infrastructure;

namespace Verdicts.Tests.Content;

public sealed class ContentReloaderTests
{
    private static async Task<string> Home(HttpClient client) => await client.GetStringAsync(new Uri("/", UriKind.Relative));

    [Fact]
    public async Task An_edited_file_is_visible_without_a_restart()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        var client = app.CreateClient();
        Assert.Contains("The first tool", await Home(client), StringComparison.Ordinal);

        content.Tool("alpha", "Alpha", tagline: "Edited while running");

        await VerdictsApp.Eventually(async () => (await Home(client)).Contains("Edited while running", StringComparison.Ordinal), "the edit shows");
    }

    [Fact]
    public async Task New_deleted_and_renamed_files_are_picked_up()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        var client = app.CreateClient();

        content.Tool("delta", "Delta", tagline: "Brand new");
        content.Delete("tools/gamma.md");
        File.Move(content.PathOf("tools/beta.md"), content.PathOf("tools/bravo.md"));

        await VerdictsApp.Eventually(async () =>
        {
            var html = await Home(client);
            return html.Contains("Brand new", StringComparison.Ordinal) && !html.Contains("The third tool", StringComparison.Ordinal)
                && html.Contains("data-tool=\"bravo\"", StringComparison.Ordinal) && !html.Contains("data-tool=\"beta\"", StringComparison.Ordinal);
        }, "the new, deleted and renamed tools show");
    }

    [Fact]
    public async Task An_editor_that_saves_through_a_temporary_file_and_rename_is_picked_up()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        var client = app.CreateClient();

        var temp = content.PathOf("tools/.alpha.md.tmp");
        await File.WriteAllTextAsync(temp, TestContent.ToolText("Alpha", tagline: "Saved atomically"));
        File.Move(temp, content.PathOf("tools/alpha.md"), overwrite: true);

        await VerdictsApp.Eventually(async () => (await Home(client)).Contains("Saved atomically", StringComparison.Ordinal), "the renamed save shows");
    }

    [Fact]
    public async Task A_burst_of_saves_ends_on_the_last_one()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        var client = app.CreateClient();

        for (var i = 0; i < 200; i++)
            content.Tool("alpha", "Alpha", tagline: $"Save number {i}");

        await VerdictsApp.Eventually(async () => (await Home(client)).Contains("Save number 199", StringComparison.Ordinal), "the last save shows");
    }

    [Fact]
    public async Task A_file_that_becomes_invalid_keeps_its_last_good_version_until_fixed()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        var client = app.CreateClient();
        var generation = app.Reloader.Generation;

        content.File("tools/alpha.md", "---\nname: Alpha\ntagline: Broken now\n");
        await app.WaitForReloadAfter(generation);

        var html = await Home(client);
        Assert.Contains("The first tool", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Broken now", html, StringComparison.Ordinal);
        using (var connection = app.Database.Open())
        {
            Assert.Equal("stale", connection.QuerySingle<string>("SELECT state FROM content_files WHERE path = 'tools/alpha.md'"));
            var error = connection.QuerySingle<(string Path, long Line, long Column, string Message)>("SELECT path, line, \"column\", message FROM content_errors");
            Assert.Equal(("tools/alpha.md", 1L, 1L), (error.Path, error.Line, error.Column));
        }

        content.Tool("alpha", "Alpha", tagline: "Fixed again");
        await VerdictsApp.Eventually(async () => (await Home(client)).Contains("Fixed again", StringComparison.Ordinal), "the fix shows");
        using (var connection = app.Database.Open())
            Assert.Equal(0, connection.QuerySingle<long>("SELECT count(*) FROM content_errors"));
    }

    [Fact]
    public async Task After_a_restart_a_broken_file_is_still_served_from_its_last_good_version()
    {
        using var content = TestContent.Sample();
        await using (var first = new VerdictsApp(content))
            Assert.Contains("The first tool", await Home(first.CreateClient()), StringComparison.Ordinal);

        content.File("tools/alpha.md", "---\nname: [unclosed\n---\n");
        await using var second = new VerdictsApp(content);

        Assert.Contains("The first tool", await Home(second.CreateClient()), StringComparison.Ordinal);
        var error = Assert.Single(second.Reloader.Snapshot.Errors);
        Assert.Equal(("tools/alpha.md", 3), (error.Path, error.Line));
        Assert.StartsWith("invalid YAML: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_edit_taken_in_place_becomes_the_last_good_version_kept_across_a_restart()
    {
        using var content = TestContent.Sample();
        await using (var first = new VerdictsApp(content))
        {
            var client = first.CreateClient();
            content.Tool("alpha", "Alpha", tagline: "Edited in place");
            await VerdictsApp.Eventually(async () => (await Home(client)).Contains("Edited in place", StringComparison.Ordinal), "the edit shows");
            using var connection = first.Database.Open();
            Assert.Equal(content.Read("tools/alpha.md"),
                connection.QuerySingle<string>("SELECT good_source FROM content_files WHERE path = 'tools/alpha.md'"));
        }

        content.File("tools/alpha.md", "---\nname: [unclosed\n---\n");
        await using var second = new VerdictsApp(content);

        var html = await Home(second.CreateClient());
        Assert.Contains("Edited in place", html, StringComparison.Ordinal);
        Assert.DoesNotContain("The first tool", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Edits_that_other_files_depend_on_are_still_checked_against_them()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        var client = app.CreateClient();

        // A draft cannot be compared: making beta a draft must take the comparison down and say why.
        var generation = app.Reloader.Generation;
        content.Tool("beta", "Beta", tagline: "The second tool", extra: "draft: true\n");
        await app.WaitForReloadAfter(generation);
        var error = Assert.Single(app.Reloader.Snapshot.Errors);
        Assert.Equal("comparisons/alpha-or-beta.md", error.Path);
        Assert.Contains("draft", error.Message, StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await client.GetAsync(new Uri("/compare/alpha-or-beta", UriKind.Relative))).StatusCode);

        // An alias that is another tool's slug is refused, although the file was valid on its own.
        generation = app.Reloader.Generation;
        content.Tool("gamma", "Gamma", category: "Inference Runtimes", tagline: "Now with an alias", extra: "aliases: [alpha]\n");
        await app.WaitForReloadAfter(generation);
        Assert.Contains(app.Reloader.Snapshot.Errors, e => e.Path == "tools/gamma.md" && e.Message.Contains("alias 'alpha'", StringComparison.Ordinal));
        Assert.Contains("The third tool", await Home(client), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_follows_an_edited_tool_and_keeps_its_quotes()
    {
        using var content = TestContent.Sample();
        content.Verdict("alpha", "ada", "ship", "Wonderfully quick to set up.");
        await using var app = new VerdictsApp(content);
        var client = app.CreateClient();
        async Task<string> Search(string q) => await client.GetStringAsync(new Uri("/search?q=" + q, UriKind.Relative));
        Assert.Contains("data-tool=\"alpha\"", await Search("worth"), StringComparison.Ordinal);

        var generation = app.Reloader.Generation;
        content.Tool("alpha", "Alpha", tagline: "The first tool", body: "Rebuilt around zeppelins.");
        await app.WaitForReloadAfter(generation);

        Assert.Contains("data-tool=\"alpha\"", await Search("zeppelins"), StringComparison.Ordinal);
        Assert.Contains("data-tool=\"alpha\"", await Search("wonderfully"), StringComparison.Ordinal);
        using var connection = app.Database.Open();
        // One row for the tool and one per verdict: the old description is gone, not left beside the new one.
        Assert.Equal(3, connection.QuerySingle<long>("SELECT count(*) FROM search_index WHERE tool_slug = 'alpha'"));
        Assert.Equal(0, connection.QuerySingle<long>("SELECT count(*) FROM search_index WHERE search_index MATCH 'worth' AND tool_slug = 'alpha'"));
    }

    [Fact]
    public async Task A_tool_rewritten_after_start_up_writes_its_unchanged_verdicts_exactly_as_before()
    {
        // After the first import the documents keep only their Markdown; rewriting a tool renders its verdicts again.
        using var content = TestContent.Sample();
        content.Verdict("alpha", "ada", "ship", "Quick to *set up*, with [the docs](https://example.com/docs) & a CLI.");
        await using var app = new VerdictsApp(content);
        (string Tagline, string Quote) Rows()
        {
            using var connection = app.Database.Open();
            return connection.QuerySingle<(string, string)>("""
                SELECT t.tagline, v.quote_html || '|' || v.quote_text || '|' || s.body
                FROM tools t JOIN verdicts v ON v.tool_slug = t.slug
                JOIN search_index s ON s.tool_slug = t.slug AND s.kind = 'quote' AND s.body LIKE 'Quick to%'
                WHERE t.slug = 'alpha' AND v.reviewer_slug = 'ada'
                """);
        }
        var before = Rows();
        Assert.Contains("<em>set up</em>", before.Quote, StringComparison.Ordinal);
        Assert.Contains("|Quick to set up, with the docs & a CLI.|", before.Quote, StringComparison.Ordinal);

        var generation = app.Reloader.Generation;
        content.Tool("alpha", "Alpha", tagline: "Retitled");
        await app.WaitForReloadAfter(generation);

        var after = Rows();
        Assert.Equal("Retitled", after.Tagline);
        Assert.Equal(before.Quote, after.Quote);
    }

    [Fact]
    public async Task A_file_accepted_without_changing_gets_its_text_kept_as_last_good()
    {
        using var content = TestContent.Sample();
        content.Verdict("delta", "ada", "skip", "Waiting on its tool.");
        await using var app = new VerdictsApp(content);
        using (var connection = app.Database.Open())
            Assert.Null(connection.QuerySingle<string?>("SELECT good_source FROM content_files WHERE path = 'verdicts/delta/ada.md'"));

        var generation = app.Reloader.Generation;
        content.Tool("delta", "Delta");
        await app.WaitForReloadAfter(generation);

        using (var connection = app.Database.Open())
        {
            var row = connection.QuerySingle<(string State, string GoodSource)>("SELECT state, good_source FROM content_files WHERE path = 'verdicts/delta/ada.md'");
            Assert.Equal(("loaded", content.Read("verdicts/delta/ada.md")), row);
        }
    }

    [Fact]
    public async Task A_missing_content_folder_at_start_serves_the_existing_database()
    {
        using var content = TestContent.Sample();
        await using (var first = new VerdictsApp(content))
            Assert.Contains("The first tool", await Home(first.CreateClient()), StringComparison.Ordinal);

        Directory.Move(content.Root, content.Root + "-moved");
        try
        {
            await using var second = new VerdictsApp(content);
            Assert.Contains("The first tool", await Home(second.CreateClient()), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Move(content.Root + "-moved", content.Root);
        }
    }

    [Fact]
    public async Task A_reload_replaces_content_rows_and_leaves_other_tables_alone()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        _ = app.CreateClient();
        using (var connection = app.Database.Open())
            connection.Execute("CREATE TABLE visitor_data (note TEXT); INSERT INTO visitor_data VALUES ('kept');");

        content.Delete("tools/gamma.md").Tool("delta");
        await VerdictsApp.Eventually(() =>
        {
            using var connection = app.Database.Open();
            return Task.FromResult(connection.Query<string>("SELECT slug FROM tools ORDER BY slug").SequenceEqual(["alpha", "beta", "delta"]));
        }, "the tools table holds the new set");

        using var check = app.Database.Open();
        Assert.Equal("kept", check.QuerySingle<string>("SELECT note FROM visitor_data"));
    }

    [Fact]
    public async Task After_random_edits_the_content_tables_hold_what_a_restart_would_import()
    {
        // An edit rewrites only the rows it touches; a restart replaces every row from the files and the last good
        // versions kept. Both must agree. The seeds are fixed: a failure names its seed and step, and reruns the same way.
        for (var seed = 1; seed <= 3; seed++)
        {
            var random = new Random(seed);
            using var content = TestContent.Sample();
            string edited;
            await using (var app = new VerdictsApp(content))
            {
                _ = app.CreateClient();
                for (var step = 0; step < 25; step++)
                {
                    var paths = Enumerable.Range(0, random.Next(1, 3)).Select(_ => RandomEdit(content, random)).ToList();
                    app.Reloader.ReloadNow(paths);
                    var tables = ContentTables(app);
                    Assert.True(tables.SearchRowidsFollowTheirRows, $"seed {seed}, step {step}: a search name's rowid does not follow its row");
                }
                app.Reloader.ReloadNow();
                edited = ContentTables(app).Rows;
            }
            await using (var restarted = new VerdictsApp(content))
            {
                _ = restarted.CreateClient();
                var imported = ContentTables(restarted);
                Assert.True(imported.SearchRowidsFollowTheirRows, $"seed {seed}: a search name's rowid does not follow its row after the restart");
                Assert.Equal(imported.Rows, edited);
            }
        }
    }

    /// <summary>Changes one file at random, over few names so that slugs, aliases, drafts and broken files collide; returns its path.</summary>
    private static string RandomEdit(TestContent content, Random random)
    {
        string[] tools = ["alpha", "beta", "gamma", "delta"];
        string[] reviewers = ["ada", "bo"];
        string Pick(string[] names) => names[random.Next(names.Length)];
        string path;
        switch (random.Next(4))
        {
            case 0:
                var slug = Pick(tools);
                path = $"tools/{slug}.md";
                switch (random.Next(6))
                {
                    case 0: content.File(path, "---\nname: Broken\n---\n"); break;
                    case 1: content.Tool(slug, extra: "draft: true\n"); break;
                    case 2: content.Tool(slug, $"{slug} renamed {random.Next(3)}", extra: $"aliases: [{Pick(tools)}-old]\n"); break;
                    case 3: if (File.Exists(content.PathOf(path))) content.Delete(path); else content.Tool(slug); break;
                    default: content.Tool(slug, tagline: $"Version {random.Next(3)}"); break;
                }
                return path;
            case 1:
                var reviewer = Pick(reviewers);
                path = $"reviewers/{reviewer}.md";
                if (random.Next(4) == 0)
                    content.File(path, "---\nname: R\n---\n");
                else
                    content.Reviewer(reviewer, $"Reviewer {random.Next(3)}", order: random.Next(3));
                return path;
            case 2:
                var (tool, by) = (Pick(tools), Pick(reviewers));
                path = $"verdicts/{tool}/{by}.md";
                if (random.Next(4) == 0 && File.Exists(content.PathOf(path)))
                    content.Delete(path);
                else
                    content.Verdict(tool, by, random.Next(2) == 0 ? "ship" : "skip", $"Quote {random.Next(3)}");
                return path;
            default:
                var comparison = $"pair-{random.Next(3)}";
                path = $"comparisons/{comparison}.md";
                if (random.Next(4) == 0 && File.Exists(content.PathOf(path)))
                    content.Delete(path);
                else
                    content.Comparison(comparison, [.. tools.OrderBy(_ => random.Next()).Take(random.Next(2, 4))], extra: random.Next(2) == 0 ? "" : "title: A titled pair\n");
                return path;
        }
    }

    /// <summary>Every content table's rows as text (without rowids and times, which a restart renews), and whether each
    /// search name's rowid is the one its row gives it (SearchNames finds names by it).</summary>
    private static (string Rows, bool SearchRowidsFollowTheirRows) ContentTables(VerdictsApp app)
    {
        string[] queries =
        [
            "SELECT slug, name, category, category_slug, tagline, vendor, website, license, tags, released, entry_price, description_html, description_text, panel_ship, panel_skip, path, specs, sources, checked FROM tools ORDER BY slug",
            "SELECT * FROM tool_plans ORDER BY tool_slug, position",
            "SELECT * FROM tool_aliases ORDER BY alias",
            "SELECT * FROM reviewers ORDER BY slug",
            "SELECT * FROM verdicts ORDER BY tool_slug, reviewer_slug",
            "SELECT * FROM comparisons ORDER BY slug",
            "SELECT * FROM comparison_tools ORDER BY comparison_slug, position",
            "SELECT tool_slug, kind, title, tagline, body FROM search_index ORDER BY tool_slug, kind, body",
            "SELECT name, kind, slug, detail FROM search_names ORDER BY kind, slug",
            "SELECT * FROM tool_columns ORDER BY slug",
            "SELECT * FROM tool_pairs ORDER BY a, b",
            "SELECT path, kind, state, sha256, good_sha256, good_source FROM content_files ORDER BY path",
            "SELECT path, line, \"column\", message FROM content_errors ORDER BY path, line, \"column\", message",
        ];
        using var connection = app.Database.Open();
        var rows = string.Join("\n", queries.Select(sql => sql + "\n" + string.Join("\n",
            connection.Query(sql).Select(row => string.Join(" | ", ((IDictionary<string, object?>)row).Values)))));
        const string Stray = """
            SELECT count(*) FROM search_names s WHERE NOT EXISTS (
                SELECT 1 FROM tools t WHERE s.kind = 'tool' AND t.slug = s.slug AND s.rowid = t.rowid * 3
                UNION ALL SELECT 1 FROM comparisons c WHERE s.kind = 'comparison' AND c.slug = s.slug AND s.rowid = c.rowid * 3 + 1
                UNION ALL SELECT 1 FROM reviewers r WHERE s.kind = 'reviewer' AND r.slug = s.slug AND s.rowid = r.rowid * 3 + 2)
            """;
        return (rows, connection.ExecuteScalar<long>(Stray) == 0);
    }
}
