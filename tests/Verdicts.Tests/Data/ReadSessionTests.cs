using Dapper;
using Verdicts.Tests.Infrastructure;
using Verdicts.Web.Data;
using Verdicts.Web.Voting;

namespace Verdicts.Tests.Data;

public sealed class ReadSessionTests
{
    private const string ToolsIn = "SELECT slug FROM tools WHERE slug IN (SELECT value FROM json_each(@slugs)) ORDER BY slug";

    private static Database WithTools(TestContent content, params string[] slugs)
    {
        var database = new Database(Path.Combine(content.Scratch, "read.db"));
        Migrations.Apply(database);
        using var connection = database.OpenForWriting();
        foreach (var slug in slugs)
        {
            connection.Execute("""
                INSERT INTO tools (slug, name, category, category_slug, tagline, tags, entry_price, description_html, description_text,
                                   panel_ship, panel_skip, path)
                VALUES (@slug, @slug, 'Runtimes', 'runtimes', 'A tool', '[]', 'Free', '', '', 0, 0, 'tools/' || @slug || '.md')
                """, new { slug });
        }
        return database;
    }

    [Fact]
    public void A_session_keeps_its_compiled_statement_and_binds_new_parameters_each_time()
    {
        using var content = new TestContent();
        using var database = WithTools(content, "alpha", "beta", "gamma");
        using var db = database.Read();

        Assert.Equal(["alpha", "gamma"], db.Query<string>(ToolsIn, new { slugs = SlugList.Json(["gamma", "alpha"]) }));
        Assert.Equal(["beta"], db.Query<string>(ToolsIn, new { slugs = SlugList.Json(["beta", "delta"]) }));
        Assert.Empty(db.Query<string>(ToolsIn, new { slugs = SlugList.Json([]) }));
        Assert.Equal(1, db.CommandsMade);
    }

    [Fact]
    public void Rows_map_to_records_tuples_and_plain_values()
    {
        using var content = new TestContent();
        using var database = WithTools(content, "alpha", "beta");
        using var db = database.Read();

        var cards = ToolCard.Load(db, VoteTallies.Load(database, DateOnly.FromDateTime(DateTime.UtcNow)), ["beta", "nope", "alpha"]);
        Assert.Equal(["beta", "alpha"], cards.Select(c => c.Slug));
        Assert.Equal(("alpha", "Runtimes"), db.QueryFirstOrDefault<(string, string)>("SELECT slug, category FROM tools WHERE slug = @slug", new { slug = "alpha" }));
        Assert.Null(db.QueryFirstOrDefault<string>("SELECT slug FROM tools WHERE slug = @slug", new { slug = "nope" }));
        Assert.Equal(2L, db.QueryFirstOrDefault<long>("SELECT count(*) FROM tools"));
    }

    [Fact]
    public void A_snapshot_sees_the_database_as_its_first_query_found_it_and_ends_when_given_back()
    {
        using var content = new TestContent();
        using var database = WithTools(content, "alpha");
        const string CountTools = "SELECT count(*) FROM tools";
        void AddTool(string slug)
        {
            using var writer = database.OpenForWriting();
            writer.Execute("""
                INSERT INTO tools (slug, name, category, category_slug, tagline, tags, entry_price, description_html, description_text,
                                   panel_ship, panel_skip, path)
                VALUES (@slug, @slug, 'Runtimes', 'runtimes', 'A tool', '[]', 'Free', '', '', 0, 0, 'tools/' || @slug || '.md')
                """, new { slug });
        }

        var first = database.Read();
        first.BeginSnapshot();
        Assert.Equal(1L, first.QueryFirstOrDefault<long>(CountTools));
        AddTool("beta");
        Assert.Equal(1L, first.QueryFirstOrDefault<long>(CountTools));
        Assert.Equal(["alpha"], first.Query<string>(ToolsIn, new { slugs = SlugList.Json(["alpha", "beta"]) }));
        first.Dispose();

        // The same session, lent again: its transaction ended, so it sees later commits as they land.
        using var again = database.Read();
        Assert.Same(first, again);
        Assert.Equal(2L, again.QueryFirstOrDefault<long>(CountTools));
        AddTool("gamma");
        Assert.Equal(3L, again.QueryFirstOrDefault<long>(CountTools));
    }

    [Fact]
    public void A_session_given_back_is_lent_again_until_sessions_are_closed()
    {
        using var content = new TestContent();
        using var database = WithTools(content, "alpha");

        var first = database.Read();
        first.Dispose();
        var again = database.Read();
        Assert.Same(first, again);

        // Closed while lent out: given back, it is closed rather than lent again.
        database.CloseReadSessions();
        again.Dispose();
        using var fresh = database.Read();
        Assert.NotSame(again, fresh);
        Assert.Equal(1L, fresh.QueryFirstOrDefault<long>("SELECT count(*) FROM tools"));
    }

    [Fact]
    public void Sessions_lent_at_once_are_separate()
    {
        using var content = new TestContent();
        using var database = WithTools(content, "alpha");

        using var one = database.Read();
        using var two = database.Read();
        Assert.NotSame(one, two);
    }
}
