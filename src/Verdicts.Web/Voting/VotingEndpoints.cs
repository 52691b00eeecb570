using System.Text.Json;
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
    public sealed record VoteJson(string Tool, string? Choice, CommunityJson Community);

    public sealed record CommunityJson(long Ship, long Skip, int? Percent);

    public static void MapVoting(this IEndpointRouteBuilder app)
    {
        app.MapPost("/tools/{slug}/vote", VoteAsync).RequireRateLimiting(VisitorRateLimits.Policy).DisableAntiforgery();
        // Per visitor: the output cache's base policy (Program.cs) leaves everything under /votes alone.
        app.MapGet("/votes/mine", MineAsync);
    }

    private static async Task<IResult> VoteAsync(string slug, HttpContext context, ContentReloader content, Database database,
        Visitors visitors, VoteWriter writer, TimeProvider time, IOptions<JsonOptions> json)
    {
        var form = await FormPost.ReadAsync(context.Request, "choice", "return");
        if (form.Problem is not null)
            return form.Problem;
        if (!(content.Generation > 0 ? IsPublished(slug, content) : await IsPublishedInDatabaseAsync(slug, database)))
            return Results.Text($"There is no tool '{slug}' to vote on.\n", "text/plain; charset=utf-8", statusCode: StatusCodes.Status404NotFound);
        var choice = form.Fields.GetValueOrDefault("choice");
        if (choice is not ("ship" or "skip" or "clear"))
            return Results.Text("Field 'choice' must be ship, skip or clear.\n", "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);
        string? returnPath = null;
        if (form.Fields.TryGetValue("return", out var requested) && (returnPath = FormPost.SafeReturnPath(requested)) is null)
            return Results.Text("Field 'return' must be a path on this site.\n", "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);

        Tally tally;
        try
        {
            tally = await writer.SubmitAsync(slug, visitors.Identify(context), choice == "clear" ? null : choice, time.GetUtcNow());
        }
        catch (VotesUnavailableException)
        {
            context.Response.Headers.RetryAfter = "5";
            return Results.Text("Votes cannot be saved right now. Nothing was recorded; please try again shortly.\n",
                "text/plain; charset=utf-8", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        context.Response.Headers.CacheControl = "no-store";
        if (WantsJson(context.Request))
        {
            // Serialized up front (with the site's JSON options) so the answer goes out in one write with a
            // Content-Length, rather than through the chunked asynchronous writer. Results.Text writes UTF-8 as it is;
            // Results.Bytes would go through the file-download path, with its range and validator checks.
            var answer = new VoteJson(slug, choice == "clear" ? null : choice, new CommunityJson(tally.Ship, tally.Skip, tally.Percent));
            return Results.Text(JsonSerializer.SerializeToUtf8Bytes(answer, json.Value.SerializerOptions.GetTypeInfo(typeof(VoteJson))),
                "application/json; charset=utf-8");
        }
        var back = returnPath ?? $"/tools/{slug}";
        return Results.Extensions.SeeOther(WithVoted(back, slug, choice));
    }

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
        using var connection = database.Open();
        var mine = await connection.QueryAsync<(string Tool, string Choice)>(
            "SELECT tool_slug, choice FROM votes WHERE voter = @voter AND tool_slug IN @slugs", new { voter, slugs });
        return Results.Json(mine.ToDictionary(m => m.Tool, m => m.Choice));
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

    /// <summary>The page to go back to, telling it (through the address, not a cookie) what this visitor just chose.</summary>
    public static string WithVoted(string path, string slug, string choice)
    {
        var queryStart = path.IndexOf('?', StringComparison.Ordinal);
        var basePath = queryStart < 0 ? path : path[..queryStart];
        var query = queryStart < 0 ? [] : QueryHelpers.ParseQuery(path[queryStart..]);
        var kept = query.Where(q => q.Key != "voted").SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string?>(q.Key, v)));
        return QueryHelpers.AddQueryString(basePath, kept.Append(new("voted", $"{slug}:{choice}")));
    }
}
