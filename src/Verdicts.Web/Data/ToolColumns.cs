using System.Text.Json;
using System.Text.Json.Serialization;
using Dapper;
using Microsoft.Data.Sqlite;
using Verdicts.Web.Voting;

namespace Verdicts.Web.Data;

/// <summary>A tool as its column on a comparison page shows it (also the tool page and the API): card, plans and the panel's verdicts.</summary>
public sealed record ToolColumn(ToolCard Tool, IReadOnlyList<PlanRow> Plans, IReadOnlyList<VerdictRow> Verdicts);

/// <summary>
/// The <c>tool_columns</c> table (migration 012): one row per published tool, written by the importer in its transaction,
/// so the pages read a tool's column by key.
/// </summary>
public static class ToolColumns
{
    // Plans in the tool's order; verdicts with reviewers that have an order first, by it, then by name. A subquery's
    // result is text to json_object unless json() marks it as JSON.
    private const string Select = """
        INSERT INTO tool_columns
        SELECT t.slug, json_object(
                   'Tool', json_object('Slug', t.slug, 'Name', t.name, 'Category', t.category, 'CategorySlug', t.category_slug,
                       'Tagline', t.tagline, 'EntryPrice', t.entry_price, 'DescriptionHtml', t.description_html, 'Vendor', t.vendor,
                       'Website', t.website, 'License', t.license, 'Released', t.released, 'Tags', t.tags,
                       'PanelShip', t.panel_ship, 'PanelSkip', t.panel_skip, 'Specs', json(t.specs), 'Sources', json(t.sources), 'Checked', t.checked),
                   'Plans', json((SELECT json_group_array(json_object('ToolSlug', p.tool_slug, 'Name', p.name, 'Price', p.price, 'Notes', p.notes) ORDER BY p.position)
                       FROM tool_plans p WHERE p.tool_slug = t.slug)),
                   'Verdicts', json((SELECT json_group_array(json_object('ToolSlug', v.tool_slug, 'Verdict', v.verdict, 'Date', v.date, 'QuoteHtml', v.quote_html,
                           'QuoteText', v.quote_text, 'ReviewerSlug', r.slug, 'ReviewerName', r.name, 'Lens', r.lens, 'ReviewerOrder', r.sort_order)
                           ORDER BY r.sort_order IS NULL, r.sort_order, r.name, r.slug)
                       FROM verdicts v JOIN reviewers r ON r.slug = v.reviewer_slug WHERE v.tool_slug = t.slug)))
          FROM tools t
        """;

    /// <summary>Every tool's column, after a full import.</summary>
    public static void RebuildAll(SqliteConnection connection, SqliteTransaction transaction)
    {
        connection.Execute("DELETE FROM tool_columns", transaction: transaction);
        connection.Execute(Select, transaction: transaction);
    }

    /// <summary>
    /// The columns of the given tools (changed, added or removed) and of every tool a changed reviewer judged, after an
    /// import wrote the content tables: rebuilding all of them would cost a one-file edit as much as a cold import.
    /// </summary>
    public static void Rebuild(SqliteConnection connection, SqliteTransaction transaction, IEnumerable<string> tools, IEnumerable<string> reviewers)
    {
        const string Touched = """
            WITH touched(slug) AS (
                SELECT value FROM json_each(@tools)
                UNION SELECT tool_slug FROM verdicts WHERE reviewer_slug IN (SELECT value FROM json_each(@reviewers)))
            """;
        const string Delete = $"{Touched} DELETE FROM tool_columns WHERE slug IN touched";
        const string Insert = $"{Touched} {Select} WHERE t.slug IN touched";
        var parameters = new { tools = SlugList.Json(tools), reviewers = SlugList.Json(reviewers) };
        // A removed reviewer's verdicts are gone already, but their tools' verdict files changed, so they are among the tools.
        connection.Execute(Delete, parameters, transaction);
        connection.Execute(Insert, parameters, transaction);
    }

    /// <summary>A tool's column as stored (<c>tool_columns.json</c>), for a query that reads it beside other rows.</summary>
    public sealed record Stored
    {
        public required string Json { get; init; }
    }

    /// <summary>The column from its stored JSON; community figures are the tallies'.</summary>
    public static ToolColumn Of(string json, VoteTallies tallies)
    {
        var column = JsonSerializer.Deserialize(json, ToolColumnsJson.Default.ToolColumn)!;
        return column with { Tool = column.Tool.WithCommunity(tallies) };
    }

    /// <summary>The columns of the given tools, in the order given; unknown slugs are left out.</summary>
    public static List<ToolColumn> Load(SqliteConnection connection, VoteTallies tallies, IReadOnlyList<string> slugs, SqliteTransaction? transaction = null)
    {
        const string Sql = "SELECT json FROM tool_columns WHERE slug IN @slugs";
        var found = connection.Query<string>(Sql, new { slugs }, transaction).Select(json => Of(json, tallies))
            .ToDictionary(c => c.Tool.Slug, StringComparer.Ordinal);
        return [.. slugs.Where(found.ContainsKey).Select(s => found[s])];
    }
}

[JsonSerializable(typeof(ToolColumn))]
internal sealed partial class ToolColumnsJson : JsonSerializerContext;
