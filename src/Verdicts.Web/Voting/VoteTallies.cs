using System.Collections.Concurrent;
using System.Data.Common;
using Dapper;
using Verdicts.Web.Data;

namespace Verdicts.Web.Voting;

public sealed record Tally(long Ship, long Skip)
{
    public static readonly Tally None = new(0, 0);

    public int? Percent => Figures.ShipPercent(Ship, Skip);
}

/// <summary>
/// Every tool's community tally, held in memory: counted from the votes when the site starts, then kept by the
/// <see cref="VoteWriter"/>, the only code that changes it, after each of its commits. Pages read it without a query.
/// </summary>
/// <remarks>
/// <para>
/// The votes table is the record; <c>vote_days</c> holds each tool's net change per UTC day for the trend charts. Days
/// before the open day (<c>vote_days_open</c>) are final there. The open day's changes are held here, as each tool's
/// <see cref="Entry.OpenShip"/> and <see cref="Entry.OpenSkip"/>, and written to <c>vote_days</c> when the writer
/// first commits on a later day, in that commit, and when the site stops. Rows for the open day or later are
/// provisional: readers ignore them, and the writer overwrites them.
/// </para>
/// <para>
/// Kept by triggers instead, every vote rewrote its tool's <c>vote_days</c> row, on a page of its own when votes spread
/// over many tools; the write, its page in the log, the checkpoint's copy and the read of the new tally were a large
/// share of a vote's CPU (bench/README.md). Nothing is lost if the process is killed: the open day's changes are
/// the difference between the votes and the final days, so they are counted again at the next start.
/// </para>
/// <para>
/// On PostgreSQL (several nodes writing) no day is held open: the writer brings each changed tool's row for today up to
/// date in every batch, so every day is final (<see cref="AllDaysFinal"/>); the tallies and each tool's days are read
/// from PostgreSQL into memory, after each commit and whenever another node says it changed them
/// (<see cref="PostgresNotices"/>), so pages still read them without crossing the network.
/// </para>
/// </remarks>
public sealed class VoteTallies
{
    /// <summary>
    /// A tool's tally, and the part of it that came on <see cref="OpenDay"/>, in one object so that a reader sees the
    /// two together.
    /// </summary>
    public sealed record Entry(long Ship, long Skip, string OpenDay, long OpenShip, long OpenSkip)
    {
        public Tally Tally => new(Ship, Skip);

        /// <summary>The tally after a change on <paramref name="day"/>, the open day.</summary>
        internal Entry Plus(long ship, long skip, string day) => day == OpenDay
            ? new(Ship + ship, Skip + skip, day, OpenShip + ship, OpenSkip + skip)
            : new(Ship + ship, Skip + skip, day, ship, skip);
    }

    /// <summary>The open day on PostgreSQL, later than any real one: every day's row in <c>vote_days</c> is final.</summary>
    public const string AllDaysFinal = "9999-12-31";

    private readonly ConcurrentDictionary<string, Entry> entries;

    // On PostgreSQL only: each tool's vote_days rows, oldest first, for the trend charts.
    private readonly ConcurrentDictionary<string, IReadOnlyList<(string Day, long Ship, long Skip)>>? days;

    private VoteTallies(ConcurrentDictionary<string, Entry> entries, string openDay, bool openDayStored, IReadOnlyCollection<string> provisional,
        ConcurrentDictionary<string, IReadOnlyList<(string Day, long Ship, long Skip)>>? days = null)
    {
        this.entries = entries;
        this.days = days;
        OpenDay = openDay;
        OpenDayStored = openDayStored;
        Provisional = provisional;
    }

    /// <summary>The day whose changes are not yet in <c>vote_days</c>. Changed only by the writer.</summary>
    public string OpenDay { get; internal set; }

    /// <summary>False until the writer has stored <see cref="OpenDay"/> (a database from before tallies were kept here).</summary>
    internal bool OpenDayStored { get; set; }

    /// <summary>Tools found at start with rows for the open day or later, which the writer must bring up to date.</summary>
    internal IReadOnlyCollection<string> Provisional { get; }

    public Tally Of(string slug) => entries.TryGetValue(slug, out var entry) ? entry.Tally : Tally.None;

    public Entry? EntryOf(string slug) => entries.GetValueOrDefault(slug);

    /// <summary>Whether any vote, or any day's change, was ever kept under this slug.</summary>
    public bool Has(string slug) => entries.ContainsKey(slug);

    internal IEnumerable<KeyValuePair<string, Entry>> All => entries;

    internal void Set(string slug, Entry entry) => entries[slug] = entry;

    internal void Remove(string slug) => entries.TryRemove(slug, out _);

    /// <summary>Whether the days are held here (PostgreSQL) rather than read from the local file's <c>vote_days</c>.</summary>
    internal bool HoldsDays => days is not null;

    /// <summary>A tool's rows of <c>vote_days</c>, oldest first, as last read from PostgreSQL; empty on SQLite.</summary>
    internal IReadOnlyList<(string Day, long Ship, long Skip)> DaysOf(string slug) => days?.GetValueOrDefault(slug) ?? [];

    /// <summary>Counts every tool's votes, and sums its final days, in one read snapshot.</summary>
    public static VoteTallies Load(Database database, DateOnly today)
    {
        if (database.OnPostgres)
        {
            var tallies = new VoteTallies(new(StringComparer.Ordinal), AllDaysFinal, true, [], new(StringComparer.Ordinal));
            using var postgres = database.ReadWrites();
            tallies.Read(postgres, null);
            return tallies;
        }
        const string openDaySql = "SELECT day FROM vote_days_open";
        const string daysSql = """
            SELECT tool_slug AS Tool, sum(iif(day < @openDay, ship, 0)) AS FinalShip, sum(iif(day < @openDay, skip, 0)) AS FinalSkip,
                   max(day >= @openDay) AS Provisional
            FROM vote_days GROUP BY tool_slug
            """;
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction(deferred: true);
        var stored = connection.QueryFirstOrDefault<string>(openDaySql, transaction: transaction);
        var openDay = stored ?? Iso.Day(today);

        var entries = new ConcurrentDictionary<string, Entry>(StringComparer.Ordinal);
        foreach (var count in Count(connection, transaction, null))
            entries[count.Tool] = new Entry(count.Ship, count.Skip, openDay, count.Ship, count.Skip);
        var provisional = new List<string>();
        foreach (var day in connection.Query<DaySums>(daysSql, new { openDay }, transaction))
        {
            var (nowShip, nowSkip) = entries.TryGetValue(day.Tool, out var counted) ? (counted.Ship, counted.Skip) : (0L, 0L);
            entries[day.Tool] = new Entry(nowShip, nowSkip, openDay, nowShip - day.FinalShip, nowSkip - day.FinalSkip);
            if (day.Provisional)
                provisional.Add(day.Tool);
        }
        return new VoteTallies(entries, openDay, stored is not null, provisional);
    }

    // Rows with settable properties rather than positional records: SQLite gives a computed column no type when the
    // result is empty, and Dapper matches a record's constructor by the columns' types.
    private sealed record DaySums
    {
        public required string Tool { get; init; }
        public long FinalShip { get; init; }
        public long FinalSkip { get; init; }
        public bool Provisional { get; init; }
    }

    internal sealed record ToolCount
    {
        public required string Tool { get; init; }
        public long Ship { get; init; }
        public long Skip { get; init; }
    }

    /// <summary>Current ship and skip counts from the votes table, of the given tools or (null) of every tool.</summary>
    internal static List<ToolCount> Count(DbConnection connection, DbTransaction? transaction, IReadOnlyCollection<string>? tools)
    {
        // In SQLite the votes are keyed by visitor, so either way this reads the whole table; it runs at start and after
        // an admin or an import moves or withdraws votes, never for a vote. PostgreSQL reads them by tool (its migration 004).
        const string everyTool = """
            SELECT tool_slug AS Tool, count(*) FILTER (WHERE choice = 'ship') AS Ship, count(*) FILTER (WHERE choice = 'skip') AS Skip
            FROM votes GROUP BY tool_slug
            """;
        // The same list, as Dapper expands it for SQLite and as an array for PostgreSQL.
        const string someToolsSqlite = """
            SELECT tool_slug AS Tool, count(*) FILTER (WHERE choice = 'ship') AS Ship, count(*) FILTER (WHERE choice = 'skip') AS Skip
            FROM votes WHERE tool_slug IN @tools GROUP BY tool_slug
            """;
        const string someToolsPostgres = """
            SELECT tool_slug AS Tool, count(*) FILTER (WHERE choice = 'ship') AS Ship, count(*) FILTER (WHERE choice = 'skip') AS Skip
            FROM votes WHERE tool_slug = ANY(@tools) GROUP BY tool_slug
            """;
        return tools is null
            ? connection.Query<ToolCount>(everyTool, transaction: transaction).AsList()
            : connection.Query<ToolCount>(connection is Npgsql.NpgsqlConnection ? someToolsPostgres : someToolsSqlite,
                new { tools = tools.Distinct(StringComparer.Ordinal).ToArray() }, transaction).AsList();
    }

    /// <summary>
    /// On PostgreSQL: reads these tools' tallies and days (null: every tool's) and keeps them; returns the tools whose
    /// tally or days differ from what was kept. The writer and the listener call it in turn (under the writer's lock),
    /// so the last read kept is the latest.
    /// </summary>
    internal IReadOnlyCollection<string> Read(DbConnection postgres, IReadOnlyCollection<string>? tools)
    {
        const string everyDay = "SELECT tool_slug AS Tool, day AS Day, ship AS Ship, skip AS Skip FROM vote_days ORDER BY tool_slug, day";
        const string someDays = "SELECT tool_slug AS Tool, day AS Day, ship AS Ship, skip AS Skip FROM vote_days WHERE tool_slug = ANY(@tools) ORDER BY tool_slug, day";
        var counts = Count(postgres, null, tools).ToDictionary(c => c.Tool, StringComparer.Ordinal);
        var rows = (tools is null
            ? postgres.Query<(string Tool, string Day, long Ship, long Skip)>(everyDay)
            : postgres.Query<(string Tool, string Day, long Ship, long Skip)>(someDays, new { tools = tools.Distinct(StringComparer.Ordinal).ToArray() }))
            .GroupBy(r => r.Tool, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<(string, long, long)>)[.. g.Select(r => (r.Day, r.Ship, r.Skip))], StringComparer.Ordinal);
        var changed = new List<string>();
        foreach (var tool in (tools ?? entries.Keys.Concat(days!.Keys)).Concat(counts.Keys).Concat(rows.Keys).Distinct(StringComparer.Ordinal).ToList())
        {
            var entry = counts.TryGetValue(tool, out var count) ? new Entry(count.Ship, count.Skip, AllDaysFinal, 0, 0) : null;
            var toolDays = rows.GetValueOrDefault(tool);
            if (entries.GetValueOrDefault(tool) != entry || !DaysOf(tool).SequenceEqual(toolDays ?? []))
                changed.Add(tool);
            if (entry is null)
                entries.TryRemove(tool, out _);
            else
                entries[tool] = entry;
            if (toolDays is null)
                days!.TryRemove(tool, out _);
            else
                days![tool] = toolDays;
        }
        return changed;
    }
}
