using Dapper;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Verdicts.Web.Data;
using Verdicts.Web.Pages.Shared;

namespace Verdicts.Web.Pages.Compare;

/// <summary>Where the compare form (two to four tools) lands: it sends the visitor on to the comparison page, or says what is wrong.</summary>
public sealed class IndexModel(Database database, IOptions<VerdictsOptions> options) : SitePageModel
{
    private const int MaxPickLength = 200;

    private const int MaxSuggestions = 6;

    public ComparePicker Picker { get; private set; } = new(null);
    public string? Problem { get; private set; }

    /// <summary>Tools whose names hold the words of a pick that named none (or two), each with the form's address re-picked.</summary>
    public IReadOnlyList<(ComparePicker.Choice Tool, string Address)> Suggestions { get; private set; } = [];

    public IActionResult OnGet(string? a, string? b, string? c, string? d)
    {
        var picked = new[] { a, b, c, d }.Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s!.Trim()).ToList();
        using var connection = database.Open();
        Meta = new PageMeta("Compare AI tools · Verdicts", "Pick two to four tools to see them side by side.", "/compare") { NoIndex = picked.Count > 0 };
        if (picked.Count > 0)
        {
            // Looked up only once there are two picks to compare.
            var slugs = picked.Count < 2 ? [] : picked.Select(p => p.Length > MaxPickLength ? null : Resolve(connection, p)).ToList();
            if (picked.Count < 2)
                Problem = "Choose two different tools to compare.";
            else if (slugs.IndexOf(null) is var unknown and >= 0)
            {
                Suggestions = Suggest(connection, picked[unknown])
                    .Select(tool => (tool, QueryHelpers.AddQueryString("/compare",
                        picked.Select((p, i) => KeyValuePair.Create(((char)('a' + i)).ToString(), (string?)(i == unknown ? tool.Slug : p))))))
                    .ToList();
                Problem = Suggestions.Count(s => string.Equals(s.Tool.Name, picked[unknown], StringComparison.OrdinalIgnoreCase)) > 1
                    ? $"More than one tool is called “{picked[unknown]}”: choose one of them below."
                    : $"One of those tools is not on Verdicts: nothing is called “{picked[unknown]}”. Use the name its page shows.";
            }
            else if (slugs.Distinct(StringComparer.Ordinal).Count() != slugs.Count)
                Problem = "Choose two different tools: a tool compared with itself tells you nothing.";
            else
                return Redirect($"/compare/{string.Join("-vs-", slugs)}");
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        Picker = ComparePicker.Load(connection, options.Value.CompareListLimit) with
        {
            Picked = new Dictionary<string, string?> { ["a"] = a?.Trim(), ["b"] = b?.Trim(), ["c"] = c?.Trim(), ["d"] = d?.Trim() },
        };
        return Page();
    }

    /// <summary>Tools whose names hold every word of the pick, as prefixes: tools named exactly that first, then the best matches.</summary>
    private static List<ComparePicker.Choice> Suggest(SqliteConnection connection, string pick)
    {
        if (SearchModel.ToFtsQuery(pick) is not { } words)
            return [];
        try
        {
            return connection.Query<ComparePicker.Choice>("""
                SELECT t.slug, t.name, t.category
                FROM search_index s JOIN tools t ON t.slug = s.tool_slug
                WHERE search_index MATCH @match AND s.kind = 'tool'
                ORDER BY t.name = @pick COLLATE NOCASE DESC, bm25(search_index), t.name, t.slug
                LIMIT @take
                """, new { match = $"{{title}} : ({words})", pick, take = MaxSuggestions }).AsList();
        }
        catch (SqliteException)
        {
            // The query is built from words only; no suggestions beats a 500 if SQLite still refuses it.
            return [];
        }
    }

    /// <summary>The tool a pick names: its slug (what the lists send) or, typed, its name in any case.</summary>
    private static string? Resolve(SqliteConnection connection, string pick)
    {
        var matches = connection.Query<string>("""
            SELECT slug FROM tools WHERE slug = @pick
            UNION ALL
            SELECT slug FROM (SELECT slug FROM tools WHERE name = @pick COLLATE NOCASE AND slug <> @pick LIMIT 2)
            """, new { pick }).AsList();
        // An exact slug wins; a name shared by two tools names neither.
        return matches.Count == 1 || (matches.Count > 1 && matches[0] == pick) ? matches[0] : null;
    }
}
