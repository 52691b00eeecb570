using Microsoft.Data.Sqlite;
using Verdicts.Web.Data;

namespace Verdicts.Web.Voting;

/// <summary>
/// Copies committed pages from the write-ahead log back into the database file, on a thread and a connection of its
/// own, whenever the vote writer asks.
/// </summary>
/// <remarks>
/// A checkpoint syncs the log to disk, copies its pages and syncs the database file. Run by the writer, after every
/// 500 votes, those two waits held up every vote queued behind them: in the benchmark the writer spent a third of its
/// busy time in checkpoints, most of that off the CPU, waiting for the disk. A passive checkpoint may run while
/// another connection commits; it copies what had been committed when it began. The log starts again from the top at
/// the first commit after a checkpoint that copied all of it. Should the checkpoints here keep missing that moment
/// under a long burst, SQLite's own checkpoint in the writer's commit (<see cref="VoteWriter"/>) still bounds the log.
/// </remarks>
internal sealed class WalCheckpointer(Database database, ILogger logger) : IDisposable
{
    private readonly SemaphoreSlim requested = new(0);
    private Thread? thread;
    private int pending;
    private volatile bool stopping;

    /// <summary>Asks for a checkpoint; asking again while one is waiting to start asks for nothing more.</summary>
    /// <remarks>Called by the writer only, never by two threads at once.</remarks>
    public void Request()
    {
        if (stopping || Interlocked.Exchange(ref pending, 1) == 1)
            return;
        if (thread is null)
        {
            thread = new Thread(Run) { IsBackground = true, Name = "wal-checkpointer" };
            thread.Start();
        }
        requested.Release();
    }

    private void Run()
    {
        SqliteConnection? connection = null;
        try
        {
            while (true)
            {
                requested.Wait();
                if (stopping)
                    return;
                Volatile.Write(ref pending, 0);
                try
                {
                    connection ??= database.OpenForWriting();
                    using var command = connection.CreateCommand();
                    command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
                    command.ExecuteNonQuery();
                }
                // The same faults the writer survives; anything escaping this thread would end the process.
                catch (Exception ex) when (ex is SqliteException or InvalidOperationException or IOException)
                {
                    // Nothing is lost: the pages stay in the log for the next checkpoint, and the votes were committed.
                    // The connection goes, in case the fault was in it (a file reopened read-only, say).
                    logger.LogWarning("Could not checkpoint the votes: {Reason}", ex.Message);
                    if (connection is not null)
                    {
                        SqliteConnection.ClearPool(connection);
                        connection.Dispose();
                        connection = null;
                    }
                }
            }
        }
        finally
        {
            connection?.Dispose();
        }
    }

    /// <summary>Stops the thread once any checkpoint under way has finished.</summary>
    public void Dispose()
    {
        stopping = true;
        requested.Release();
        thread?.Join();
        requested.Dispose();
    }
}
