using System.Data.Common;
using System.Threading.Channels;
using Dapper;
using Microsoft.Data.Sqlite;
using Verdicts.Web.Content;
using Verdicts.Web.Data;

namespace Verdicts.Web.Voting;

/// <summary>The database could not take the vote now; nothing was acknowledged.</summary>
public sealed class VotesUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// The single writer of votes. Requests queue their vote and wait; the writer commits whatever has queued
/// in one transaction and only then completes each request with its tool's new tally, so an acknowledged
/// vote is always a committed one, and a burst costs one commit instead of hundreds. It alone changes the
/// <see cref="VoteTallies"/>, after each commit, and writes the days they close to <c>vote_days</c>.
/// </summary>
/// <remarks>
/// It alone changes vote rows, too: moving a renamed tool's votes to it (<see cref="FollowAliasesAsync"/>) and
/// withdrawing a flood (<see cref="WithdrawAsync"/>) run in turn with the votes. Which votes move is read from the
/// content's <c>tool_aliases</c> table, when the writer starts and after every import, so it does not matter whether
/// the writer or the content starts first. A vote queued under a slug that has since become an alias is written under
/// its tool, so no vote lands under the old slug once its votes have moved.
/// </remarks>
public sealed class VoteWriter(Database database, VoteTallies tallies, ContentImporter importer, TimeProvider time, IHostApplicationLifetime lifetime,
    ILogger<VoteWriter> logger)
    : IHostedService
{
    private const int MaxBatch = 512;
    // SQLite's own checkpoint, inside a commit, once the log reaches 2 000 pages (8 MB). It copies only what the
    // periodic ones (WalCheckpointer) have not, and restarts the log, which they cannot do while commits keep coming.
    private const int AutomaticCheckpointPages = 2000;
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(6);
    private static readonly TimeSpan StopLimit = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A vote waiting to be committed; or (with <see cref="Recount"/>) tools whose tallies must be counted again; or
    /// (with <see cref="FollowAliases"/>) a request to move the votes of the content's aliases to their tools; or (with
    /// <see cref="Withdrawal"/>) votes to delete.
    /// </summary>
    private sealed class Pending : TaskCompletionSource<Tally>
    {
        public Pending(string tool, string voter, string? choice, bool newVoter, string at, string? network)
            : base(TaskCreationOptions.RunContinuationsAsynchronously) =>
            (Tool, Voter, Choice, NewVoter, At, Network) = (tool, voter, choice, newVoter, at, network);

        public Pending(IReadOnlyCollection<string>? recount = null, bool followAliases = false, VoteFilter? withdrawal = null)
            : base(TaskCreationOptions.RunContinuationsAsynchronously) =>
            (Tool, Voter, At, Recount, FollowAliases, Withdrawal) = ("", "", "", recount, followAliases, withdrawal);

        /// <summary>The tool named by the request; the writer replaces an alias with its tool.</summary>
        public string Tool { get; set; }
        public string Voter { get; }
        public string? Choice { get; }
        public bool NewVoter { get; }
        public string At { get; }
        public string? Network { get; }
        public IReadOnlyCollection<string>? Recount { get; }
        public bool FollowAliases { get; }
        public VoteFilter? Withdrawal { get; }

        /// <summary>How many votes a withdrawal deleted.</summary>
        public long Deleted { get; set; }

        /// <summary>Adds a withdrawal's audit row in the writer's transaction, given how many votes it deleted.</summary>
        public Action<DbTransaction, long>? RecordWithdrawal { get; init; }

        public bool IsVote => Recount is null && !FollowAliases && Withdrawal is null;
    }

    /// <summary>The votes a withdrawal deletes: cast in [From, ToExclusive) (ISO 8601 UTC), of one tool and/or from one network.</summary>
    public sealed record VoteFilter(string? Tool, string? Network, string From, string ToExclusive);

    private readonly Channel<Pending> queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(20_000)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    // Former slug to tool, as the writer last read them from tool_aliases. Replaced whole by the writer's thread; read
    // elsewhere only to see whether an import changed them.
    private volatile IReadOnlyDictionary<string, string> aliases = new Dictionary<string, string>(StringComparer.Ordinal);

    // The aliases' votes could not be moved with their batch: they are moved with the next batch that commits. Only the
    // writer's thread uses it.
    private bool followAliasesLater;

    // Tools whose open-day change differs from their vote_days row for the open day. Only the writer's thread uses it.
    private readonly HashSet<string> unwritten = new(StringComparer.Ordinal);

    // Tools whose recount failed with its batch: their votes were changed by someone else, so they are counted again
    // with the next batch that commits. Only the writer's thread uses it.
    private readonly HashSet<string> recountLater = new(StringComparer.Ordinal);

    /// <summary>Raised after each commit with the tools whose tallies changed.</summary>
    public event Action<IReadOnlyCollection<string>>? Committed;

    /// <param name="choice">"ship", "skip", or null to withdraw the vote.</param>
    /// <param name="newVoter">The visitor's id was made for this request, so no vote of theirs can exist yet.</param>
    /// <param name="network">A keyed hash of the visitor's network (Visitors.NetworkOf), kept with the vote.</param>
    public async Task<Tally> SubmitAsync(string tool, string voter, string? choice, bool newVoter, DateTimeOffset at, string? network = null)
    {
        var pending = new Pending(tool, voter, choice, newVoter,
            at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture), network);
        if (!queue.Writer.TryWrite(pending))
            throw new VotesUnavailableException("too many votes are waiting");
        try
        {
            return await pending.Task.WaitAsync(WaitLimit);
        }
        catch (TimeoutException ex)
        {
            // The batch may still commit later; the visitor was not told it did, and voting again is idempotent.
            throw new VotesUnavailableException("the database did not answer in time", ex);
        }
    }

    /// <summary>
    /// Counts these tools' tallies again from the votes table, after something other than a vote (an admin's rename
    /// or withdrawal, an import adopting an alias's votes) changed their votes. Completes once the new tallies are kept.
    /// If the database is not taking writes it fails, and the writer counts them again once it commits again.
    /// </summary>
    public Task RecountAsync(IReadOnlyCollection<string> tools)
    {
        var pending = new Pending(recount: tools);
        return queue.Writer.TryWrite(pending) ? pending.Task : Task.FromException(new VotesUnavailableException("the vote writer is not running"));
    }

    /// <summary>Deletes the votes the filter selects, in turn with the votes, and counts their tools again; returns how many it deleted.</summary>
    /// <param name="record">
    /// Adds the audit row that goes with the withdrawal, in the same transaction (given how many votes it deleted): if it
    /// throws, no vote is deleted.
    /// </param>
    /// <exception cref="VotesUnavailableException">Nothing was deleted (or, after a timeout, it is not known whether it was).</exception>
    public async Task<long> WithdrawAsync(VoteFilter filter, Action<DbTransaction, long> record)
    {
        var pending = new Pending(withdrawal: filter) { RecordWithdrawal = record };
        if (!queue.Writer.TryWrite(pending))
            throw new VotesUnavailableException("the vote writer is not running");
        try
        {
            await pending.Task.WaitAsync(WaitLimit);
        }
        catch (TimeoutException ex)
        {
            throw new VotesUnavailableException("the database did not answer in time", ex);
        }
        return pending.Deleted;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Tools whose open-day change was never written, or whose provisional row (written when the site last stopped,
        // or by the triggers that kept the days before) may no longer match.
        foreach (var (tool, entry) in tallies.All)
        {
            if (entry.OpenShip != 0 || entry.OpenSkip != 0)
                unwritten.Add(tool);
        }
        unwritten.UnionWith(tallies.Provisional);
        // Hosted services are stopped before the server has finished the requests in flight, so the writer keeps
        // going until the application has stopped; only then is the queue closed and drained, and the process waits
        // for the writer to write the open day's changes before it exits.
        var writing = Task.Run(WriteAsync, CancellationToken.None);
        lifetime.ApplicationStopped.Register(() =>
        {
            queue.Writer.TryComplete();
            if (!writing.Wait(StopLimit))
                logger.LogWarning("The vote writer did not finish within {Seconds} s of the site stopping", StopLimit.TotalSeconds);
        });
        // Told first, then caught up with the aliases already in the database (an import before this start, or a rename
        // made while the site was stopped): the writer and the content may start in either order.
        importer.Imported += FollowAliasesAfterImport;
        await FollowAliasesAsync();
    }

    /// <summary>
    /// From now on votes under an alias in <c>tool_aliases</c> are written under its tool, and the votes already under
    /// it move there (a visitor who voted under both keeps the later vote), all in the writer's turn, so none can land
    /// under the alias after its votes moved. Idempotent. If the database is not taking writes, the aliases are followed
    /// with the next batch that commits.
    /// </summary>
    private async Task FollowAliasesAsync()
    {
        var pending = new Pending(followAliases: true);
        try
        {
            // Nothing to do when the aliases are the ones the writer already follows and none holds votes.
            var current = ReadAliases();
            var known = aliases;
            if (current.Count == known.Count && current.All(a => known.TryGetValue(a.Key, out var tool) && tool == a.Value)
                && !current.Keys.Any(tallies.Has))
                return;
            if (!queue.Writer.TryWrite(pending))
                throw new VotesUnavailableException("the vote writer is not running");
            await pending.Task.WaitAsync(WaitLimit);
        }
        catch (Exception ex) when (ex is VotesUnavailableException or TimeoutException or DbException)
        {
            logger.LogWarning("Could not move the votes of renamed tools yet: {Reason}", ex.Message);
        }
    }

    // Raised on the reload thread before the import's content is served: it waits, so a renamed tool is never shown
    // without the votes of its former slug.
    private void FollowAliasesAfterImport() => FollowAliasesAsync().GetAwaiter().GetResult();

    public Task StopAsync(CancellationToken cancellationToken)
    {
        importer.Imported -= FollowAliasesAfterImport;
        return Task.CompletedTask;
    }

    private async Task WriteAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        var failed = false;
        try
        {
            while (await queue.Reader.WaitToReadAsync())
            {
                batch.Clear();
                while (batch.Count < MaxBatch && queue.Reader.TryRead(out var next))
                    batch.Add(next);
                // Aliases an earlier batch failed to follow are followed ahead of this batch's votes.
                if (followAliasesLater)
                    batch.Insert(0, new Pending(followAliases: true));
                DbConnection? connection = null;
                try
                {
                    if (failed && !database.OnPostgres)
                    {
                        // SQLite shares a file's WAL index among all connections of the process; if pooled readers
                        // opened it read-only during the fault, a new writer would inherit that. Start afresh.
                        database.CloseIdleConnections();
                    }
                    connection = database.OpenWrites();
                    // Votes are written only into the file the site started on, and acknowledged only if it is still
                    // there once committed: one deleted or replaced meanwhile would lose them at the next start.
                    ThrowIfFileLost();
                    var changed = Commit(connection, batch);
                    ThrowIfFileLost();
                    // Evict cached pages before acknowledging, so the page a visitor is sent back to shows the new tally.
                    if (changed.Count > 0)
                        Committed?.Invoke(changed);
                    foreach (var pending in batch)
                        pending.TrySetResult(pending.IsVote ? tallies.Of(pending.Tool) : Tally.None);
                    failed = followAliasesLater = false;
                }
                catch (Exception ex) when (ex is DbException or InvalidOperationException or IOException or TimeoutException)
                {
                    logger.LogWarning("Could not commit {Count} votes: {Reason}", batch.Count, ex.Message);
                    foreach (var pending in batch)
                    {
                        if (pending.Recount is { } tools)
                            recountLater.UnionWith(tools);
                        pending.TrySetException(new VotesUnavailableException("the database is not taking votes right now", ex));
                    }
                    followAliasesLater = batch.Exists(p => p.FollowAliases);
                    // Out of the pool too, so a handle opened read-only (or on a full disk) is not reused once the fault clears.
                    if (connection is SqliteConnection sqlite)
                        SqliteConnection.ClearPool(sqlite);
                    failed = true;
                }
                finally
                {
                    connection?.Dispose();
                }
            }
        }
        finally
        {
            if (!failed)
                WriteOpenDayOnStop();
            while (queue.Reader.TryRead(out var left))
                left.TrySetException(new VotesUnavailableException("the site is shutting down"));
        }
    }

    private void ThrowIfFileLost()
    {
        if (!database.OnPostgres && database.FileProblem() is { } problem)
            throw new IOException(problem);
    }

    /// <summary>
    /// Commits the batch; only then are the new tallies kept. On SQLite, a batch on a later day than the open one first
    /// writes the open day's changes to vote_days, in the same transaction, and the later day becomes the open one. On
    /// PostgreSQL, where other nodes write too, every changed tool's row for today is brought up to date in the batch, the
    /// other nodes are told which tools changed (a notice sent only if the batch commits), and the tallies are read back.
    /// </summary>
    /// <returns>The tools whose tallies changed.</returns>
    private IReadOnlyCollection<string> Commit(DbConnection connection, List<Pending> batch)
    {
        var onPostgres = database.OnPostgres;
        var openDay = tallies.OpenDay;
        var today = Iso.Day(time.GetUtcNow());
        // A clock set back keeps the open day: vote_days are never written for a day before one already closed.
        var day = onPostgres ? today : string.CompareOrdinal(today, openDay) > 0 ? today : openDay;
        var closesDay = !onPostgres && (day != openDay || !tallies.OpenDayStored);
        var changed = new Dictionary<string, VoteTallies.Entry?>(StringComparer.Ordinal);
        // The aliases votes follow, as of this point in the batch; kept only once the batch commits.
        var following = aliases;

        // Per connection: SQLite's own checkpoint inside a commit (see AutomaticCheckpointPages).
        if (!onPostgres)
            connection.Execute($"PRAGMA wal_autocheckpoint = {AutomaticCheckpointPages};");
        // On SQLite an immediate transaction: the write lock is taken at the start, not on the first write.
        using (var transaction = connection.BeginTransaction())
        {
            if (closesDay)
            {
                WriteDays(connection, transaction, unwritten, openDay);
                SetOpenDay(connection, transaction, day);
            }
            if (recountLater.Count > 0)
            {
                foreach (var (tool, entry) in Recount(connection, transaction, recountLater, day))
                    changed[tool] = entry;
            }
            foreach (var pending in batch)
            {
                if (!pending.IsVote)
                {
                    var tools = pending.Recount
                        ?? (pending.FollowAliases ? MoveVotesOfAliases(connection, transaction, following = ReadAliases(), changed)
                            : Withdraw(connection, transaction, pending));
                    foreach (var (tool, entry) in Recount(connection, transaction, tools, day))
                        changed[tool] = entry;
                    continue;
                }
                if (following.TryGetValue(pending.Tool, out var renamed))
                    pending.Tool = renamed;
                var (ship, skip) = Vote(connection, transaction, pending);
                if (ship == 0 && skip == 0)
                    continue;
                var before = changed.TryGetValue(pending.Tool, out var pendingEntry) ? pendingEntry : tallies.EntryOf(pending.Tool);
                changed[pending.Tool] = (before ?? new VoteTallies.Entry(0, 0, day, 0, 0)).Plus(ship, skip, day);
            }
            if (onPostgres && changed.Count > 0)
            {
                BalanceDays(connection, transaction, changed.Keys, day);
                PostgresNotices.Notify(connection, transaction, PostgresNotices.Votes, changed.Keys);
            }
            transaction.Commit();
        }

        aliases = following;
        recountLater.Clear();
        if (onPostgres)
        {
            // Read back rather than added up here: other nodes may have changed the same tools meanwhile.
            if (changed.Count > 0)
                ReadTallies(connection, changed.Keys);
            return changed.Keys;
        }
        if (closesDay)
        {
            unwritten.Clear();
            tallies.OpenDay = day;
            tallies.OpenDayStored = true;
        }
        foreach (var (tool, entry) in changed)
        {
            if (entry is null)
                tallies.Remove(tool);
            else
                tallies.Set(tool, entry);
            unwritten.Add(tool);
        }
        return changed.Keys;
    }

    // The writer's reads after its commits and the listener's reads after notices, one at a time: the last kept is the latest.
    private readonly Lock reading = new();

    private IReadOnlyCollection<string> ReadTallies(DbConnection postgres, IReadOnlyCollection<string>? tools)
    {
        lock (reading)
            return tallies.Read(postgres, tools);
    }

    /// <summary>
    /// On PostgreSQL, after another node (or this one) said these tools' votes changed (null: any may have, after the
    /// listener reconnected): reads their tallies again, and evicts the pages of those that differ.
    /// </summary>
    internal void ReadChangesElsewhere(IReadOnlyCollection<string>? tools)
    {
        IReadOnlyCollection<string> changed;
        using (var postgres = database.ReadWrites())
            changed = ReadTallies(postgres, tools);
        if (changed.Count > 0)
            Committed?.Invoke(changed);
    }

    /// <summary>Every alias of a published tool, and its tool, as the content's last import left them (in this node's file).</summary>
    private Dictionary<string, string> ReadAliases()
    {
        using var connection = database.Open();
        return connection.Query<(string Alias, string Tool)>("SELECT alias, tool_slug FROM tool_aliases")
            .ToDictionary(a => a.Alias, a => a.Tool, StringComparer.Ordinal);
    }

    /// <summary>
    /// Moves the votes under each alias to its tool. A visitor who voted under both keeps the later vote: the earlier is
    /// deleted, and counts as withdrawn on the open day once the tallies are counted again. The day totals move with the
    /// votes. Only aliases that hold votes (counted, or written earlier in this batch) are looked at.
    /// </summary>
    /// <returns>The aliases and tools whose votes moved, to be counted again.</returns>
    private IReadOnlyCollection<string> MoveVotesOfAliases(DbConnection connection, DbTransaction transaction,
        IReadOnlyDictionary<string, string> imported, Dictionary<string, VoteTallies.Entry?> changed)
    {
        const string Move = """
            DELETE FROM votes WHERE tool_slug IN (@alias, @tool) AND EXISTS (
                SELECT 1 FROM votes later
                WHERE later.voter = votes.voter AND later.tool_slug IN (@alias, @tool) AND later.tool_slug <> votes.tool_slug
                  AND (later.voted_at > votes.voted_at OR (later.voted_at = votes.voted_at AND later.tool_slug = @tool)));
            UPDATE votes SET tool_slug = @tool WHERE tool_slug = @alias;
            INSERT INTO vote_days (tool_slug, day, ship, skip) SELECT @tool, day, ship, skip FROM vote_days WHERE tool_slug = @alias
                ON CONFLICT (tool_slug, day) DO UPDATE SET ship = vote_days.ship + excluded.ship, skip = vote_days.skip + excluded.skip;
            DELETE FROM vote_days WHERE tool_slug = @alias;
            """;
        var moves = imported.Where(a => tallies.Has(a.Key) || changed.ContainsKey(a.Key)).ToList();
        foreach (var (alias, tool) in moves)
            connection.Execute(Move, new { alias, tool }, transaction);
        return [.. moves.SelectMany(m => new[] { m.Key, m.Value }).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>Deletes the votes a withdrawal selects; returns the tools they were for, to be counted again.</summary>
    private static IReadOnlyCollection<string> Withdraw(DbConnection connection, DbTransaction transaction, Pending pending)
    {
        // Typed, so that PostgreSQL knows the parameters' type when they are null.
        const string Where = """
            WHERE (CAST(@Tool AS TEXT) IS NULL OR tool_slug = @Tool) AND (CAST(@Network AS TEXT) IS NULL OR network = @Network)
              AND voted_at >= @From AND voted_at < @ToExclusive
            """;
        var filter = pending.Withdrawal!;
        var tools = connection.Query<string>("SELECT DISTINCT tool_slug FROM votes " + Where, filter, transaction).ToList();
        pending.Deleted = connection.Execute("DELETE FROM votes " + Where, filter, transaction);
        pending.RecordWithdrawal?.Invoke(transaction, pending.Deleted);
        return tools;
    }

    /// <summary>
    /// The tools' entries counted afresh: votes now, final days before <paramref name="day"/>; null for a tool with neither.
    /// On PostgreSQL only the tools are noted (each with a null entry): their tallies are read back once the batch commits.
    /// </summary>
    private IEnumerable<(string Tool, VoteTallies.Entry? Entry)> Recount(DbConnection connection, DbTransaction transaction,
        IReadOnlyCollection<string> tools, string day)
    {
        if (database.OnPostgres)
            return tools.Distinct(StringComparer.Ordinal).Select(t => (t, (VoteTallies.Entry?)null));
        const string FinalDays = """
            SELECT tool_slug, sum(ship), sum(skip) FROM vote_days WHERE tool_slug IN @tools AND day < @day GROUP BY tool_slug
            """;
        var votes = VoteTallies.Count(connection, transaction, tools).ToDictionary(c => c.Tool, StringComparer.Ordinal);
        var final = connection.Query<(string Tool, long Ship, long Skip)>(FinalDays, new { tools = tools.Distinct(StringComparer.Ordinal).ToArray(), day }, transaction)
            .ToDictionary(c => c.Tool, StringComparer.Ordinal);
        return tools.Distinct(StringComparer.Ordinal).Select(tool =>
        {
            if (!votes.TryGetValue(tool, out var now) && !final.ContainsKey(tool))
                return (tool, (VoteTallies.Entry?)null);
            var (ship, skip) = now is null ? (0L, 0L) : (now.Ship, now.Skip);
            var before = final.GetValueOrDefault(tool);
            return (tool, new VoteTallies.Entry(ship, skip, day, ship - before.Ship, skip - before.Skip));
        }).ToList();
    }

    /// <summary>
    /// PostgreSQL: adds to each tool's row for <paramref name="day"/> what its votes differ from the sum of its days, so
    /// the days always add up to the votes. Counted and summed in one snapshot, so a batch of another node committing
    /// meanwhile is in neither, and its own change is added to the row after this one (the row's lock orders them).
    /// </summary>
    private static void BalanceDays(DbConnection connection, DbTransaction transaction, IEnumerable<string> tools, string day)
    {
        const string Balance = """
            INSERT INTO vote_days (tool_slug, day, ship, skip)
            SELECT tool, @day, ship, skip FROM (
                SELECT t.tool,
                    (SELECT count(*) FROM votes WHERE tool_slug = t.tool AND choice = 'ship') - (SELECT coalesce(sum(ship), 0) FROM vote_days WHERE tool_slug = t.tool) AS ship,
                    (SELECT count(*) FROM votes WHERE tool_slug = t.tool AND choice = 'skip') - (SELECT coalesce(sum(skip), 0) FROM vote_days WHERE tool_slug = t.tool) AS skip
                FROM unnest(@tools) AS t(tool)) AS difference
            WHERE ship <> 0 OR skip <> 0
            ORDER BY tool
            ON CONFLICT (tool_slug, day) DO UPDATE SET ship = vote_days.ship + excluded.ship, skip = vote_days.skip + excluded.skip
            """;
        // In one order on every node, so two batches touching the same rows wait for each other rather than deadlock.
        connection.Execute(Balance, new { tools = tools.Order(StringComparer.Ordinal).ToArray(), day }, transaction);
    }

    /// <summary>Records the vote, or its withdrawal; returns the change to the tool's ship and skip counts.</summary>
    private static (long Ship, long Skip) Vote(DbConnection connection, DbTransaction transaction, Pending vote)
    {
        const string Insert = """
            INSERT INTO votes (voter, tool_slug, choice, voted_at, network) VALUES (@Voter, @Tool, @Choice, @At, @Network)
            ON CONFLICT (voter, tool_slug) DO NOTHING
            """;
        const string ReadChoice = "SELECT choice FROM votes WHERE voter = @Voter AND tool_slug = @Tool";
        const string Update = "UPDATE votes SET choice = @Choice, voted_at = @At, network = @Network WHERE voter = @Voter AND tool_slug = @Tool";
        const string Delete = "DELETE FROM votes WHERE voter = @Voter AND tool_slug = @Tool";
        var row = new { vote.Voter, vote.Tool, vote.Choice, vote.At, vote.Network };
        if (vote.NewVoter && vote.Choice is not null && connection.Execute(Insert, row, transaction) == 1)
            return Change(null, vote.Choice);
        var before = connection.QuerySingleOrDefault<string>(ReadChoice, row, transaction);
        if (before == vote.Choice)
            return (0, 0);
        connection.Execute(vote.Choice is null ? Delete : before is null ? Insert : Update, row, transaction);
        return Change(before, vote.Choice);
    }

    private static (long, long) Change(string? before, string? after) =>
        ((after == "ship" ? 1 : 0) - (before == "ship" ? 1 : 0), (after == "skip" ? 1 : 0) - (before == "skip" ? 1 : 0));

    /// <summary>SQLite: brings the given tools' rows for <paramref name="day"/> to their open-day change; a tool with none has no row.</summary>
    private void WriteDays(DbConnection connection, DbTransaction transaction, IEnumerable<string> tools, string day)
    {
        // A day's row holds its net change; written whole, so writing it again (after a restart) is harmless.
        const string WriteDay = """
            INSERT INTO vote_days (tool_slug, day, ship, skip) VALUES (@tool, @day, @ship, @skip)
            ON CONFLICT (tool_slug, day) DO UPDATE SET ship = excluded.ship, skip = excluded.skip
            """;
        const string ClearDay = "DELETE FROM vote_days WHERE tool_slug = @tool AND day = @day";
        foreach (var tool in tools)
        {
            if (tallies.EntryOf(tool) is { } entry && (entry.OpenShip != 0 || entry.OpenSkip != 0))
                connection.Execute(WriteDay, new { tool, day, ship = entry.OpenShip, skip = entry.OpenSkip }, transaction);
            else
                connection.Execute(ClearDay, new { tool, day }, transaction);
        }
    }

    private static void SetOpenDay(DbConnection connection, DbTransaction transaction, string day) =>
        connection.Execute("""INSERT INTO vote_days_open ("only", day) VALUES (1, @day) ON CONFLICT ("only") DO UPDATE SET day = excluded.day""",
            new { day }, transaction);

    /// <summary>On the way out, SQLite's open day's changes are written as provisional rows, so the file alone is complete.</summary>
    private void WriteOpenDayOnStop()
    {
        if (database.OnPostgres || (unwritten.Count == 0 && tallies.OpenDayStored))
            return;
        try
        {
            using var connection = database.OpenForWriting();
            using var transaction = connection.BeginTransaction();
            WriteDays(connection, transaction, unwritten, tallies.OpenDay);
            SetOpenDay(connection, transaction, tallies.OpenDay);
            transaction.Commit();
            unwritten.Clear();
        }
        catch (Exception ex) when (ex is SqliteException or InvalidOperationException or IOException)
        {
            // Nothing is lost: the next start counts the open day's changes again from the votes.
            logger.LogWarning("Could not write the open day's vote changes on stopping: {Reason}", ex.Message);
        }
    }
}
