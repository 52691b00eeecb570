using System.Net;
using System.Text;
using Dapper;
using Microsoft.Data.Sqlite;
using Verdicts.Tests.Infrastructure;

namespace Verdicts.Tests.Data;

/// <summary>The database file deleted or swapped under the running site, and keys that links depend on.</summary>
public sealed class DatabaseFileTests
{
    private static StringContent VoteBody(string choice) => new($"choice={choice}", Encoding.UTF8, "application/x-www-form-urlencoded");

    public static TheoryData<string> Losses => new() { "deleted", "replaced" };

    [Theory]
    [MemberData(nameof(Losses))]
    public async Task A_database_file_lost_under_the_running_site_fails_the_health_check_and_no_vote_is_acknowledged(string loss)
    {
        // On PostgreSQL the file holds only the content's read models: votes are committed to PostgreSQL and rightly acknowledged.
        Assert.SkipWhen(PostgresServer.EverySite, "the SQLite file lost: on PostgreSQL the votes are not written to it");
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        var client = app.NoRedirects();
        Assert.Equal(HttpStatusCode.SeeOther, (await client.PostAsync(new Uri("/tools/alpha/vote", UriKind.Relative), VoteBody("ship"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.Get("/healthz")).StatusCode);

        if (loss == "deleted")
        {
            File.Delete(app.DatabasePath);
        }
        else
        {
            // Another database moved into its place, as a careless restore would.
            var other = app.DatabasePath + ".other";
            using (var connection = new SqliteConnection($"Data Source={other};Pooling=false"))
                connection.Execute("CREATE TABLE tools (slug TEXT)");
            File.Move(other, app.DatabasePath, overwrite: true);
        }

        using var health = await client.Get("/healthz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        var said = await health.Content.ReadAsStringAsync();
        Assert.Contains("the database file verdicts.db ", said, StringComparison.Ordinal);
        // A public answer: the file's name, never the folders on the server it sits in.
        Assert.DoesNotContain(content.Scratch, said, StringComparison.Ordinal);
        for (var i = 0; i < 5; i++)
        {
            using var vote = await app.NoRedirects().PostAsync(new Uri($"/tools/{(i % 2 == 0 ? "beta" : "gamma")}/vote", UriKind.Relative), VoteBody("skip"));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, vote.StatusCode);
            Assert.True(vote.Headers.Contains("Retry-After"), "503 without Retry-After");
        }
        // Pages are served from what is still open, or refused as unavailable for now; never a 500.
        foreach (var page in new[] { "/", "/tools/alpha", "/search?q=alpha", "/reviewers/ada", "/feed.xml", "/api/tools/alpha" })
        {
            using var response = await app.NoRedirects().Get(page);
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, $"{page}: {(int)response.StatusCode}");
        }
        // Nor is a new, empty file made in its place.
        if (loss == "deleted")
            Assert.False(File.Exists(app.DatabasePath), "something created a fresh database file where the old one was");
    }

    public static TheoryData<string, string> KeysAndTheirData => new()
    {
        { "newsletter-key", "INSERT INTO subscribers (email, state, created_at) VALUES ('a@example.com', 'confirmed', '2026-01-01T00:00:00Z')" },
        { "voter-key", "INSERT INTO votes (voter, tool_slug, choice, voted_at) VALUES ('v1', 'alpha', 'ship', '2026-01-01T00:00:00Z')" },
    };

    [Theory]
    [MemberData(nameof(KeysAndTheirData))]
    public async Task A_key_that_existing_data_depends_on_is_never_made_again(string key, string data)
    {
        using var content = TestContent.Sample();
        await using (var first = new VerdictsApp(content))
        {
            Assert.Equal(HttpStatusCode.OK, (await first.CreateClient().Get("/healthz")).StatusCode);
            using var connection = first.Database.OpenWrites();
            connection.Execute(data);
        }

        // A second site on the same folder finds the same written data: its SQLite file, or its PostgreSQL database.
        await using var second = new VerdictsApp(content);
        using (var connection = second.OpenWritten())
            Assert.Equal(1, connection.Execute("DELETE FROM secrets WHERE name = @key", new { key }));
        var refused = Assert.ThrowsAny<Exception>(() => second.CreateClient());
        var message = refused.ToString();
        Assert.Contains(key, message, StringComparison.Ordinal);
        Assert.Contains("restore", message, StringComparison.Ordinal);
        using var check = second.OpenWritten();
        Assert.Equal(0, check.ExecuteScalar<long>("SELECT count(*) FROM secrets WHERE name = @key", new { key }));
    }

    [Fact]
    public async Task A_missing_database_file_whose_log_remains_is_not_replaced_by_an_empty_one()
    {
        using var content = TestContent.Sample();
        var database = Path.Combine(content.Scratch, "verdicts.db");
        await File.WriteAllBytesAsync(database + "-wal", new byte[4096]);

        await using var app = new VerdictsApp(content);
        var refused = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains("-wal", refused.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(database), "an empty database was made where one had been");
    }
}
