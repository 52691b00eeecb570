using System.Text.Json;
using Dapper;
using Verdicts.Tests.Infrastructure;

namespace Verdicts.Tests.Api;

/// <summary>The API's answers are kept by the output cache like the pages, and dropped by the same votes and reloads.</summary>
public sealed class ApiCachingTests
{
    private static async Task<JsonElement> Get(HttpClient client, string path)
    {
        using var json = JsonDocument.Parse(await client.GetStringAsync(new Uri(path, UriKind.Relative)));
        return json.RootElement.Clone();
    }

    private static JsonElement Item(JsonElement list, string slug) =>
        list.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("slug").GetString() == slug);

    [Fact]
    public async Task Lists_and_generated_comparisons_are_served_from_the_cache_until_a_vote_on_their_tools_or_a_reload()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        var client = app.CreateClient();
        var paths = new[] { "/api/tools", "/api/tools?category=developer-tools", "/api/compare/alpha-vs-gamma" };
        foreach (var path in paths)
            await Get(client, path);

        // Changed behind the site's back: the cached answers still hold the old tagline, so they came from the cache.
        using (var connection = app.Database.Open())
            connection.Execute("UPDATE tools SET tagline = 'Changed behind its back' WHERE slug = 'alpha'");
        Assert.Equal("The first tool", Item(await Get(client, "/api/tools"), "alpha").GetProperty("tagline").GetString());
        Assert.Equal("The first tool", Item(await Get(client, "/api/tools?category=developer-tools"), "alpha").GetProperty("tagline").GetString());

        // A vote on alpha evicts every answer showing it, which are drawn again with the new tally.
        app.CastVotes("alpha", ship: 3, skip: 1);
        await VerdictsApp.Eventually(async () => Item(await Get(client, "/api/tools"), "alpha").GetProperty("community").GetProperty("n").GetInt32() == 4,
            "the tool list shows the vote");
        Assert.Equal("Changed behind its back", Item(await Get(client, "/api/tools"), "alpha").GetProperty("tagline").GetString());
        Assert.Equal(4, Item(await Get(client, "/api/tools?category=developer-tools"), "alpha").GetProperty("community").GetProperty("n").GetInt32());
        var compared = await Get(client, "/api/compare/alpha-vs-gamma");
        Assert.Equal(4, compared.GetProperty("tools")[0].GetProperty("community").GetProperty("n").GetInt32());

        // A content change evicts them all.
        var generation = app.Reloader.Generation;
        content.Tool("aardvark", "Aardvark");
        await app.WaitForReloadAfter(generation);
        Assert.Equal("aardvark", (await Get(client, "/api/tools")).GetProperty("items")[0].GetProperty("slug").GetString());
        Assert.Equal("aardvark", (await Get(client, "/api/tools?category=developer-tools")).GetProperty("items")[0].GetProperty("slug").GetString());
    }

    [Fact]
    public async Task A_comparison_list_shows_a_new_comparison_after_the_reload()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        var client = app.CreateClient();
        Assert.Equal(1, (await Get(client, "/api/comparisons")).GetProperty("total").GetInt32());

        var generation = app.Reloader.Generation;
        content.Comparison("beta-or-gamma", ["beta", "gamma"], "2026-05-01");
        await app.WaitForReloadAfter(generation);

        var list = await Get(client, "/api/comparisons");
        Assert.Equal(["beta-or-gamma", "alpha-or-beta"], list.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("slug").GetString()));
    }
}
