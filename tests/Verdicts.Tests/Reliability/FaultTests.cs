using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using Dapper;
using Microsoft.Data.Sqlite;
using Verdicts.Tests.Infrastructure;

namespace Verdicts.Tests.Reliability;

/// <summary>Faults: killed and stopped processes, a locked database, a full disk.</summary>
public sealed class FaultTests
{
    private static StringContent VoteBody(string choice) => new($"choice={choice}", Encoding.UTF8, "application/x-www-form-urlencoded");

    [Fact]
    public async Task A_graceful_stop_under_load_finishes_the_requests_in_flight_and_exits_cleanly()
    {
        using var content = TestContent.Sample();
        using var site = await SiteProcess.StartAsync(content, "--Verdicts:RateLimit:Disabled=true", "--shutdownTimeoutSeconds=5");
        using var client = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(30) };
        var statuses = new ConcurrentBag<int>();
        var acknowledgedVotes = 0;
        var stop = false;
        var workers = Enumerable.Range(0, 16).Select(worker => Task.Run(async () =>
        {
            while (!Volatile.Read(ref stop))
            {
                try
                {
                    using var response = worker % 2 == 0
                        ? await client.PostAsync(new Uri($"{site.BaseUrl}/tools/alpha/vote"), VoteBody("ship"))
                        : await client.GetAsync(new Uri($"{site.BaseUrl}/compare/alpha-or-beta"));
                    statuses.Add((int)response.StatusCode);
                    if (worker % 2 == 0 && response.StatusCode == HttpStatusCode.SeeOther)
                        Interlocked.Increment(ref acknowledgedVotes);
                }
                catch (HttpRequestException)
                {
                    // Refused once the server has stopped listening: expected after the signal.
                }
                catch (TaskCanceledException)
                {
                }
            }
        })).ToList();
        // Under load once votes are being acknowledged, not after a fixed time that a slow machine might spend connecting.
        await VerdictsApp.Eventually(() => Task.FromResult(Volatile.Read(ref acknowledgedVotes) >= 20), "the site acknowledges votes under load");

        site.Terminate();
        // A safety net against a hang, not a measure of how fast it stops.
        var exited = site.WaitForExit(TimeSpan.FromSeconds(60));
        Volatile.Write(ref stop, true);
        await Task.WhenAll(workers);

        Assert.True(exited, "the site did not stop after SIGTERM");
        Assert.Equal(0, site.ExitCode);
        Assert.NotEmpty(statuses);
        Assert.All(statuses, status => Assert.True(status is 200 or 303, $"a request in flight got {status}"));
        // Each vote came from a new visitor, so each acknowledged one is a row of its own; a stop that cut the writer
        // short would lose some. A vote whose answer was lost in the stop may be stored too, hence at least.
        Assert.True(acknowledgedVotes > 0, "no vote was acknowledged before the stop, so nothing was tested");
        using var connection = content.OpenWritten();
        Assert.InRange(connection.ExecuteScalar<long>("SELECT count(*) FROM votes"), acknowledgedVotes, long.MaxValue);
    }

    [Fact]
    public async Task Another_process_holding_the_write_lock_gets_votes_a_503_without_waiting_for_it_while_pages_keep_serving()
    {
        // On PostgreSQL: PostgresVotingTests.While_PostgreSQL_is_down_votes_answer_503_pages_stay_up_and_both_nodes_recover_by_themselves.
        Assert.SkipWhen(PostgresServer.EverySite, "SQLite's write lock: on PostgreSQL the votes are not written to this file");
        using var content = TestContent.Sample();
        await using var app = new VerdictsApp(content);
        var client = app.NoRedirects();
        Assert.Equal(HttpStatusCode.OK, (await client.Get("/tools/alpha")).StatusCode);

        using (var holder = new SqliteConnection($"Data Source={app.DatabasePath};Pooling=false"))
        {
            holder.Open();
            holder.Execute("BEGIN IMMEDIATE");

            // The lock is held until every vote and page has been answered, so each answer came while it was held;
            // a request that waited for the lock would hang until the safety net below fails the test.
            var votes = Enumerable.Range(0, 20).Select(async _ =>
            {
                using var response = await app.NoRedirects().PostAsync(new Uri("/tools/alpha/vote", UriKind.Relative), VoteBody("ship"));
                return (response.StatusCode, RetryAfter: response.Headers.RetryAfter?.Delta);
            }).ToList();
            var pages = Enumerable.Range(0, 50).Select(async i =>
            {
                using var response = await client.Get(i % 2 == 0 ? "/tools/alpha" : "/compare/alpha-or-beta?x=" + i);
                return response.StatusCode;
            }).ToList();
            var voteAnswers = Task.WhenAll(votes);
            var pageAnswers = Task.WhenAll(pages);
            await Task.WhenAll(voteAnswers, pageAnswers).WaitAsync(TimeSpan.FromMinutes(2));

            Assert.All(await pageAnswers, status => Assert.Equal(HttpStatusCode.OK, status));
            foreach (var vote in await voteAnswers)
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, vote.StatusCode);
                Assert.True(vote.RetryAfter > TimeSpan.Zero, "503 without a Retry-After");
            }
            // A vote answered 503 on the writer's time limit may still be in a batch waiting for the lock. The writer
            // takes requests in turn, so once a recount queued behind the twenty has failed on the lock, none of them
            // can be written any more, and the lock can go without a fixed wait.
            await Assert.ThrowsAsync<Verdicts.Web.Voting.VotesUnavailableException>(() => app.Recount("alpha").WaitAsync(TimeSpan.FromMinutes(2)));
            holder.Execute("ROLLBACK");
        }

        using var after = await client.PostAsync(new Uri("/tools/alpha/vote", UriKind.Relative), VoteBody("skip"));
        Assert.Equal(HttpStatusCode.SeeOther, after.StatusCode);
        using var connection = app.Database.Open();
        Assert.Equal(1, connection.ExecuteScalar<long>("SELECT count(*) FROM votes"));
        Assert.Equal(new Verdicts.Web.Voting.Tally(0, 1), app.Tallies.Of("alpha"));
    }

    [Fact]
    public async Task A_full_disk_refuses_writes_with_503_keeps_pages_serving_and_recovers()
    {
        Assert.SkipWhen(PostgresServer.EverySite, "a full disk under the SQLite file: on PostgreSQL the votes are not written to it");
        var mountPoint = Path.Combine(Path.GetTempPath(), "verdicts-full-disk-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(mountPoint);
        using (var mount = Process.Start("mount", ["-t", "tmpfs", "-o", "size=4m", "tmpfs", mountPoint]))
        {
            await mount.WaitForExitAsync();
            if (mount.ExitCode != 0)
                Assert.Skip("cannot mount a small tmpfs here (needs root and CAP_SYS_ADMIN), so a full disk cannot be simulated");
        }
        try
        {
            using var content = TestContent.Sample();
            await using var app = new VerdictsApp(content, new Dictionary<string, string?> { ["Verdicts:DatabasePath"] = Path.Combine(mountPoint, "verdicts.db") });
            var client = app.NoRedirects();
            Assert.Equal(HttpStatusCode.SeeOther, (await client.PostAsync(new Uri("/tools/alpha/vote", UriKind.Relative), VoteBody("ship"))).StatusCode);

            var filler = Path.Combine(mountPoint, "filler");
            await using (var fill = File.Create(filler))
            {
                var block = new byte[64 * 1024];
                try
                {
                    while (true)
                        fill.Write(block);
                }
                catch (IOException)
                {
                }
            }

            var refused = 0;
            for (var i = 0; i < 30; i++)
            {
                using var vote = await app.NoRedirects().PostAsync(new Uri("/tools/beta/vote", UriKind.Relative), VoteBody("ship"));
                Assert.True(vote.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.SeeOther, $"got {(int)vote.StatusCode}");
                if (vote.StatusCode == HttpStatusCode.ServiceUnavailable)
                    refused++;
                Assert.Equal(HttpStatusCode.OK, (await client.Get("/compare/alpha-or-beta?n=" + i)).StatusCode);
            }
            Assert.True(refused > 0, "no write was refused on a full disk");
            using (var connection = new SqliteConnection($"Data Source={Path.Combine(mountPoint, "verdicts.db")};Mode=ReadOnly;Pooling=false"))
            {
                connection.Open();
                // Only votes that were acknowledged are there.
                Assert.Equal(1 + (30 - refused), connection.ExecuteScalar<long>("SELECT count(*) FROM votes"));
            }

            File.Delete(filler);
            using var recovered = await app.NoRedirects().PostAsync(new Uri("/tools/gamma/vote", UriKind.Relative), VoteBody("skip"));
            Assert.Equal(HttpStatusCode.SeeOther, recovered.StatusCode);
        }
        finally
        {
            using var unmount = Process.Start("umount", ["-l", mountPoint]);
            await unmount.WaitForExitAsync();
            Directory.Delete(mountPoint, recursive: true);
        }
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task A_read_only_database_file_refuses_votes_with_503_keeps_pages_serving_and_recovers()
    {
        Assert.SkipWhen(PostgresServer.EverySite, "a read-only SQLite file: on PostgreSQL the votes are not written to it");
        SiteProcess.SkipUnlessAbleToRunAsNobody("for whom a read-only file is read-only");
        using var content = TestContent.Sample();
        var database = await SiteProcess.WriteAVoteAndStopAsync(content);
        // The database file belongs to root and is read-only; the site runs as nobody, who may create only
        // SQLite's side files in the folder.
        File.SetUnixFileMode(database, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        foreach (var side in new[] { database + "-wal", database + "-shm" }.Where(File.Exists))
            File.Delete(side);
        Assert.Equal(0, await Run("chown", "nobody", content.Scratch));

        using var site = await SiteProcess.StartAsync(content, asNobody: true, "--Verdicts:RateLimit:Disabled=true");
        using var visitor = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = new Uri(site.BaseUrl) };
        for (var i = 0; i < 5; i++)
        {
            using var vote = await visitor.PostAsync(new Uri("/tools/beta/vote", UriKind.Relative), VoteBody("skip"));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, vote.StatusCode);
            Assert.True(vote.Headers.Contains("Retry-After"));
            foreach (var page in new[] { "/", "/tools/alpha", "/compare/alpha-or-beta", "/search?q=tool" + i })
                Assert.Equal(HttpStatusCode.OK, (await visitor.GetAsync(new Uri(page, UriKind.Relative))).StatusCode);
        }

        // Writable again (SQLite made its side files as read-only as the database, so they are fixed too):
        // the writer reconnects and votes are taken.
        foreach (var file in new[] { database, database + "-wal", database + "-shm" }.Where(File.Exists))
        {
            Assert.Equal(0, await Run("chown", "nobody", file));
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }
        using var recovered = await visitor.PostAsync(new Uri("/tools/gamma/vote", UriKind.Relative), VoteBody("ship"));
        Assert.True(recovered.StatusCode == HttpStatusCode.SeeOther, $"after recovery: {(int)recovered.StatusCode}\n" + string.Join('\n', site.Output.TakeLast(10)));
        site.Kill();
        using var connection = new SqliteConnection($"Data Source={database};Pooling=false");
        Assert.Equal(2, connection.ExecuteScalar<long>("SELECT count(*) FROM votes"));
    }

    private static async Task<int> Run(string program, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        await process.WaitForExitAsync();
        return process.ExitCode;
    }
}
