using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Verdicts.Web.Data;

namespace Verdicts.Web.Voting;

public sealed record Tally(long Ship, long Skip)
{
    public int? Percent => Figures.ShipPercent(Ship, Skip);
}

/// <summary>The database could not take the vote now; nothing was acknowledged.</summary>
public sealed class VotesUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// The single writer of votes. Requests queue their vote and wait; the writer commits whatever has queued
/// in one transaction and only then completes each request with its tool's new tally, so an acknowledged
/// vote is always a committed one, and a burst costs one commit instead of hundreds.
/// </summary>
public sealed class VoteWriter(Database database, IHostApplicationLifetime lifetime, ILogger<VoteWriter> logger) : IHostedService
{
    private const int MaxBatch = 512;
    // About a thousand pages of WAL when votes touch many tools (one page of vote_days per tool and a few of votes
    // per batch), fewer when they touch few.
    internal const int CheckpointEveryVotes = 500;
    // SQLite's own checkpoint, inside a commit, once the log reaches 2 000 pages (8 MB). It copies only what the ones
    // above have not, and restarts the log, which they cannot do while commits keep coming (see WalCheckpointer).
    private const int AutomaticCheckpointPages = 2000;
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(6);

    private sealed record Pending(string Tool, string Voter, string? Choice, string At, TaskCompletionSource<Tally> Done);

    private readonly Channel<Pending> queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(20_000)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private readonly WalCheckpointer checkpointer = new(database, logger);
    private int votesSinceCheckpoint;

    /// <summary>Raised after each commit with the tools whose tallies changed.</summary>
    public event Action<IReadOnlyCollection<string>>? Committed;

    /// <param name="choice">"ship", "skip", or null to withdraw the vote.</param>
    public async Task<Tally> SubmitAsync(string tool, string voter, string? choice, DateTimeOffset at)
    {
        var pending = new Pending(tool, voter, choice, at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
            new TaskCompletionSource<Tally>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!queue.Writer.TryWrite(pending))
            throw new VotesUnavailableException("too many votes are waiting");
        try
        {
            return await pending.Done.Task.WaitAsync(WaitLimit);
        }
        catch (TimeoutException ex)
        {
            // The batch may still commit later; the visitor was not told it did, and voting again is idempotent.
            throw new VotesUnavailableException("the database did not answer in time", ex);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Hosted services are stopped before the server has finished the requests in flight, so the writer keeps
        // going until the application has stopped; only then is the queue closed and drained.
        lifetime.ApplicationStopped.Register(() => queue.Writer.TryComplete());
        _ = Task.Run(WriteAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

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
                try
                {
                    if (statements is null && failed)
                    {
                        // SQLite shares a file's WAL index among all connections of the process; if pooled readers
                        // opened it read-only during the fault, a new writer would inherit that. Start afresh.
                        database.CloseIdleConnections();
                    }
                    statements ??= new VoteStatements(database.OpenForWriting());
                    var tallies = statements.Commit(batch);
                    // Evict cached pages before acknowledging, so the page a visitor is sent back to shows the new tally.
                    Committed?.Invoke(tallies.Keys);
                    foreach (var pending in batch)
                        pending.Done.TrySetResult(tallies[pending.Tool]);
                    failed = false;
                }
                catch (Exception ex) when (ex is SqliteException or InvalidOperationException or IOException)
                {
                    logger.LogWarning("Could not commit {Count} votes: {Reason}", batch.Count, ex.Message);
                    foreach (var pending in batch)
                        pending.Done.TrySetException(new VotesUnavailableException("the database is not taking votes right now", ex));
                    statements?.Discard();
                    statements = null;
                    failed = true;
                }
                // After the requests were answered, and off this thread: see WalCheckpointer.
                if (statements is not null && (votesSinceCheckpoint += batch.Count) >= CheckpointEveryVotes)
                {
                    votesSinceCheckpoint = 0;
                    checkpointer.Request();
                }
            }
        }
        finally
        {
            checkpointer.Dispose();
            statements?.Dispose();
            while (queue.Reader.TryRead(out var left))
                left.Done.TrySetException(new VotesUnavailableException("the site is shutting down"));
        }
    }

    // The writer's connection and its statements, prepared once and reused for every batch: compiling the SQL
    // (and the triggers it fires) afresh for each batch was measurable work on the vote path.
    private sealed class VoteStatements : IDisposable
    {
        private readonly SqliteConnection connection;
        private readonly SqliteCommand upsert;
        private readonly SqliteCommand clear;
        private readonly SqliteCommand readTally;

        public VoteStatements(SqliteConnection connection)
        {
            this.connection = connection;
            try
            {
                // Per connection; the writer keeps this one until the site stops or it fails (and is dropped from the pool).
                using (var pragma = connection.CreateCommand())
                {
                    pragma.CommandText = $"PRAGMA wal_autocheckpoint = {AutomaticCheckpointPages};";
                    pragma.ExecuteNonQuery();
                }
                upsert = Prepare("""
                    INSERT INTO votes (tool_slug, voter, choice, voted_at) VALUES ($tool, $voter, $choice, $at)
                    ON CONFLICT (voter, tool_slug) DO UPDATE SET choice = excluded.choice, voted_at = excluded.voted_at
                    WHERE votes.choice <> excluded.choice
                    """, "$tool", "$voter", "$choice", "$at");
                clear = Prepare("DELETE FROM votes WHERE voter = $voter AND tool_slug = $tool", "$tool", "$voter");
                readTally = Prepare("SELECT coalesce(sum(ship), 0), coalesce(sum(skip), 0) FROM vote_days WHERE tool_slug = $tool", "$tool");
            }
            catch
            {
                SqliteConnection.ClearPool(connection);
                connection.Dispose();
                throw;
            }
        }

        private SqliteCommand Prepare(string sql, params string[] parameters)
        {
            var command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var name in parameters)
                command.Parameters.Add(name, SqliteType.Text);
            command.Prepare();
            return command;
        }

        public Dictionary<string, Tally> Commit(List<Pending> batch)
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            upsert.Transaction = clear.Transaction = readTally.Transaction = transaction;
            foreach (var pending in batch)
            {
                if (pending.Choice is null)
                {
                    clear.Parameters[0].Value = pending.Tool;
                    clear.Parameters[1].Value = pending.Voter;
                    clear.ExecuteNonQuery();
                }
                else
                {
                    upsert.Parameters[0].Value = pending.Tool;
                    upsert.Parameters[1].Value = pending.Voter;
                    upsert.Parameters[2].Value = pending.Choice;
                    upsert.Parameters[3].Value = pending.At;
                    upsert.ExecuteNonQuery();
                }
            }

            var tallies = new Dictionary<string, Tally>(batch.Count, StringComparer.Ordinal);
            foreach (var pending in batch)
            {
                if (tallies.ContainsKey(pending.Tool))
                    continue;
                readTally.Parameters[0].Value = pending.Tool;
                using var reader = readTally.ExecuteReader();
                reader.Read();
                tallies[pending.Tool] = new Tally(reader.GetInt64(0), reader.GetInt64(1));
            }
            transaction.Commit();
            return tallies;
        }

        // After a failure: out of the pool too, so a handle opened read-only (or on a full disk) is not reused once the fault clears.
        public void Discard()
        {
            SqliteConnection.ClearPool(connection);
            Dispose();
        }

        public void Dispose()
        {
            upsert.Dispose();
            clear.Dispose();
            readTally.Dispose();
            connection.Dispose();
        }
    }
}
