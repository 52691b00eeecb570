using Microsoft.Data.Sqlite;

namespace Verdicts.Web.Data;

/// <summary>A panel reviewer's verdict on a tool, with the reviewer, as the tool and comparison pages show it.</summary>
public sealed record VerdictRow
{
    public required string ToolSlug { get; init; }
    public required string Verdict { get; init; }
    public required string QuoteHtml { get; init; }
    public required string QuoteText { get; init; }
    public required string ReviewerSlug { get; init; }
    public required string ReviewerName { get; init; }
    public required string Lens { get; init; }

    /// <summary>The reviewer's place in the scorecard; reviewers without one come after those with one, by name.</summary>
    public long? ReviewerOrder { get; init; }

    /// <summary>The panel's verdicts on the given tools, reviewers in scorecard order.</summary>
    public static List<VerdictRow> Load(ReadSession db, IReadOnlyList<string> slugs) =>
        db.Query("""
            SELECT v.verdict, v.quote_html, v.quote_text, r.slug, r.name, r.lens, v.tool_slug
            FROM verdicts v JOIN reviewers r ON r.slug = v.reviewer_slug
            WHERE v.tool_slug IN (SELECT value FROM json_each(@slugs))
            ORDER BY r.sort_order IS NULL, r.sort_order, r.name
            """, new { slugs = SlugList.Json(slugs) }, row => Read(row, 0, row.GetString(6)));

    /// <summary>The verdict in the row's columns from <paramref name="first"/> on: verdict, quote HTML, quote text, and the reviewer's slug, name and lens.</summary>
    public static VerdictRow Read(SqliteDataReader row, int first, string toolSlug) => new()
    {
        ToolSlug = toolSlug,
        Verdict = row.GetString(first),
        QuoteHtml = row.GetString(first + 1),
        QuoteText = row.GetString(first + 2),
        ReviewerSlug = row.GetString(first + 3),
        ReviewerName = row.GetString(first + 4),
        Lens = row.GetString(first + 5),
    };
}
