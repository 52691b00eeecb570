using Microsoft.Data.Sqlite;
using Verdicts.Web.Data;

namespace Verdicts.Web.Voting;

/// <summary>
/// Copies committed pages from the write-ahead log back into the database file, on a thread and a connection of its
/// own, whenever the vote writer asks.
/// </summary>
/// <remarks>
/// A checkpoint syncs the log to disk, copies its pages and syncs the database file. Run by the writer, after every
/// 500 votes, those two waits held up every vote queued behind them, the writer waiting for the disk rather than
/// writing (bench/README.md). A passive checkpoint may run while
/// another connection commits; it copies what had been committed when it began. The log starts again from the top at
/// the first commit after a checkpoint that copied all of it. Should the checkpoints here keep missing that moment
/// under a long burst, SQLite's own checkpoint in the writer's commit (<see cref="VoteWriter"/>) catches up. While one
/// here is under way SQLite's own cannot run, so on a slow disk the log grows past its usual 2 000 pages for as long as
/// the checkpoint takes; its file is cut back to <see cref="Database.LogFileLimitBytes"/> when the log next restarts.
/// </remarks>
internal sealed class WalCheckpointer(Database database, ILogger logger) : IDisposable
{
    // A plain monitor: a SemaphoreSlim spins (yielding the CPU in a loop) before it blocks, each of the dozens of
    // times a second the thread goes back to waiting, and on two cores that spinning came out of the votes' time.
    private readonly object gate = new();
    private Thread? thread;
    private bool pending;
    private bool stopping;

    /// <summary>Asks for a checkpoint; asking again while one is waiting to start asks for nothing more.</summary>
    public void Request()
    {
        lock (gate)
        {
            if (stopping || pending)
                return;
            pending = true;
            if (thread is null)
            {
                thread = new Thread(Run) { IsBackground = true, Name = "wal-checkpointer" };
                thread.Start();
            }
            Monitor.Pulse(gate);
        }
    }

    private void Run()
    {
        SqliteConnection? connection = null;
        try
        {
            while (true)
            {
                lock (gate)
                {
                    while (!pending && !stopping)
                        Monitor.Wait(gate);
                    if (stopping)
                        return;
                    pending = false;
                }
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
        Thread? running;
        lock (gate)
        {
            stopping = true;
            running = thread;
            Monitor.Pulse(gate);
        }
        running?.Join();
    }
}
