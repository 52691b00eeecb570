using System.Net;
using System.Text;
using Verdicts.Tests.Infrastructure;

namespace Verdicts.Tests.Data;

/// <summary>The site started on a database it cannot write or cannot read: it starts, says why, and never crash-loops.</summary>
public sealed class DamagedDatabaseTests
{
    private static StringContent VoteBody(string choice) => new($"choice={choice}", Encoding.UTF8, "application/x-www-form-urlencoded");

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task A_read_only_database_folder_serves_pages_refuses_writes_with_503_and_says_why()
    {
        Assert.SkipWhen(PostgresServer.EverySite, "a read-only SQLite folder: on PostgreSQL the votes are not written to it");
        SiteProcess.SkipUnlessAbleToRunAsNobody("for whom a root-owned folder is read-only");
        using var content = TestContent.Sample();
        var database = await SiteProcess.WriteAVoteAndStopAsync(content);
        // Folder and file belong to root, so the site (as nobody) can create neither -wal nor -shm, nor write the file.
        Assert.False(File.Exists(database + "-wal"), "a polite stop should have folded the log into the file");
        Directory.CreateDirectory(Path.Combine(content.Scratch, "mail"));
        File.SetUnixFileMode(content.Scratch, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);

        using var site = await SiteProcess.StartAsync(content, asNobody: true, expectHealthy: false, "--Verdicts:RateLimit:Disabled=true");
        using var visitor = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = new Uri(site.BaseUrl) };
        foreach (var page in new[] { "/", "/tools/alpha", "/compare/alpha-or-beta", "/search?q=alpha", "/categories/developer-tools" })
        {
            using var response = await visitor.GetAsync(new Uri(page, UriKind.Relative));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{page}: {(int)response.StatusCode}\n" + string.Join('\n', site.Output.TakeLast(10)));
        }
        using (var vote = await visitor.PostAsync(new Uri("/tools/beta/vote", UriKind.Relative), VoteBody("skip")))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, vote.StatusCode);
            Assert.True(vote.Headers.Contains("Retry-After"));
        }
        using (var health = await visitor.GetAsync(new Uri("/healthz", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
            Assert.Contains("read-only", await health.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        Assert.Contains(site.Output, line => line.Contains("read-only", StringComparison.Ordinal) && line.Contains(database, StringComparison.Ordinal));
        Assert.False(site.HasExited);
    }

    [Fact]
    public async Task A_corrupt_database_starts_the_site_answering_503_and_the_health_check_and_log_say_why()
    {
        using var content = TestContent.Sample();
        var database = Path.Combine(content.Scratch, "verdicts.db");
        using (var first = await SiteProcess.StartAsync(content))
        {
            first.Terminate();
            Assert.True(first.WaitForExit(TimeSpan.FromSeconds(15)));
        }
        // Everything after the 100-byte header of the first page (the schema's root) overwritten with noise.
        await using (var file = new FileStream(database, FileMode.Open, FileAccess.Write))
        {
            file.Position = 100;
            file.Write(Enumerable.Range(0, 4000).Select(i => (byte)(i * 37 % 251)).ToArray());
        }

        using var site = await SiteProcess.StartAsync(content, asNobody: false, expectHealthy: false);
        using var visitor = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = new Uri(site.BaseUrl) };
        using (var health = await visitor.GetAsync(new Uri("/healthz", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
            Assert.Contains("corrupt", await health.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        }
        using (var page = await visitor.GetAsync(new Uri("/tools/alpha", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, page.StatusCode);
            Assert.True(page.Headers.Contains("Retry-After"));
            Assert.True(page.Headers.Contains("Content-Security-Policy"));
        }
        Assert.Contains(site.Output, line => line.Contains(database, StringComparison.Ordinal) && line.Contains("corrupt", StringComparison.OrdinalIgnoreCase));
        Assert.False(site.HasExited, "the site exited (a service manager would restart it into the same failure)");
    }
}
