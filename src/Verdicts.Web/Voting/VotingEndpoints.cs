using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Dapper;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Verdicts.Web.Content;
using Verdicts.Web.Data;
using Verdicts.Web.Security;

namespace Verdicts.Web.Voting;

/// <summary>Ship/skip votes: one per visitor per tool, changeable and withdrawable, acknowledged only once committed.</summary>
public static class VotingEndpoints
{
    /// <summary>The answer to a vote while the database cannot take it, whether the rate limit or the writer found that out.</summary>
    public const string Unavailable = "Votes cannot be saved right now. Nothing was recorded; please try again shortly.";

    /// <summary>A vote's answer: the tally after it, and the words the page shows for it (so the script words nothing itself).</summary>
    public sealed record VoteJson(string Tool, string? Choice, CommunityJson Community, CommunityWords Shown);

    public sealed record CommunityWords(string Summary, string Headline, string Note, string ShareOnly, string BarLabel);

    private const string VotePrefix = "/tools/";
    private const string VoteSuffix = "/vote";

    /// <summary>
    /// Answers <c>POST /tools/{slug}/vote</c> as a middleware, ahead of routing. A vote needs none of what routing leads
    /// to (authentication, authorization, endpoint binding, a request scope); skipping them saves CPU on
    /// every vote (bench/README.md). Everything ahead of it still applies: security headers, the exception handler, request
    /// logging, cross-origin protection and the visitors' rate limit.
    /// </summary>
    public static IApplicationBuilder UseVoting(this IApplicationBuilder app)
    {
        var services = app.ApplicationServices;
        var content = services.GetRequiredService<ContentReloader>();
        var database = services.GetRequiredService<Database>();
        var visitors = services.GetRequiredService<Visitors>();
        var writer = services.GetRequiredService<VoteWriter>();
        var time = services.GetRequiredService<TimeProvider>();
        var json = services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions.GetTypeInfo(typeof(VoteJson));
        // Other requests pass straight through, without an async state machine of their own.
        return app.Use((context, next) => VoteSlug(context.Request.Path) is { } slug
            ? AnswerAsync(context, slug)
            : next(context));

        Task AnswerAsync(HttpContext context, string slug)
        {
            if (HttpMethods.IsPost(context.Request.Method))
                return VoteAsync(slug, context, content, database, visitors, writer, time, json);
            context.Response.Headers.Allow = "POST";
            return Text(StatusCodes.Status405MethodNotAllowed, "Votes are sent with POST, from the vote form on a tool's page.\n").ExecuteAsync(context);
        }
    }

    /// <summary>The tool a path votes on (<c>/tools/{slug}/vote</c>, literals in any case, as routing would match them), or null.</summary>
    public static string? VoteSlug(PathString path)
    {
        var value = path.Value;
        if (value is null || !value.StartsWith(VotePrefix, StringComparison.OrdinalIgnoreCase))
            return null;
        var end = value.Length - (value.EndsWith('/') ? 1 : 0);
        if (end - VoteSuffix.Length <= VotePrefix.Length || string.Compare(value, end - VoteSuffix.Length, VoteSuffix, 0, VoteSuffix.Length, StringComparison.OrdinalIgnoreCase) != 0)
            return null;
        var slug = value[VotePrefix.Length..(end - VoteSuffix.Length)];
        return slug.Contains('/') ? null : slug;
    }

    /// <summary>A visitor's own votes; the vote itself is answered by <see cref="UseVoting"/>.</summary>
    public static void MapVoting(this IEndpointRouteBuilder app) =>
        // Per visitor: the output cache's base policy (Program.cs) leaves everything under /votes alone.
        app.MapMethods("/votes/mine", GetAndHead.Methods, MineAsync);

    private static async Task VoteAsync(string slug, HttpContext context, ContentReloader content, Database database,
        Visitors visitors, VoteWriter writer, TimeProvider time, JsonTypeInfo json)
    {
        var form = await FormPost.ReadAsync(context.Request, "choice", "return");
        if (form.Problem is not null)
        {
            await form.Problem.ExecuteAsync(context);
            return;
        }
        if (!(content.Generation > 0 ? IsPublished(slug, content) : await IsPublishedInDatabaseAsync(slug, database)))
        {
            // A page opened before a rename posts to the old slug: the vote goes to the tool that took it as an alias.
            if (ToolAliases.RenamedTo(database, slug) is not { } renamed || (content.Generation > 0 && !IsPublished(renamed, content)))
            {
                await Text(StatusCodes.Status404NotFound, $"There is no tool '{slug}' to vote on.\n").ExecuteAsync(context);
                return;
            }
            slug = renamed;
        }
        var choice = form.Fields.GetValueOrDefault("choice");
        if (choice is not ("ship" or "skip" or "clear"))
        {
            await Text(StatusCodes.Status400BadRequest, "Field 'choice' must be ship, skip or clear.\n").ExecuteAsync(context);
            return;
        }
        string? returnPath = null;
        if (form.Fields.TryGetValue("return", out var requested) && (returnPath = FormPost.SafeReturnPath(requested)) is null)
        {
            await Text(StatusCodes.Status400BadRequest, "Field 'return' must be a path on this site.\n").ExecuteAsync(context);
            return;
        }

        // Built before the vote is written: whatever the return path holds, nothing can fail once the vote is committed.
        var location = WithVoted(returnPath ?? $"/tools/{slug}", slug, choice);

        Tally tally;
        try
        {
            if (visitors.Identify(context, out var newVoter) is not { } voter)
            {
                await Text(StatusCodes.Status403Forbidden,
                    "Your visitor cookie was not issued by this site, so the vote was not recorded. It has been cleared: vote again to get a new one.\n")
                    .ExecuteAsync(context);
                return;
            }
            tally = await writer.SubmitAsync(slug, voter, choice == "clear" ? null : choice, newVoter, time.GetUtcNow(),
                visitors.NetworkOf(context.Connection.RemoteIpAddress));
        }
        catch (VotesUnavailableException)
        {
            await Slices.Notice.Refuse(context, StatusCodes.Status503ServiceUnavailable, Unavailable, TimeSpan.FromSeconds(5));
            return;
        }

        var response = context.Response;
        response.Headers.CacheControl = "no-store";
        if (WantsJson(context.Request))
        {
            // Serialized up front (with the site's JSON options) so the answer goes out in one write with a Content-Length.
            var community = new CommunityShare(tally.Ship, tally.Skip);
            var answer = JsonSerializer.SerializeToUtf8Bytes(new VoteJson(slug, choice == "clear" ? null : choice, community.ToJson(),
                new CommunityWords(community.Summary, community.Headline, community.Note, community.ShareOnly,
                community.BarLabel(content.Snapshot.Tools.TryGetValue(slug, out var tool) ? tool.Name : slug))), json);
            response.ContentType = "application/json; charset=utf-8";
            response.ContentLength = answer.Length;
            await response.Body.WriteAsync(answer);
            return;
        }
        response.StatusCode = StatusCodes.Status303SeeOther;
        response.Headers.Location = location;
    }

    private static IResult Text(int status, string message) => Slices.Notice.Refusal(status, message.TrimEnd('\n'));

    /// <summary>The loaded content says which tools are published, without a query on the vote path.</summary>
    private static bool IsPublished(string slug, ContentReloader content) =>
        content.Snapshot.Tools.TryGetValue(slug, out var tool) && !tool.Draft && tool.Slug == slug;

    /// <summary>Until an import has succeeded (say the database is read-only, or the content folder is missing) the database says.</summary>
    private static async Task<bool> IsPublishedInDatabaseAsync(string slug, Database database)
    {
        using var connection = database.Open();
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM tools WHERE slug = @slug", new { slug }) == 1;
    }

    /// <summary>The visitor's own votes for the listed tools: tiny, uncached, so cached pages need not vary per visitor.</summary>
    private static async Task<IResult> MineAsync(string? tools, HttpContext context, Database database, Visitors visitors)
    {
        context.Response.Headers.CacheControl = "no-store";
        var slugs = (tools ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Take(8).ToArray();
        if (visitors.Known(context.Request) is not { } voter || slugs.Length == 0)
            return Results.Json(new Dictionary<string, string>());
        // The same list, as Dapper expands it for SQLite and as an array for PostgreSQL.
        const string MineSqlite = "SELECT tool_slug, choice FROM votes WHERE voter = @voter AND tool_slug IN @slugs";
        const string MinePostgres = "SELECT tool_slug, choice FROM votes WHERE voter = @voter AND tool_slug = ANY(@slugs)";
        try
        {
            using var connection = database.ReadWrites();
            var mine = await connection.QueryAsync<(string Tool, string Choice)>(database.OnPostgres ? MinePostgres : MineSqlite, new { voter, slugs });
            return Results.Json(mine.ToDictionary(m => m.Tool, m => m.Choice));
        }
        catch (Exception ex) when (database.IsUnavailable(ex))
        {
            // The page shows the tallies without marking the visitor's own votes; its script asks again later.
            context.Response.Headers.RetryAfter = "5";
            return Results.Json(new Dictionary<string, string>(), statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    private static bool WantsJson(HttpRequest request)
    {
        foreach (var accept in request.Headers.Accept)
        {
            if (accept?.Contains("application/json", StringComparison.OrdinalIgnoreCase) == true)
                return true;
        }
        return false;
    }

    /// <summary>
    /// The page to go back to, telling it (through the address, not a cookie) what this visitor just chose, at the tool's
    /// vote form (<see cref="Pages.Shared.Fragments.AnchorOf"/>) rather than the top of the page.
    /// </summary>
    public static string WithVoted(string path, string slug, string choice)
    {
        if (path.IndexOf('#', StringComparison.Ordinal) is >= 0 and var fragment)
            path = path[..fragment];
        var queryStart = path.IndexOf('?', StringComparison.Ordinal);
        var basePath = queryStart < 0 ? path : path[..queryStart];
        var query = queryStart < 0 ? [] : QueryHelpers.ParseQuery(path[queryStart..]);
        var kept = query.Where(q => q.Key != "voted").SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string?>(q.Key, v)));
        // Percent-encoded (escapes already there are kept): a header value holds ASCII only, and Kestrel refuses anything else.
        return QueryHelpers.AddQueryString(new PathString(basePath).ToUriComponent(), kept.Append(new("voted", $"{slug}:{choice}")))
            + "#" + Uri.EscapeDataString(Pages.Shared.Fragments.AnchorOf(slug));
    }
}
