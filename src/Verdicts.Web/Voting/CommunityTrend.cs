using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;
using Verdicts.Web.Data;

namespace Verdicts.Web.Voting;

/// <summary>
/// A tool's community tally at the end of each of the last days: the final days' changes from <c>vote_days</c>, and the
/// open day's from the tallies in memory (see <see cref="VoteTallies"/>), so the last day ends where the tally stands.
/// </summary>
public sealed record CommunityTrend(IReadOnlyList<CommunityTrend.Day> Days)
{
    public const int Length = 30;

    public sealed record Day(string Date, long Ship, long Skip)
    {
        public int? Percent => Figures.ShipPercent(Ship, Skip);
    }

    public static CommunityTrend Load(SqliteConnection connection, VoteTallies tallies, string slug, DateOnly today)
    {
        var first = Iso.Day(today.AddDays(-(Length - 1)));
        // The entry is read first: days before its open day were final when it was made, so the query finds them all.
        var open = tallies.EntryOf(slug);
        var rows = connection.Query<(string Day, long Ship, long Skip)>(
            "SELECT day, ship, skip FROM vote_days WHERE tool_slug = @slug AND day < @openDay ORDER BY day",
            new { slug, openDay = open?.OpenDay ?? tallies.OpenDay }).AsList();
        if (open is not null && (open.OpenShip != 0 || open.OpenSkip != 0))
            rows.Add((open.OpenDay, open.OpenShip, open.OpenSkip));
        long ship = rows.Where(r => string.CompareOrdinal(r.Day, first) < 0).Sum(r => r.Ship);
        long skip = rows.Where(r => string.CompareOrdinal(r.Day, first) < 0).Sum(r => r.Skip);
        var changes = rows.Where(r => string.CompareOrdinal(r.Day, first) >= 0).ToDictionary(r => r.Day, StringComparer.Ordinal);
        var days = new List<Day>(Length);
        for (var i = 0; i < Length; i++)
        {
            var date = Iso.Day(today.AddDays(i - (Length - 1)));
            if (changes.TryGetValue(date, out var change))
            {
                ship += change.Ship;
                skip += change.Skip;
            }
            days.Add(new Day(date, ship, skip));
        }
        return new CommunityTrend(days);
    }

    /// <summary>SVG polyline points (x 0..290, y 0..100 with 100% at the top) for the days that had votes.</summary>
    public string Points => string.Join(' ', Days.Select((d, i) => (d, i)).Where(p => p.d.Percent is not null)
        .Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.i * 10},{100 - p.d.Percent!.Value}")));

    public string Summary
    {
        get
        {
            var known = Days.Where(d => d.Percent is not null).ToList();
            return known.Count == 0
                ? "No community votes in the last 30 days."
                : $"Community ship share over the last 30 days: {known[0].Percent}% on {known[0].Date}, {known[^1].Percent}% on {known[^1].Date}.";
        }
    }
}
