using Dapper;
using Microsoft.Data.Sqlite;

namespace Verdicts.Web.Pages.Shared;

/// <summary>
/// What the pick-two form offers: every tool in lists while there are few enough to scan, else fields to type a
/// tool's name into. Long lists make the home page heavy, and nobody picks from a list that long.
/// </summary>
public sealed record ComparePicker(IReadOnlyList<ComparePicker.Choice>? Choices)
{
    public sealed record Choice
    {
        public required string Slug { get; init; }
        public required string Name { get; init; }
        public required string Category { get; init; }
    }

    /// <summary>What the visitor sent for the first and second tool, shown again when the form comes back with a problem.</summary>
    public (string? A, string? B) Picked { get; init; }

    public string? PickedFor(string field) => field == "a" ? Picked.A : Picked.B;

    public static ComparePicker Load(SqliteConnection connection, int listLimit)
    {
        const string Sql = "SELECT slug, name, category FROM tools ORDER BY category, name, slug LIMIT @take";
        var choices = connection.Query<Choice>(Sql, new { take = listLimit + 1 }).AsList();
        return new ComparePicker(choices.Count > listLimit ? null : choices);
    }
}
