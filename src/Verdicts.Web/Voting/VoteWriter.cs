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
    /// <exception cref="VotesUnavailableException">Nothing was deleted (or, after a timeout, it is not known whether it was).</exception>
    public async Task<long> WithdrawAsync(VoteFilter filter)
    {
        var pending = new Pending(withdrawal: filter);
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
            Dictionary<string, string> current;
            using (var connection = database.Open())
                current = ReadAliases(connection, null);
            var known = aliases;
            if (current.Count == known.Count && current.All(a => known.TryGetValue(a.Key, out var tool) && tool == a.Value)
                && !current.Keys.Any(tallies.Has))
                return;
            if (!queue.Writer.TryWrite(pending))
                throw new VotesUnavailableException("the vote writer is not running");
            await pending.Task.WaitAsync(WaitLimit);
        }
        catch (Exception ex) when (ex is VotesUnavailableException or TimeoutException or SqliteException)
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
        VoteStatements? statements = null;
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
                try
                {
                    if (statements is null && failed)
                    {
                        // SQLite shares a file's WAL index among all connections of the process; if pooled readers
                        // opened it read-only during the fault, a new writer would inherit that. Start afresh.
                        database.CloseIdleConnections();
                    }
                    statements ??= new VoteStatements(database.OpenForWriting());
                    // Votes are written only into the file the site started on, and acknowledged only if it is still
                    // there once committed: one deleted or replaced meanwhile would lose them at the next start.
                    ThrowIfFileLost();
                    var changed = Commit(statements, batch);
                    ThrowIfFileLost();
                    // Evict cached pages before acknowledging, so the page a visitor is sent back to shows the new tally.
                    if (changed.Count > 0)
                        Committed?.Invoke(changed);
                    foreach (var pending in batch)
                        pending.TrySetResult(pending.IsVote ? tallies.Of(pending.Tool) : Tally.None);
                    failed = followAliasesLater = false;
                }
                catch (Exception ex) when (ex is SqliteException or InvalidOperationException or IOException)
                {
                    logger.LogWarning("Could not commit {Count} votes: {Reason}", batch.Count, ex.Message);
                    foreach (var pending in batch)
                    {
                        if (pending.Recount is { } tools)
                            recountLater.UnionWith(tools);
                        pending.TrySetException(new VotesUnavailableException("the database is not taking votes right now", ex));
                    }
                    followAliasesLater = batch.Exists(p => p.FollowAliases);
                    statements?.Discard();
                    statements = null;
                    failed = true;
                }
            }
        }
        finally
        {
            if (!failed)
                WriteOpenDayOnStop(ref statements);
            statements?.Dispose();
            while (queue.Reader.TryRead(out var left))
                left.TrySetException(new VotesUnavailableException("the site is shutting down"));
        }
    }

    private void ThrowIfFileLost()
    {
        if (database.FileProblem() is { } problem)
            throw new IOException(problem);
    }

    /// <summary>
    /// Commits the batch; only then are the new tallies kept. A batch on a later day than the open one first writes the
    /// open day's changes to vote_days, in the same transaction, and the later day becomes the open one.
    /// </summary>
    /// <returns>The tools whose tallies changed.</returns>
    private IReadOnlyCollection<string> Commit(VoteStatements sql, List<Pending> batch)
    {
        var openDay = tallies.OpenDay;
        // A clock set back keeps the open day: vote_days are never written for a day before one already closed.
        var day = Iso.Day(time.GetUtcNow()) is var today && string.CompareOrdinal(today, openDay) > 0 ? today : openDay;
        var closesDay = day != openDay || !tallies.OpenDayStored;
        var changed = new Dictionary<string, VoteTallies.Entry?>(StringComparer.Ordinal);
        // The aliases votes follow, as of this point in the batch; kept only once the batch commits.
        var following = aliases;

        using (var transaction = sql.Begin())
        {
            if (closesDay)
            {
                sql.WriteDays(unwritten, openDay, tallies);
                sql.SetOpenDay(day);
            }
            if (recountLater.Count > 0)
            {
                foreach (var (tool, entry) in Recount(sql.Connection, transaction, recountLater, day))
                    changed[tool] = entry;
            }
            foreach (var pending in batch)
            {
                if (!pending.IsVote)
                {
                    var tools = pending.Recount
                        ?? (pending.FollowAliases ? MoveVotesOfAliases(sql.Connection, transaction, following = ReadAliases(sql.Connection, transaction), changed)
                            : Withdraw(sql.Connection, transaction, pending));
                    foreach (var (tool, entry) in Recount(sql.Connection, transaction, tools, day))
                        changed[tool] = entry;
                    continue;
                }
                if (following.TryGetValue(pending.Tool, out var renamed))
                    pending.Tool = renamed;
                var (ship, skip) = sql.Vote(pending);
                if (ship == 0 && skip == 0)
                    continue;
                var before = changed.TryGetValue(pending.Tool, out var pendingEntry) ? pendingEntry : tallies.EntryOf(pending.Tool);
                changed[pending.Tool] = (before ?? new VoteTallies.Entry(0, 0, day, 0, 0)).Plus(ship, skip, day);
            }
            transaction.Commit();
        }

        aliases = following;
        recountLater.Clear();
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

    /// <summary>Every alias of a published tool, and its tool, as the content's last import left them.</summary>
    private static Dictionary<string, string> ReadAliases(SqliteConnection connection, SqliteTransaction? transaction) =>
        connection.Query<(string Alias, string Tool)>("SELECT alias, tool_slug FROM tool_aliases", transaction: transaction)
            .ToDictionary(a => a.Alias, a => a.Tool, StringComparer.Ordinal);

    /// <summary>
    /// Moves the votes under each alias to its tool. A visitor who voted under both keeps the later vote: the earlier is
    /// deleted, and counts as withdrawn on the open day once the tallies are counted again. The day totals move with the
    /// votes. Only aliases that hold votes (counted, or written earlier in this batch) are looked at.
    /// </summary>
    /// <returns>The aliases and tools whose votes moved, to be counted again.</returns>
    private IReadOnlyCollection<string> MoveVotesOfAliases(SqliteConnection connection, SqliteTransaction transaction,
        IReadOnlyDictionary<string, string> imported, Dictionary<string, VoteTallies.Entry?> changed)
    {
        const string Move = """
            DELETE FROM votes WHERE tool_slug IN (@alias, @tool) AND EXISTS (
                SELECT 1 FROM votes later
                WHERE later.voter = votes.voter AND later.tool_slug IN (@alias, @tool) AND later.tool_slug <> votes.tool_slug
                  AND (later.voted_at > votes.voted_at OR (later.voted_at = votes.voted_at AND later.tool_slug = @tool)));
            UPDATE votes SET tool_slug = @tool WHERE tool_slug = @alias;
            INSERT INTO vote_days (tool_slug, day, ship, skip) SELECT @tool, day, ship, skip FROM vote_days WHERE tool_slug = @alias
                ON CONFLICT (tool_slug, day) DO UPDATE SET ship = ship + excluded.ship, skip = skip + excluded.skip;
            DELETE FROM vote_days WHERE tool_slug = @alias;
            """;
        var moves = imported.Where(a => tallies.Has(a.Key) || changed.ContainsKey(a.Key)).ToList();
        foreach (var (alias, tool) in moves)
            connection.Execute(Move, new { alias, tool }, transaction);
        return [.. moves.SelectMany(m => new[] { m.Key, m.Value }).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>Deletes the votes a withdrawal selects; returns the tools they were for, to be counted again.</summary>
    private static IReadOnlyCollection<string> Withdraw(SqliteConnection connection, SqliteTransaction transaction, Pending pending)
    {
        const string Where = """
            WHERE (@Tool IS NULL OR tool_slug = @Tool) AND (@Network IS NULL OR network = @Network)
              AND voted_at >= @From AND voted_at < @ToExclusive
            """;
        var filter = pending.Withdrawal!;
        var tools = connection.Query<string>("SELECT DISTINCT tool_slug FROM votes " + Where, filter, transaction).ToList();
        pending.Deleted = connection.Execute("DELETE FROM votes " + Where, filter, transaction);
        return tools;
    }

    /// <summary>The tools' entries counted afresh: votes now, final days before <paramref name="day"/>; null for a tool with neither.</summary>
    private static IEnumerable<(string Tool, VoteTallies.Entry? Entry)> Recount(SqliteConnection connection, SqliteTransaction transaction,
        IReadOnlyCollection<string> tools, string day)
    {
        var votes = VoteTallies.Count(connection, transaction, tools).ToDictionary(c => c.Tool, StringComparer.Ordinal);
        var final = connection.Query<(string Tool, long Ship, long Skip)>("""
            SELECT tool_slug, sum(ship), sum(skip) FROM vote_days
            WHERE tool_slug IN (SELECT value FROM json_each(@tools)) AND day < @day GROUP BY tool_slug
            """, new { tools = SlugList.Json(tools), day }, transaction).ToDictionary(c => c.Tool, StringComparer.Ordinal);
        foreach (var tool in tools.Distinct(StringComparer.Ordinal))
        {
            if (!votes.TryGetValue(tool, out var now) && !final.ContainsKey(tool))
            {
                yield return (tool, null);
                continue;
            }
            var (ship, skip) = now is null ? (0L, 0L) : (now.Ship, now.Skip);
            var before = final.GetValueOrDefault(tool);
            yield return (tool, new VoteTallies.Entry(ship, skip, day, ship - before.Ship, skip - before.Skip));
        }
    }

    /// <summary>On the way out, the open day's changes are written as provisional rows, so the file alone is complete.</summary>
    private void WriteOpenDayOnStop(ref VoteStatements? sql)
    {
        if (unwritten.Count == 0 && tallies.OpenDayStored)
            return;
        try
        {
            sql ??= new VoteStatements(database.OpenForWriting());
            using var transaction = sql.Begin();
            sql.WriteDays(unwritten, tallies.OpenDay, tallies);
            sql.SetOpenDay(tallies.OpenDay);
            transaction.Commit();
            unwritten.Clear();
        }
        catch (Exception ex) when (ex is SqliteException or InvalidOperationException or IOException)
        {
            // Nothing is lost: the next start counts the open day's changes again from the votes.
            logger.LogWarning("Could not write the open day's vote changes on stopping: {Reason}", ex.Message);
        }
    }

    // The writer's connection and its statements, prepared once and reused for every batch: compiling the SQL afresh
    // for each batch was measurable work on the vote path.
    private sealed class VoteStatements : IDisposable
    {
        private readonly SqliteCommand insert;
        private readonly SqliteCommand readChoice;
        private readonly SqliteCommand update;
        private readonly SqliteCommand delete;
        private readonly SqliteCommand writeDay;
        private readonly SqliteCommand clearDay;
        private readonly SqliteCommand setOpenDay;
        private readonly List<SqliteCommand> all = [];
        private SqliteTransaction? transaction;

        public VoteStatements(SqliteConnection connection)
        {
            Connection = connection;
            try
            {
                // Per connection; the writer keeps this one until the site stops or it fails (and is dropped from the pool).
                using (var pragma = connection.CreateCommand())
                {
                    pragma.CommandText = $"PRAGMA wal_autocheckpoint = {AutomaticCheckpointPages};";
                    pragma.ExecuteNonQuery();
                }
                insert = Prepare("""
                    INSERT INTO votes (voter, tool_slug, choice, voted_at, network) VALUES ($voter, $tool, $choice, $at, $network)
                    ON CONFLICT (voter, tool_slug) DO NOTHING
                    """, "$voter", "$tool", "$choice", "$at", "$network");
                readChoice = Prepare("SELECT choice FROM votes WHERE voter = $voter AND tool_slug = $tool", "$voter", "$tool");
                update = Prepare("UPDATE votes SET choice = $choice, voted_at = $at, network = $network WHERE voter = $voter AND tool_slug = $tool",
                    "$voter", "$tool", "$choice", "$at", "$network");
                delete = Prepare("DELETE FROM votes WHERE voter = $voter AND tool_slug = $tool", "$voter", "$tool");
                // A day's row holds its net change; written whole, so writing it again (after a restart) is harmless.
                writeDay = Prepare("""
                    INSERT INTO vote_days (tool_slug, day, ship, skip) VALUES ($tool, $day, $ship, $skip)
                    ON CONFLICT (tool_slug, day) DO UPDATE SET ship = excluded.ship, skip = excluded.skip
                    """, "$tool", "$day", "$ship", "$skip");
                clearDay = Prepare("DELETE FROM vote_days WHERE tool_slug = $tool AND day = $day", "$tool", "$day");
                setOpenDay = Prepare("""
                    INSERT INTO vote_days_open (only, day) VALUES (1, $day) ON CONFLICT (only) DO UPDATE SET day = excluded.day
                    """, "$day");
            }
            catch
            {
                SqliteConnection.ClearPool(connection);
                connection.Dispose();
                throw;
            }
        }

        public SqliteConnection Connection { get; }

        private SqliteCommand Prepare(string sql, params string[] parameters)
        {
            var command = Connection.CreateCommand();
            command.CommandText = sql;
            foreach (var name in parameters)
                command.Parameters.Add(name, name is "$ship" or "$skip" ? SqliteType.Integer : SqliteType.Text);
            command.Prepare();
            all.Add(command);
            return command;
        }

        public SqliteTransaction Begin()
        {
            transaction = Connection.BeginTransaction(deferred: false);
            foreach (var command in all)
                command.Transaction = transaction;
            return transaction;
        }

        /// <summary>Records the vote, or its withdrawal; returns the change to the tool's ship and skip counts.</summary>
        public (long Ship, long Skip) Vote(Pending vote)
        {
            var network = (object?)vote.Network ?? DBNull.Value;
            if (vote.NewVoter && vote.Choice is not null && Run(insert, vote.Voter, vote.Tool, vote.Choice, vote.At, network) == 1)
                return Change(null, vote.Choice);
            readChoice.Parameters[0].Value = vote.Voter;
            readChoice.Parameters[1].Value = vote.Tool;
            var before = readChoice.ExecuteScalar() as string;
            if (before == vote.Choice)
                return (0, 0);
            if (vote.Choice is null)
                Run(delete, vote.Voter, vote.Tool);
            else if (before is null)
                Run(insert, vote.Voter, vote.Tool, vote.Choice, vote.At, network);
            else
                Run(update, vote.Voter, vote.Tool, vote.Choice, vote.At, network);
            return Change(before, vote.Choice);
        }

        private static (long, long) Change(string? before, string? after) =>
            ((after == "ship" ? 1 : 0) - (before == "ship" ? 1 : 0), (after == "skip" ? 1 : 0) - (before == "skip" ? 1 : 0));

        private static int Run(SqliteCommand command, params object[] values)
        {
            for (var i = 0; i < values.Length; i++)
                command.Parameters[i].Value = values[i];
            return command.ExecuteNonQuery();
        }

        /// <summary>Brings the given tools' rows for <paramref name="day"/> to their open-day change; a tool with none has no row.</summary>
        public void WriteDays(IEnumerable<string> tools, string day, VoteTallies tallies)
        {
            foreach (var tool in tools)
            {
                if (tallies.EntryOf(tool) is { } entry && (entry.OpenShip != 0 || entry.OpenSkip != 0))
                    Run(writeDay, tool, day, entry.OpenShip, entry.OpenSkip);
                else
                    Run(clearDay, tool, day);
            }
        }

        public void SetOpenDay(string day) => Run(setOpenDay, day);

        // After a failure: out of the pool too, so a handle opened read-only (or on a full disk) is not reused once the fault clears.
        public void Discard()
        {
            SqliteConnection.ClearPool(Connection);
            Dispose();
        }

        public void Dispose()
        {
            foreach (var command in all)
                command.Dispose();
            Connection.Dispose();
        }
    }
}
