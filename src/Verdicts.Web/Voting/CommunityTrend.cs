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
        /// <summary>The raw share, for the chart's points and its machine-readable data-value; the words use <see cref="Share"/>.</summary>
        public int? Percent => Figures.ShipPercent(Ship, Skip);

        public long Votes => Ship + Skip;

        public CommunityShare Share => new(Ship, Skip);
    }

    public static CommunityTrend Load(SqliteConnection connection, VoteTallies tallies, string slug, DateOnly today) =>
        LoadMany(connection, tallies, [slug], today)[slug];

    /// <summary>The trends of several tools (a comparison page's) from one query by key.</summary>
    public static Dictionary<string, CommunityTrend> LoadMany(SqliteConnection connection, VoteTallies tallies, IReadOnlyList<string> slugs,
        DateOnly today, SqliteTransaction? transaction = null)
    {
        const string Sql = "SELECT tool_slug AS Tool, day, ship, skip FROM vote_days WHERE tool_slug IN @slugs ORDER BY day";
        // The entries are read first: days before an entry's open day were final when it was made, so the query finds them all.
        var open = slugs.Distinct(StringComparer.Ordinal).ToDictionary(s => s, tallies.EntryOf, StringComparer.Ordinal);
        // On PostgreSQL the days are held beside the tallies, so a page never waits on (or fails with) the network.
        if (tallies.HoldsDays)
            return open.ToDictionary(o => o.Key, o => Of([.. tallies.DaysOf(o.Key)], o.Value, tallies.OpenDay, today), StringComparer.Ordinal);
        var rows = connection.Query<(string Tool, string Day, long Ship, long Skip)>(Sql, new { slugs = open.Keys }, transaction)
            .ToLookup(r => r.Tool, StringComparer.Ordinal);
        return open.ToDictionary(o => o.Key, o => Of([.. rows[o.Key].Select(r => (r.Day, r.Ship, r.Skip))], o.Value, tallies.OpenDay, today),
            StringComparer.Ordinal);
    }

    private static CommunityTrend Of(List<(string Day, long Ship, long Skip)> rows, VoteTallies.Entry? open, string openDay, DateOnly today)
    {
        var first = Iso.Day(today.AddDays(-(Length - 1)));
        var before = open?.OpenDay ?? openDay;
        rows = [.. rows.Where(r => string.CompareOrdinal(r.Day, before) < 0)];
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

    /// <summary>The chart's description in one sentence: how the figure moved over the days shown.</summary>
    public string Summary
    {
        get
        {
            var known = Days.Where(d => d.Votes > 0).ToList();
            return known.Count == 0
                ? $"No community votes in the last {Length} days."
                : known.Count == 1 ? $"On {known[0].Date}: {known[0].Share.Summary}."
                : known.Count == Length && known[0].Share == known[^1].Share
                ? $"Unchanged over the last {Length} days: {known[^1].Share.Summary}."
                : $"On {known[0].Date}: {known[0].Share.Summary}. On {known[^1].Date}: {known[^1].Share.Summary}.";
        }
    }

    /// <summary>The days on which the tally changed (the first day shown too, when it started with votes), for the chart's table.</summary>
    public IEnumerable<Day> Changes => Days.Where((d, i) => i == 0 ? d.Votes > 0 : d.Share != Days[i - 1].Share);
}
