using Dapper;
using Microsoft.Data.Sqlite;
using Verdicts.Web.Data;

namespace Verdicts.Web.Voting;

/// <summary>
/// Copies committed pages from the write-ahead log back into the database file every second, off the vote writer's
/// path, so the file alone soon holds every acknowledged vote.
/// </summary>
/// <remarks>
/// A checkpoint syncs the log and the database file to disk; run inside the vote writer's commits, those waits held up
/// every vote queued behind them. A passive checkpoint runs beside the writer's commits and copies what had been
/// committed when it began. SQLite's own checkpoint, in the writer's commit once the log reaches 2 000 pages
/// (<see cref="VoteWriter"/>), still bounds the log under a burst this one does not keep up with.
/// </remarks>
public sealed class WalCheckpointer(Database database, TimeProvider time, ILogger<WalCheckpointer> logger) : BackgroundService
{
    internal static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Votes are in PostgreSQL then; nothing but imports writes this file.
        if (database.OnPostgres)
            return;
        using var timer = new PeriodicTimer(Period, time);
        var failing = false;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (database.ReadOnlyReason is not null)
                    continue;
                try
                {
                    using var connection = database.OpenForWriting();
                    connection.Execute("PRAGMA wal_checkpoint(PASSIVE);");
                    failing = false;
                }
                catch (Exception ex) when (ex is SqliteException or InvalidOperationException or IOException)
                {
                    // Nothing is lost: the pages stay in the log for the next checkpoint. Said once per fault, not every second.
                    if (!failing)
                        logger.LogWarning("Could not checkpoint the database: {Reason}", ex.Message);
                    failing = true;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
