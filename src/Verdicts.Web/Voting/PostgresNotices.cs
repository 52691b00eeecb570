using System.Data.Common;
using Dapper;
using Verdicts.Web.Content;
using Verdicts.Web.Data;

namespace Verdicts.Web.Voting;

/// <summary>
/// Keeps this node in step with the others on PostgreSQL (<see cref="VerdictsOptions.Postgres"/>): a vote batch committed
/// by any node notifies <see cref="Votes"/> with the tools it changed, and every node reads those tallies again and
/// evicts their pages; a content commit pushed by any node notifies <see cref="Content"/>, and every node pulls at once.
/// </summary>
/// <remarks>
/// PostgreSQL's LISTEN/NOTIFY on one connection of its own, waited on with Npgsql's <c>WaitAsync</c>. A notice is sent in
/// the writer's transaction, so it is delivered only if the batch commits. Notices sent while this node was not
/// listening are lost, so on every (re)connection it reads every tally again and pulls the content. Its own notices
/// come back to it too; reading those tools again is harmless.
/// </remarks>
public sealed class PostgresNotices(Database database, VoteWriter writer, ContentClone clone, ILogger<PostgresNotices> logger) : BackgroundService
{
    public const string Votes = "verdicts_votes";
    public const string Content = "verdicts_content";

    // PostgreSQL takes payloads under 8 000 bytes; a longer list is sent empty, meaning "any tool".
    private const int PayloadLimit = 7000;
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Keepalive = TimeSpan.FromSeconds(15);

    /// <summary>Tells every node (this one too) that these tools' votes changed, once <paramref name="transaction"/> commits.</summary>
    public static void Notify(DbConnection connection, DbTransaction? transaction, string channel, IEnumerable<string> tools)
    {
        var payload = string.Join(',', tools);
        connection.Execute("SELECT pg_notify(@channel, @payload)", new { channel, payload = payload.Length > PayloadLimit ? "" : payload }, transaction);
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (database.OnPostgres)
            clone.Pushed += TellOthersToPull;
        return base.StartAsync(cancellationToken);
    }

    public override Task StopAsync(CancellationToken cancellationToken)
    {
        clone.Pushed -= TellOthersToPull;
        return base.StopAsync(cancellationToken);
    }

    private void TellOthersToPull()
    {
        try
        {
            using var connection = database.OpenWrites();
            Notify(connection, null, Content, []);
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException or TimeoutException)
        {
            // The commit is on the remote; the other nodes pull it on their interval.
            logger.LogWarning("Could not tell the other nodes to pull the content now: {Reason}", ex.Message);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (database.Postgres is not { } postgres)
            return;
        var retry = FirstRetry;
        var failing = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await postgres.OpenConnectionAsync(stoppingToken);
                var tools = new List<string>();
                var anyTool = false;
                var pull = false;
                connection.Notification += (_, notice) =>
                {
                    if (notice.Channel == Content)
                        pull = true;
                    else if (notice.Payload.Length == 0)
                        anyTool = true;
                    else
                        tools.AddRange(notice.Payload.Split(','));
                };
                await connection.ExecuteAsync($"LISTEN {Votes}; LISTEN {Content};");
                // Whatever was said while this node was not listening.
                writer.ReadChangesElsewhere(null);
                _ = clone.PullAsync(stoppingToken);
                if (failing)
                    logger.LogInformation("Listening to the other nodes again; every tally was read again");
                failing = false;
                retry = FirstRetry;
                while (!stoppingToken.IsCancellationRequested)
                {
                    // Returns once the notices of one read have been handled (above), or after the keepalive's time,
                    // when a round trip shows the connection still up; a dropped connection throws.
                    if (!await connection.WaitAsync(Keepalive, stoppingToken))
                    {
                        await connection.ExecuteAsync("SELECT 1");
                        continue;
                    }
                    if (anyTool || tools.Count > 0)
                        writer.ReadChangesElsewhere(anyTool ? null : [.. tools.Distinct(StringComparer.Ordinal)]);
                    if (pull)
                        _ = clone.PullAsync(stoppingToken);
                    tools.Clear();
                    anyTool = pull = false;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is DbException or InvalidOperationException or IOException or TimeoutException)
            {
                if (!failing)
                    logger.LogWarning("Lost the connection that hears the other nodes' votes; trying again: {Reason}", ex.Message);
                failing = true;
                try
                {
                    await Task.Delay(retry, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, LastRetry.Ticks));
            }
        }
    }
}
