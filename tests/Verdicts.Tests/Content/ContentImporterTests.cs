using System.Text;
using Dapper;
using Microsoft.Data.Sqlite;
using Verdicts.Tests.Infrastructure;
using Verdicts.Web.Content;
using Verdicts.Web.Data;

namespace Verdicts.Tests.Content;

public sealed class ContentImporterTests
{
    [Fact]
    public async Task Panel_figures_are_counted_from_the_verdicts_that_loaded()
    {
        using var content = TestContent.Sample()
            .Reviewer("cy").Verdict("alpha", "cy", "skip")
            .File("verdicts/beta/cy.md", "---\nverdict: nope\n---\nQuote\n");
        await using var app = new VerdictsApp(content);
        _ = app.CreateClient();

        using var connection = app.Database.Open();
        var rows = connection.Query<(string Slug, long Ship, long Skip)>("SELECT slug, panel_ship, panel_skip FROM tools ORDER BY slug").ToList();
        var expected = app.Reloader.Snapshot.Tools.Keys.Order(StringComparer.Ordinal).Select(slug =>
        {
            var verdicts = app.Reloader.Snapshot.Verdicts.Values.Where(v => v.ToolSlug == slug).ToList();
            return (slug, (long)verdicts.Count(v => v.Verdict == "ship"), (long)verdicts.Count(v => v.Verdict == "skip"));
        });
        Assert.Equal(expected, rows);
        Assert.Equal(("alpha", 2L, 1L), rows[0]);
    }

    [Fact]
    public async Task Panel_figures_follow_verdicts_changed_after_the_first_load()
    {
        using var content = TestContent.Sample().Reviewer("cy");
        await using var app = new VerdictsApp(content);
        _ = app.CreateClient();

        var since = app.Reloader.Generation;
        content.Verdict("alpha", "bo", "skip").Verdict("gamma", "cy", "ship").Delete("verdicts/beta/bo.md");
        await app.WaitForReloadAfter(since);
        await VerdictsApp.Eventually(() => Task.FromResult(app.Reloader.Snapshot.Verdicts.ContainsKey("gamma/cy")), "the new verdict loads");

        using var connection = app.Database.Open();
        var rows = connection.Query<(string Slug, long Ship, long Skip)>("SELECT slug, panel_ship, panel_skip FROM tools ORDER BY slug").ToList();
        // Counted afresh from the files on disk.
        var expected = new[] { "alpha", "beta", "gamma" }.Select(slug =>
        {
            var choices = Directory.Exists(content.PathOf($"verdicts/{slug}"))
                ? Directory.GetFiles(content.PathOf($"verdicts/{slug}")).Select(f => File.ReadAllText(f).Contains("verdict: ship", StringComparison.Ordinal)).ToList()
                : [];
            return (slug, (long)choices.Count(c => c), (long)choices.Count(c => !c));
        });
        Assert.Equal(expected, rows);
        Assert.Equal([("alpha", 1L, 1L), ("beta", 1L, 0L), ("gamma", 1L, 0L)], rows);
    }

    [Fact]
    public async Task A_full_import_given_up_before_its_commit_leaves_the_content_as_it_was()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        _ = app.CreateClient();
        using var connection = app.Database.Open();
        var before = connection.Query<string>("SELECT slug FROM tools UNION ALL SELECT path FROM content_files ORDER BY 1").ToList();

        var extra = Parse("tools/delta.md", TestContent.ToolText("Delta"));
        var next = ContentResolver.Resolve(app.Reloader.Snapshot.Documents.Select(d => new ParsedFile(d.Path, d.Kind, d.Sha256, d, [])).Append(extra), _ => null);

        Assert.Throws<IOException>(() => new ContentImporter(app.Database).Import(null, next, [], DateTimeOffset.UtcNow, _ => throw new IOException("given up")));

        Assert.Equal(before, connection.Query<string>("SELECT slug FROM tools UNION ALL SELECT path FROM content_files ORDER BY 1").ToList());
        Assert.Contains("alpha", before);
    }

    [Fact]
    public async Task Drafts_are_never_stored_as_public_rows()
    {
        using var content = TestContent.Sample()
            .Tool("secret", extra: "draft: true\n")
            .Verdict("secret", "ada")
            .Comparison("hidden", ["alpha", "gamma"], extra: "draft: true\n");
        await using var app = new VerdictsApp(content);
        _ = app.CreateClient();

        using var connection = app.Database.Open();
        Assert.Equal(0, connection.QuerySingle<long>("SELECT count(*) FROM tools WHERE slug = 'secret'"));
        Assert.Equal(0, connection.QuerySingle<long>("SELECT count(*) FROM verdicts WHERE tool_slug = 'secret'"));
        Assert.Equal(0, connection.QuerySingle<long>("SELECT count(*) FROM comparisons WHERE slug = 'hidden'"));
        Assert.Equal(0, connection.QuerySingle<long>("SELECT count(*) FROM search_index WHERE tool_slug = 'secret'"));
        Assert.Equal("draft", connection.QuerySingle<string>("SELECT state FROM content_files WHERE path = 'tools/secret.md'"));
    }

    [Fact]
    public async Task Errors_are_kept_in_the_database_in_the_reported_format()
    {
        using var content = TestContent.Sample().File("reviewers/zed.md", "---\nname: Zed\nlens: L\norder: first\n---\n");
        await using var app = new VerdictsApp(content);
        _ = app.CreateClient();

        using var connection = app.Database.Open();
        var error = connection.QuerySingle<(string Path, long Line, long Column, string Message)>("SELECT path, line, \"column\", message FROM content_errors");
        Assert.Equal(("reviewers/zed.md", 4L, 8L, "'order' must be a whole number"), error);
        Assert.Equal(1, connection.QuerySingle<long>("SELECT errors FROM content_reloads"));
    }

    [Fact]
    public async Task Rendered_markdown_is_stored_as_text_that_pages_and_search_can_read()
    {
        using var content = TestContent.Sample()
            .Tool("delta", "Délta", body: "Fast **naïve** tokenizer, ünïcode safe.")
            .Verdict("delta", "ada", quote: "Ships *quickly*: café-grade latency.")
            .Comparison("alpha-or-delta", ["alpha", "delta"], body: "Which **one**? Über fast.");
        await using var app = new VerdictsApp(content);
        _ = app.CreateClient();

        using var connection = app.Database.Open();
        var tool = connection.QuerySingle<(string HtmlType, string TextType, string Html, string Text)>(
            "SELECT typeof(description_html), typeof(description_text), description_html, description_text FROM tools WHERE slug = 'delta'");
        Assert.Equal(("text", "text"), (tool.HtmlType, tool.TextType));
        Assert.Equal("<p>Fast <strong>naïve</strong> tokenizer, ünïcode safe.</p>", tool.Html.Trim());
        Assert.Equal("Fast naïve tokenizer, ünïcode safe.", tool.Text);
        var quote = connection.QuerySingle<(string HtmlType, string TextType, string Html, string Text)>(
            "SELECT typeof(quote_html), typeof(quote_text), quote_html, quote_text FROM verdicts WHERE tool_slug = 'delta'");
        Assert.Equal(("text", "text", "<p>Ships <em>quickly</em>: café-grade latency.</p>", "Ships quickly: café-grade latency."),
            (quote.HtmlType, quote.TextType, quote.Html.Trim(), quote.Text));
        Assert.Equal("text", connection.QuerySingle<string>("SELECT typeof(intro_html) FROM comparisons WHERE slug = 'alpha-or-delta'"));
        Assert.Equal("text", connection.QuerySingle<string>("SELECT typeof(bio_html) FROM reviewers WHERE slug = 'ada'"));
        Assert.Equal(["delta", "delta"], connection.Query<string>(
            "SELECT tool_slug FROM search_index WHERE search_index MATCH 'cafe OR naive' ORDER BY rowid"));
    }

    [Fact]
    public async Task An_empty_body_is_stored_as_empty_text_not_as_null()
    {
        using var content = TestContent.Sample()
            .Tool("delta", "Delta", body: "")
            .Comparison("alpha-or-delta", ["alpha", "delta"], body: "");
        await using var app = new VerdictsApp(content);
        var client = app.CreateClient();

        Assert.Empty(app.Reloader.Snapshot.Errors);
        using var connection = app.Database.Open();
        Assert.Equal(("text", "", "text", ""), connection.QuerySingle<(string, string, string, string)>(
            "SELECT typeof(description_html), description_html, typeof(description_text), description_text FROM tools WHERE slug = 'delta'"));
        Assert.Equal(("text", ""), connection.QuerySingle<(string, string)>("SELECT typeof(intro_html), intro_html FROM comparisons WHERE slug = 'alpha-or-delta'"));
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("/compare/alpha-or-delta")).StatusCode);
    }

    [Fact]
    public void A_first_import_into_a_new_database_goes_through_a_rollback_journal_and_leaves_it_in_wal_mode()
    {
        using var content = new TestContent();
        using var database = NewDatabase(content);

        Import(database, [Parse("tools/delta.md", TestContent.ToolText("Delta"))], _ =>
        {
            // Written through a rollback journal: the journal is there while the transaction is open, and no WAL.
            Assert.True(File.Exists(database.Path + "-journal"));
            Assert.False(File.Exists(database.Path + "-wal"));
        });

        AssertHandedOverInWalMode(database.Path);
        using var connection = database.Open();
        Assert.Equal(["delta"], connection.Query<string>("SELECT slug FROM tools"));
        Assert.Equal("wal", connection.ExecuteScalar<string>("PRAGMA journal_mode"));
    }

    [Fact]
    public void A_first_import_given_up_before_its_commit_leaves_a_new_database_empty_and_in_wal_mode()
    {
        using var content = new TestContent();
        using var database = NewDatabase(content);

        Assert.Throws<IOException>(() => Import(database, [Parse("tools/delta.md", TestContent.ToolText("Delta"))], _ =>
        {
            Assert.True(File.Exists(database.Path + "-journal"));
            throw new IOException("given up");
        }));

        AssertHandedOverInWalMode(database.Path);
        using var connection = database.Open();
        Assert.Equal(0, connection.ExecuteScalar<long>("SELECT (SELECT count(*) FROM tools) + (SELECT count(*) FROM content_files)"));
    }

    [Fact]
    public void A_first_import_killed_before_its_commit_is_rolled_back_by_the_next_connection_to_open_the_file()
    {
        using var content = new TestContent();
        using var database = NewDatabase(content);
        var emptySize = new FileInfo(database.Path).Length;
        var copy = Path.Combine(content.Scratch, "killed", "verdicts.db");
        Directory.CreateDirectory(Path.GetDirectoryName(copy)!);

        // Far more than SQLite's page cache holds, so pages spill into the database file before the commit.
        var body = string.Join("\n\n", Enumerable.Range(0, 200).Select(i => $"Paragraph {i} of a long description, with **some** words."));
        var tools = Enumerable.Range(0, 300).Select(i => Parse($"tools/tool-{i}.md", TestContent.ToolText($"Tool {i}", body: body))).ToList();
        Assert.Throws<IOException>(() => Import(database, tools, _ =>
        {
            // Asked once every tool row is written: what a process killed at this moment leaves on disk is the file as
            // written so far, and its journal.
            File.Copy(database.Path, copy);
            File.Copy(database.Path + "-journal", copy + "-journal");
            throw new IOException("killed");
        }));

        Assert.True(new FileInfo(copy).Length > emptySize, "the import had not yet written into the database file");
        using var connection = new SqliteConnection($"Data Source={copy};Pooling=False");
        connection.Open();
        Assert.Equal(0, connection.ExecuteScalar<long>("SELECT (SELECT count(*) FROM tools) + (SELECT count(*) FROM content_files)"));
        Assert.Equal("ok", connection.ExecuteScalar<string>("PRAGMA integrity_check"));
        Assert.False(File.Exists(copy + "-journal"));
    }

    [Fact]
    public void A_first_import_while_another_connection_has_the_file_open_goes_through_the_wal()
    {
        using var content = new TestContent();
        using var database = NewDatabase(content);
        using var other = new SqliteConnection($"Data Source={database.Path};Pooling=False");
        other.Open();
        Assert.Equal(0, other.ExecuteScalar<long>("SELECT count(*) FROM tools"));

        Import(database, [Parse("tools/delta.md", TestContent.ToolText("Delta"))], _ =>
        {
            Assert.False(File.Exists(database.Path + "-journal"));
            Assert.True(File.Exists(database.Path + "-wal"));
            // In WAL mode the other connection goes on reading what was committed before.
            Assert.Equal(0, other.ExecuteScalar<long>("SELECT count(*) FROM tools"));
        });

        Assert.Equal(["delta"], other.Query<string>("SELECT slug FROM tools"));
        Assert.Equal("wal", other.ExecuteScalar<string>("PRAGMA journal_mode"));
    }

    [Fact]
    public async Task A_site_started_on_a_new_database_serves_it_in_wal_mode()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        _ = app.CreateClient();

        Assert.Equal(3, app.Reloader.Snapshot.Tools.Count);
        AssertHandedOverInWalMode(app.DatabasePath);
        using var connection = app.Database.Open();
        Assert.Equal("wal", connection.ExecuteScalar<string>("PRAGMA journal_mode"));
    }

    /// <summary>A new database, migrated and holding no content, as the `import` command or a first start finds it.</summary>
    private static Database NewDatabase(TestContent content)
    {
        var database = new Database(Path.Combine(content.Scratch, "new.db"));
        Migrations.Apply(database);
        return database;
    }

    private static ParsedFile Parse(string path, string text)
    {
        var parsed = ContentParser.Parse(path, ContentParser.KindOf(path)!.Value, Encoding.UTF8.GetBytes(text));
        Assert.Empty(parsed.Errors);
        return parsed;
    }

    /// <summary>A first load of these files; <paramref name="whileOpen"/> runs inside the import's transaction, as each file's text is asked for.</summary>
    private static void Import(Database database, List<ParsedFile> files, Action<FileStatus> whileOpen)
    {
        var byPath = files.ToDictionary(f => f.Path);
        var called = false;
        new ContentImporter(database).Import(null, ContentResolver.Resolve(files, _ => null), [], DateTimeOffset.UtcNow, file =>
        {
            whileOpen(file);
            called = true;
            return byPath[file.Path].Source;
        });
        Assert.True(called, "the import never asked for a file's text inside its transaction");
    }

    /// <summary>The import is over: no journal is left, and the file's header says WAL mode, as the site reads it.</summary>
    private static void AssertHandedOverInWalMode(string path)
    {
        Assert.False(File.Exists(path + "-journal"));
        Assert.Equal(2, JournalVersionInHeader(path));
    }

    /// <summary>Bytes 18 and 19 of an SQLite file's header: 1 for a rollback journal, 2 for WAL.</summary>
    private static int JournalVersionInHeader(string path)
    {
        var header = new byte[20];
        using var file = File.OpenRead(path);
        file.ReadExactly(header);
        Assert.Equal(header[18], header[19]);
        return header[18];
    }
}
