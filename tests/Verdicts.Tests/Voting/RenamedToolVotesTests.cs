using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Verdicts.Tests.Infrastructure;
using Verdicts.Web.Content;
using Verdicts.Web.Data;
using Verdicts.Web.Voting;

namespace Verdicts.Tests.Voting;

/// <summary>A renamed tool (by hand: file renamed, old slug added to <c>aliases</c>; or by the admin form) keeps the votes cast under the old slug.</summary>
public sealed class RenamedToolVotesTests
{
    private sealed record CastVote(string Voter, string Tool, string Choice, DateTime At);

    private static readonly DateTime Day = DateTime.UtcNow.Date.AddDays(-3);

    private static async Task Insert(VerdictsApp app, IReadOnlyList<CastVote> votes)
    {
        using (var connection = app.Database.OpenWrites())
        {
            connection.Execute("INSERT INTO votes (tool_slug, voter, choice, voted_at) VALUES (@Tool, @Voter, @Choice, @At)",
                votes.Select(v => new { v.Tool, v.Voter, v.Choice, At = v.At.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) }));
        }
        await app.Recount([.. votes.Select(v => v.Tool).Distinct()]);
    }

    private static List<(string Voter, string Choice)> VotesOn(VerdictsApp app, string tool)
    {
        using var connection = app.Database.ReadWrites();
        return connection.Query<(string, string)>("SELECT voter, choice FROM votes WHERE tool_slug = @tool ORDER BY voter", new { tool }).ToList();
    }

    /// <summary>Per visitor, the later of their votes under either slug (the new slug's on a tie), worked out here.</summary>
    private static List<(string Voter, string Choice)> Kept(IEnumerable<CastVote> cast, string oldSlug, string newSlug) =>
        cast.Where(v => v.Tool == oldSlug || v.Tool == newSlug)
            .GroupBy(v => v.Voter)
            .Select(g => g.OrderByDescending(v => v.At).ThenBy(v => v.Tool == newSlug ? 0 : 1).First())
            .Select(v => (v.Voter, v.Choice))
            .OrderBy(v => v.Voter, StringComparer.Ordinal)
            .ToList();

    private static async Task AssertShownWithVotes(VerdictsApp app, string tool, List<(string Voter, string Choice)> kept)
    {
        var ship = kept.Count(v => v.Choice == "ship");
        Assert.Equal(new Tally(ship, kept.Count - ship), app.Tallies.Of(tool));
        var page = await app.CreateClient().GetPage($"/tools/{tool}");
        Assert.Equal(kept.Count.ToString(CultureInfo.InvariantCulture), page.Metric("community-votes", tool));
        Assert.Equal(ship.ToString(CultureInfo.InvariantCulture), page.QuerySelector($".tally[data-tool='{tool}']")?.GetAttribute("data-ship"));
        // A share only from ten votes (issue 30).
        Assert.Equal(kept.Count >= 10 ? Html.Percent(ship, kept.Count) : "", page.Metric("community-ship", tool));
    }

    [Fact]
    public async Task Votes_under_the_old_slug_join_the_renamed_tool_and_a_visitor_who_voted_under_both_keeps_the_later_vote()
    {
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        List<CastVote> cast =
        [
            new("v1", "alpha", "ship", Day.AddHours(1)),
            new("v2", "alpha", "skip", Day.AddHours(2)),
            new("v3", "alpha", "ship", Day.AddHours(3)),
            new("v4", "beta", "ship", Day.AddHours(4)),
        ];
        await Insert(app, cast);
        var betaBefore = VotesOn(app, "beta");

        // The file is renamed first, without the alias, and the new slug gathers votes of its own...
        var generation = app.Reloader.Generation;
        content.Delete("tools/alpha.md").Tool("alpha-one", "Alpha One");
        await app.WaitForReloadAfter(generation);
        List<CastVote> later =
        [
            new("v3", "alpha-one", "skip", Day.AddDays(1)),
            new("v1", "alpha-one", "skip", Day.AddMinutes(30)),
            new("v5", "alpha-one", "ship", Day.AddDays(1)),
            new("v2", "alpha-one", "skip", Day.AddHours(2)),
        ];
        await Insert(app, later);
        cast.AddRange(later);

        // ...then the old slug is named as an alias.
        generation = app.Reloader.Generation;
        content.Tool("alpha-one", "Alpha One", extra: "aliases: [alpha]\n");
        await app.WaitForReloadAfter(generation);
        // A reload still owed for the previous step may be the one awaited; the alias's is served only after its votes moved.
        await VerdictsApp.Eventually(() => Task.FromResult(app.Reloader.Snapshot.Tools.TryGetValue("alpha-one", out var tool)
            && tool.Aliases.Any(a => a.Slug == "alpha")), "the alias is loaded");

        var kept = Kept(cast, "alpha", "alpha-one");
        Assert.Equal(4, kept.Count);
        Assert.Equal(kept, VotesOn(app, "alpha-one"));
        Assert.Empty(VotesOn(app, "alpha"));
        Assert.Equal(betaBefore, VotesOn(app, "beta"));
        using (var connection = app.Database.ReadWrites())
            Assert.Equal(0, connection.ExecuteScalar<int>("SELECT count(*) FROM vote_days WHERE tool_slug = 'alpha'"));
        await AssertShownWithVotes(app, "alpha-one", kept);
    }

    [Fact]
    public async Task A_rename_made_while_the_site_was_stopped_carries_the_votes_on_the_next_start()
    {
        using var content = TestContent.Sample();
        List<CastVote> cast = [new("v1", "alpha", "ship", Day), new("v2", "alpha", "skip", Day.AddHours(1)), new("v3", "alpha", "ship", Day.AddHours(2))];
        await using (var before = new VerdictsApp(content))
        {
            await Insert(before, cast);
            Assert.Equal(3, VotesOn(before, "alpha").Count);
        }

        content.Delete("tools/alpha.md").Tool("alpha-one", "Alpha One", extra: "aliases: [alpha]\n");
        await using var after = new VerdictsApp(content);
        await after.WaitForReloadAfter(0);

        var kept = Kept(cast, "alpha", "alpha-one");
        Assert.Equal(kept, VotesOn(after, "alpha-one"));
        Assert.Empty(VotesOn(after, "alpha"));
        await AssertShownWithVotes(after, "alpha-one", kept);
    }

    [Fact]
    public async Task Votes_under_an_alias_move_to_its_tool_when_the_content_was_loaded_before_the_vote_writer_started()
    {
        using var content = TestContent.Sample();
        List<CastVote> cast = [new("v1", "alpha", "ship", Day), new("v2", "alpha", "skip", Day.AddHours(1)), new("v3", "alpha", "ship", Day.AddHours(2))];
        await using (var before = new VerdictsApp(content))
            await Insert(before, cast);

        content.Delete("tools/alpha.md").Tool("alpha-one", "Alpha One", extra: "aliases: [alpha]\n");
        await using var site = new VerdictsApp(content);
        // The vote writer is started only once the content's first import has committed, aliases included.
        await using var app = site.WithWebHostBuilder(builder => builder.ConfigureServices(services =>
        {
            // AddVoting registers the writer, then starts it as a hosted service.
            var startsWriter = services[services.IndexOf(services.Single(d => d.ServiceType == typeof(VoteWriter))) + 1];
            Assert.Equal(typeof(IHostedService), startsWriter.ServiceType);
            services.Remove(startsWriter);
            services.AddHostedService(sp => new AfterFirstLoad(sp.GetRequiredService<ContentReloader>(), sp.GetRequiredService<VoteWriter>()));
        }));
        var reloader = app.Services.GetRequiredService<ContentReloader>();

        Assert.True(reloader.Generation > 0);
        var kept = Kept(cast, "alpha", "alpha-one");
        using (var connection = app.Services.GetRequiredService<Database>().ReadWrites())
        {
            Assert.Equal(kept, connection.Query<(string, string)>("SELECT voter, choice FROM votes WHERE tool_slug = 'alpha-one' ORDER BY voter").ToList());
            Assert.Equal(0, connection.ExecuteScalar<long>("SELECT count(*) FROM votes WHERE tool_slug = 'alpha'"));
        }
        var ship = kept.Count(v => v.Choice == "ship");
        var tallies = app.Services.GetRequiredService<VoteTallies>();
        Assert.Equal(new Tally(ship, kept.Count - ship), tallies.Of("alpha-one"));
        Assert.Equal(Tally.None, tallies.Of("alpha"));
        var page = await app.CreateClient().GetPage("/tools/alpha-one");
        Assert.Equal(kept.Count.ToString(CultureInfo.InvariantCulture), page.Metric("community-votes", "alpha-one"));
    }

    /// <summary>Starts the vote writer once the content's first import has been served.</summary>
    private sealed class AfterFirstLoad(ContentReloader reloader, VoteWriter writer) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            await VerdictsApp.Eventually(() => Task.FromResult(reloader.Generation > 0), "the content's first import is served");
            await writer.StartAsync(cancellationToken);
        }

        public Task StopAsync(CancellationToken cancellationToken) => writer.StopAsync(cancellationToken);
    }

    [Fact]
    public async Task Votes_cast_while_the_admin_renames_the_tool_all_follow_it_and_the_old_slug_keeps_taking_votes()
    {
        using var content = TestContent.Sample();
        var settings = AdminSession.AdminSettings();
        settings["Verdicts:RateLimit:Disabled"] = "true";
        await using var app = new VerdictsApp(content, settings);
        var admin = await AdminSession.SignIn(app);
        var voters = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

        // Every vote is a new visitor's, posted to the old slug as an open page would; each acknowledged one is noted.
        var acknowledged = new ConcurrentBag<string>();
        var refused = new ConcurrentBag<HttpStatusCode>();
        var renamed = false;
        var afterRename = 0;
        using var stop = new CancellationTokenSource();
        var workers = Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            var random = new Random(worker);
            while (!stop.IsCancellationRequested)
            {
                var choice = random.Next(2) == 0 ? "ship" : "skip";
                using var response = await voters.PostAsync(new Uri("/tools/alpha/vote", UriKind.Relative),
                    new StringContent($"choice={choice}", Encoding.UTF8, "application/x-www-form-urlencoded"));
                if (response.StatusCode == HttpStatusCode.SeeOther)
                {
                    acknowledged.Add(choice);
                    if (Volatile.Read(ref renamed))
                        Interlocked.Increment(ref afterRename);
                }
                else
                {
                    refused.Add(response.StatusCode);
                }
            }
        })).ToList();

        await VerdictsApp.Eventually(() => Task.FromResult(acknowledged.Count >= 100), "a hundred votes are in before the rename");
        var form = (await admin.GetPage("/admin/content/tools/alpha.md")).QuerySelector("form[action*='handler=Rename']")!;
        using (var rename = await admin.Submit(form, "Rename", null, ("NewSlug", "alpha-prime")))
            Assert.Equal(HttpStatusCode.Redirect, rename.StatusCode);
        Volatile.Write(ref renamed, true);
        await VerdictsApp.Eventually(() => Task.FromResult(Volatile.Read(ref afterRename) >= 100), "a hundred votes are in after the rename");
        await stop.CancelAsync();
        await Task.WhenAll(workers);

        Assert.Empty(refused);
        Assert.Empty(VotesOn(app, "alpha"));
        var rows = VotesOn(app, "alpha-prime");
        var ship = acknowledged.Count(c => c == "ship");
        Assert.Equal((ship, acknowledged.Count - ship), (rows.Count(r => r.Choice == "ship"), rows.Count(r => r.Choice == "skip")));
        Assert.Equal(new Tally(ship, acknowledged.Count - ship), app.Tallies.Of("alpha-prime"));
        Assert.Equal(Tally.None, app.Tallies.Of("alpha"));

        // A page opened before the rename still posts to the old slug: the vote counts under the new one.
        using var late = await voters.PostAsync(new Uri("/tools/alpha/vote", UriKind.Relative),
            new StringContent("choice=ship", Encoding.UTF8, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.SeeOther, late.StatusCode);
        Assert.Empty(VotesOn(app, "alpha"));
        Assert.Equal(rows.Count + 1, VotesOn(app, "alpha-prime").Count);
        Assert.Equal(new Tally(ship + 1, acknowledged.Count - ship), app.Tallies.Of("alpha-prime"));
        var page = await app.CreateClient().GetPage("/tools/alpha-prime");
        Assert.Equal((rows.Count + 1).ToString(CultureInfo.InvariantCulture), page.Metric("community-votes", "alpha-prime"));
    }
}
