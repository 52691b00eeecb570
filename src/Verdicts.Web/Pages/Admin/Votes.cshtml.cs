using System.Globalization;
using Dapper;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Verdicts.Web.Admin;
using Verdicts.Web.Data;
using Verdicts.Web.Pages.Shared;
using Verdicts.Web.Voting;

namespace Verdicts.Web.Pages.Admin;

/// <summary>
/// Community votes: tallies, votes per day, where the community and the panel part ways, votes by network and hour, and
/// withdrawing a vote flood (by tool or by network). Withdrawals are made by the vote writer, which owns the vote rows.
/// </summary>
public sealed class VotesModel(Database database, VoteTallies tallies, VoteWriter votes, AuditLog audit, TimeProvider time, IOptions<VerdictsOptions> options)
    : SitePageModel
{
    private const string Path = "/admin/votes";

    public const int Days = 30;
    public const int DisagreementCount = 10;
    public const int NetworkHourCount = 20;

    /// <summary>The votes cast from one network (a keyed hash of its /24 or /64) within one UTC hour (<c>yyyy-MM-ddTHH</c>).</summary>
    public sealed record NetworkHour
    {
        public required string Network { get; init; }
        public required string Hour { get; init; }
        public long Votes { get; init; }

        public string FromInput => Hour + ":00";
        public string ToInput => Hour + ":59";
    }

    public sealed record ToolTally
    {
        public required string Slug { get; init; }
        public required string Name { get; init; }
        public long Ship { get; init; }
        public long Skip { get; init; }
        public long PanelShip { get; init; }
        public long PanelSkip { get; init; }

        public int? CommunityPercent => Figures.ShipPercent(Ship, Skip);
        public int? PanelPercent => Figures.ShipPercent(PanelShip, PanelSkip);

        /// <summary>Percentage points between the two shown figures, or null unless both exist.</summary>
        public int? Gap => CommunityPercent - PanelPercent is { } difference ? Math.Abs(difference) : null;
    }

    /// <summary>How many current votes were cast on each of the last days, oldest first.</summary>
    public sealed record DailyVotes(IReadOnlyList<(string Date, long Votes)> Counts)
    {
        private const int Step = 20;
        private const int Height = 160;

        public long Max => Counts.Max(c => c.Votes);

        public string Values => string.Join(',', Counts.Select(c => c.Votes.ToString(CultureInfo.InvariantCulture)));

        /// <summary>SVG polyline points: x steps of 20, y 0..160 with the busiest day at the top.</summary>
        public string Points => string.Join(' ', Counts.Select((c, i) =>
            string.Create(CultureInfo.InvariantCulture, $"{i * Step},{Height - (Max == 0 ? 0 : c.Votes * Height / (double)Max):0.#}")));

        public string Area => string.Create(CultureInfo.InvariantCulture, $"0,{Height} {Points} {Right},{Height}");

        public int Right => (Counts.Count - 1) * Step;

        public string Summary
        {
            get
            {
                var total = Counts.Sum(c => c.Votes);
                if (total == 0)
                    return $"No current votes were cast between {Counts[0].Date} and {Counts[^1].Date}.";
                var busiest = Counts.MaxBy(c => c.Votes);
                return $"Votes per day from {Counts[0].Date} to {Counts[^1].Date}: {Figures.Count(total, "vote", "votes")} in all, "
                    + $"most on {busiest.Date} ({busiest.Votes}), {Counts[^1].Votes} today.";
            }
        }
    }

    /// <summary>
    /// A UTC time range as the admin typed it. The end is inclusive to the precision given: a date covers its whole
    /// day, a minute its whole minute. The typed text is kept, so the confirmation step posts back the same range.
    /// </summary>
    public sealed record VoteWindow(DateTime From, DateTime ToExclusive, string FromInput, string ToInput)
    {
        private static readonly string[] Formats = ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd"];
        private static readonly TimeSpan[] Precision = [TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(1), TimeSpan.FromDays(1)];

        /// <summary>The window, or null with a problem to show the admin.</summary>
        public static VoteWindow? Parse(string? from, string? to, out string? problem)
        {
            problem = null;
            if (Read(from) is not { } start || Read(to) is not { } end)
                problem = "Give both ends of the range as a date and time in UTC, such as 2026-03-01T14:30.";
            else if (start.At > end.At)
                problem = "The start of the range must not be after its end.";
            else
                return new VoteWindow(start.At, end.At + end.Unit, from!.Trim(), to!.Trim());
            return null;
        }

        // Compared as text with voted_at: ISO 8601 UTC strings with the same layout sort in time order, and a bound
        // without fraction or "Z" sorts before every stored value of that same second.
        public string FromBound => From.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        public string ToBound => ToExclusive.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);

        public string Describe() => $"{FromInput.Replace('T', ' ')} and {ToInput.Replace('T', ' ')} UTC";

        private static (DateTime At, TimeSpan Unit)? Read(string? value)
        {
            for (var i = 0; i < Formats.Length; i++)
            {
                if (value?.Trim() is { Length: > 0 and <= 19 } text
                    && DateTime.TryParseExact(text, Formats[i], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at)
                    && at < DateTime.MaxValue - Precision[i])
                    return (at, Precision[i]);
            }
            return null;
        }
    }

    public sealed record Withdrawal(string Tool, string ToolName, long Votes, VoteWindow Window);

    /// <summary>Every tool's tally: the disagreements are found among them and a withdrawal names one of them.</summary>
    public IReadOnlyList<ToolTally> Tallies { get; private set; } = [];

    /// <summary>The tallies on this page of the table; at 10 000 tools the whole table was over a megabyte.</summary>
    public IReadOnlyList<ToolTally> TalliesShown => Tallies.Skip(Paging.Offset).Take(Paging.Size).ToList();

    public Paging Paging { get; private set; } = new(1, 1, 0, Path);

    /// <summary>Past the compare form's list limit the withdrawal form takes a typed tool name or slug instead of a list.</summary>
    public bool ToolsListed => Tallies.Count <= options.Value.CompareListLimit;
    public IReadOnlyList<ToolTally> Disagreements { get; private set; } = [];
    public DailyVotes PerDay { get; private set; } = new([]);

    /// <summary>The busiest network-hours of the last days, most votes first.</summary>
    public IReadOnlyList<NetworkHour> Networks { get; private set; } = [];

    /// <summary>Set after a withdrawal: the votes removed and the tool's name, for the notice.</summary>
    public (long Votes, string Tool)? Withdrawn { get; private set; }

    public string? Problem { get; private set; }
    public Withdrawal? Confirming { get; private set; }

    [BindProperty]
    public string? Tool { get; set; }

    [BindProperty]
    public string? From { get; set; }

    [BindProperty]
    public string? To { get; set; }

    [BindProperty]
    public string? Network { get; set; }

    public async Task<IActionResult> OnGetAsync([FromQuery] long? withdrawn, [FromQuery(Name = "tool")] string? withdrawnTool,
        [FromQuery(Name = "network")] string? withdrawnNetwork)
    {
        if (Paging.Requested(Request) is not { } number)
            return NotFound();
        await LoadAsync(number);
        if (!Paging.Exists)
            return NotFound();
        if (withdrawn is { } count && count >= 0 && Tallies.FirstOrDefault(t => t.Slug == withdrawnTool) is { } tool)
            Withdrawn = (count, tool.Name);
        else if (withdrawn is { } fromNetwork && fromNetwork >= 0 && IsNetwork(withdrawnNetwork))
            Withdrawn = (fromNetwork, $"network {withdrawnNetwork![..12]}…");
        return Page();
    }

    public sealed record ExportedVote
    {
        public required string Tool { get; init; }
        public required string Choice { get; init; }
        public required string Day { get; init; }
        public string? Network { get; init; }
    }

    /// <summary>
    /// Every current vote as CSV, streamed as it is read: tool, choice, UTC day and network hash, never the visitor.
    /// Sorted by day and tool rather than by key: the key starts with the visitor, and would keep each visitor's votes together.
    /// </summary>
    public async Task<IActionResult> OnGetCsvAsync()
    {
        DoNotCache();
        const string CountVotes = "SELECT count(*) FROM votes";
        const string SelectVotes = """
            SELECT tool_slug AS Tool, choice AS Choice, substr(voted_at, 1, 10) AS Day, network AS Network FROM votes
            ORDER BY Day, Tool, Choice, Network
            """;
        using var connection = database.ReadWrites();
        // One read snapshot, so the audit's count is the rows sent; the vote writer goes on committing meanwhile.
        using var snapshot = connection is Microsoft.Data.Sqlite.SqliteConnection sqlite ? sqlite.BeginTransaction(deferred: true)
            : connection.BeginTransaction(System.Data.IsolationLevel.RepeatableRead);
        var rows = await connection.ExecuteScalarAsync<long>(CountVotes, transaction: snapshot);
        // Recorded before the first row leaves.
        if (!await ExportAudit.RecordAsync(audit, HttpContext, "export-votes", "votes", rows))
            return new EmptyResult();
        await Csv.StreamAsync(Response, "votes.csv", ["tool", "choice", "day", "network"],
            connection.QueryUnbufferedAsync<ExportedVote>(SelectVotes, transaction: snapshot),
            vote => [vote.Tool, vote.Choice, vote.Day, vote.Network]);
        return new EmptyResult();
    }

    /// <summary>First step: says how many votes the range holds and asks again; deletes nothing.</summary>
    public async Task<IActionResult> OnPostWithdrawAsync()
    {
        await LoadAsync();
        if (Validate() is not { } request)
            return Invalid();
        using var connection = database.ReadWrites();
        var votes = await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM votes WHERE tool_slug = @tool AND voted_at >= @from AND voted_at < @toExclusive",
            new { tool = request.Tool, from = request.Window.FromBound, toExclusive = request.Window.ToBound });
        Confirming = request with { Votes = votes };
        return Page();
    }

    public async Task<IActionResult> OnPostWithdrawConfirmedAsync()
    {
        await LoadAsync();
        if (Validate() is not { } request)
            return Invalid();
        // The writer deletes them in turn with the votes and counts the tool again, which takes them off its tally (on
        // the open day) and drops its cached pages.
        if (await WithdrawAsync(new VoteWriter.VoteFilter(request.Tool, null, request.Window.FromBound, request.Window.ToBound), "votes/" + request.Tool,
                deleted => $"{Figures.Count(deleted, "vote", "votes")} from {request.Window.FromBound}Z to {request.Window.ToBound}Z (end excluded)") is not { } deleted)
            return Page();
        return RedirectToPage("/Admin/Votes", new { withdrawn = deleted, tool = request.Tool });
    }

    /// <summary>Withdraws the votes one network cast in a time range: a row of the network-hour table, posted as it stands.</summary>
    public async Task<IActionResult> OnPostWithdrawNetworkAsync()
    {
        await LoadAsync();
        var window = VoteWindow.Parse(From, To, out var problem);
        if (!IsNetwork(Network))
            problem = "Choose a network from the table of votes by network and hour.";
        if (problem is not null)
        {
            Problem = problem;
            return Invalid();
        }
        if (await WithdrawAsync(new VoteWriter.VoteFilter(null, Network, window!.FromBound, window.ToBound), "votes/network/" + Network,
                deleted => $"{Figures.Count(deleted, "vote", "votes")} from network {Network} from {window.FromBound}Z to {window.ToBound}Z (end excluded)") is not { } deleted)
            return Page();
        return RedirectToPage("/Admin/Votes", new { withdrawn = deleted, network = Network });
    }

    /// <summary>
    /// The votes the writer withdrew, with their audit row in the same transaction, or null (with the page set to say so)
    /// when the database took no change: votes are never withdrawn without the row that says so.
    /// </summary>
    private async Task<long?> WithdrawAsync(VoteWriter.VoteFilter filter, string path, Func<long, string> detail)
    {
        var admin = User.Identity!.Name!;
        try
        {
            var deleted = await votes.WithdrawAsync(filter, (transaction, deleted) =>
                audit.Add(transaction, admin, "withdraw-votes", path, null, null, detail(deleted)));
            audit.Log(admin, "withdraw-votes", path, null, null, detail(deleted));
            return deleted;
        }
        catch (VotesUnavailableException)
        {
            Problem = "The database is not taking changes right now, so nothing was withdrawn. Please try again shortly.";
            Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            Response.Headers.RetryAfter = "5";
            return null;
        }
    }

    /// <summary>A network as the votes keep it: 32 lowercase hex digits (Voting/Visitors.cs).</summary>
    private static bool IsNetwork(string? value) => value is { Length: 32 } && value.All(char.IsAsciiHexDigitLower);

    private Withdrawal? Validate()
    {
        var tool = Resolve(Tool?.Trim());
        var window = VoteWindow.Parse(From, To, out var problem);
        Problem = tool is not null ? problem
            : ToolsListed ? "Choose a tool from the list."
            : $"No tool is called “{Tool?.Trim()}”, or two tools share that name: give its slug, as in its address.";
        return Problem is null ? new Withdrawal(tool!.Slug, tool.Name, 0, window!) : null;
    }

    /// <summary>The tool a withdrawal names: by slug, or (typed) by a name no other tool has, in any case.</summary>
    private ToolTally? Resolve(string? pick)
    {
        if (string.IsNullOrEmpty(pick))
            return null;
        if (Tallies.FirstOrDefault(t => t.Slug == pick) is { } bySlug)
            return bySlug;
        var byName = Tallies.Where(t => string.Equals(t.Name, pick, StringComparison.OrdinalIgnoreCase)).Take(2).ToList();
        return byName.Count == 1 ? byName[0] : null;
    }

    private PageResult Invalid()
    {
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private ToolTally WithCommunity(ToolTally tool)
    {
        var community = tallies.Of(tool.Slug);
        return tool with { Ship = community.Ship, Skip = community.Skip };
    }

    private async Task LoadAsync(int pageNumber = 1)
    {
        DoNotCache();
        Meta = new PageMeta("Votes · Verdicts admin", "Community votes.", Path) { NoIndex = true };
        using var connection = database.Open();
        Tallies = (await connection.QueryAsync<ToolTally>("""
            SELECT t.slug, t.name, t.panel_ship AS PanelShip, t.panel_skip AS PanelSkip
            FROM tools t ORDER BY t.name COLLATE NOCASE, t.slug
            """)).Select(WithCommunity).ToList();
        Paging = new Paging(pageNumber, options.Value.ListPageSize, Tallies.Count, Path);
        Disagreements = Tallies.Where(t => t.Gap is not null)
            .OrderByDescending(t => t.Gap).ThenBy(t => t.Name, StringComparer.OrdinalIgnoreCase)
            .Take(DisagreementCount).ToList();

        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var first = today.AddDays(-(Days - 1));
        // The votes are where the written data is (PostgreSQL when set); the tools are this node's.
        using var written = database.ReadWrites();
        var counts = (await written.QueryAsync<(string Day, long Votes)>("""
            SELECT substr(voted_at, 1, 10) AS day, count(*) FROM votes WHERE voted_at >= @first GROUP BY day
            """, new { first = Iso.Day(first) })).ToDictionary(r => r.Day, r => r.Votes, StringComparer.Ordinal);
        PerDay = new DailyVotes(Enumerable.Range(0, Days)
            .Select(i => Iso.Day(first.AddDays(i)))
            .Select(day => (day, counts.GetValueOrDefault(day))).ToList());

        const string NetworkHours = """
            SELECT network AS Network, substr(voted_at, 1, 13) AS Hour, count(*) AS Votes FROM votes
            WHERE network IS NOT NULL AND voted_at >= @first
            GROUP BY network, Hour ORDER BY Votes DESC, Hour DESC, network LIMIT @limit
            """;
        Networks = (await written.QueryAsync<NetworkHour>(NetworkHours,
            new { first = Iso.Day(first), limit = NetworkHourCount })).ToList();
    }
}
