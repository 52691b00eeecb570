using System.Diagnostics;
using System.Net;

namespace Verdicts.Tests.Infrastructure;

/// <summary>The real site as a child process on a loopback port, for tests that kill or signal it.</summary>
public sealed class SiteProcess : IDisposable
{
    private readonly Process process;

    private SiteProcess(Process process, string baseUrl)
    {
        this.process = process;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    private readonly System.Collections.Concurrent.ConcurrentQueue<string> output = new();

    /// <summary>Every line the server has written to standard output and error so far.</summary>
    public IReadOnlyList<string> Output => output.ToArray();

    public int ProcessId => process.Id;

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    /// <summary>SIGTERM: the polite stop a service manager sends.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public bool WaitForExit(TimeSpan limit) => process.WaitForExit(limit);

    public static Task<SiteProcess> StartAsync(TestContent content, params string[] settings) => StartAsync(content, asNobody: false, settings);

    /// <summary>Skips the test unless it can run the site as nobody (<c>asNobody</c>): it needs root and setpriv.</summary>
    public static void SkipUnlessAbleToRunAsNobody(string why)
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root" || !File.Exists("/usr/bin/setpriv"))
            Assert.Skip($"needs root and setpriv to run the site as an unprivileged user, {why}");
    }

    /// <summary>
    /// A site started on the content takes a vote and stops politely, leaving a SQLite file that has been written and
    /// whose log is folded in; returns the file's path.
    /// </summary>
    public static async Task<string> WriteAVoteAndStopAsync(TestContent content)
    {
        using (var site = await StartAsync(content))
        {
            using var client = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false });
            using var vote = new StringContent("choice=ship", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded");
            Assert.Equal(HttpStatusCode.SeeOther, (await client.PostAsync(new Uri(site.BaseUrl + "/tools/alpha/vote"), vote)).StatusCode);
            site.Terminate();
            Assert.True(site.WaitForExit(TimeSpan.FromSeconds(15)));
        }
        return Path.Combine(content.Scratch, "verdicts.db");
    }

    /// <param name="asNobody">Run the site as the unprivileged user nobody (through setpriv), so file permissions apply to it.</param>
    public static Task<SiteProcess> StartAsync(TestContent content, bool asNobody, params string[] settings) =>
        StartAsync(content, asNobody, expectHealthy: true, settings);

    /// <param name="expectHealthy">Wait until /healthz answers 2xx; otherwise any answer from it will do (a site that started unhealthy).</param>
    public static Task<SiteProcess> StartAsync(TestContent content, bool asNobody, bool expectHealthy, params string[] settings) =>
        StartAsync(content, asNobody, expectHealthy, LoopbackPort.Free(), settings);

    /// <summary>On a given port: a node behind a proxy that names it, started again on the same address.</summary>
    public static Task<SiteProcess> StartOnPortAsync(int port, TestContent content, params string[] settings) =>
        StartAsync(content, asNobody: false, expectHealthy: true, port, settings);

    /// <summary>A published copy of the site (<c>dotnet publish</c>'s folder), started from the content's scratch folder.</summary>
    public static Task<SiteProcess> StartPublishedAsync(string publishedFolder, TestContent content, params string[] settings) =>
        StartAsync(content, asNobody: false, expectHealthy: true, LoopbackPort.Free(), settings, publishedFolder);

    private static async Task<SiteProcess> StartAsync(TestContent content, bool asNobody, bool expectHealthy, int port, string[] settings,
        string? publishedFolder = null)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var binaries = publishedFolder ?? (asNobody ? ReadableCopy.Value : AppContext.BaseDirectory);
        var start = new ProcessStartInfo(asNobody ? "setpriv" : dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = publishedFolder is null ? binaries : content.Scratch,
        };
        if (asNobody)
        {
            foreach (var argument in new[] { "--reuid=65534", "--regid=65534", "--clear-groups", dotnet })
                start.ArgumentList.Add(argument);
            start.Environment["HOME"] = content.Scratch;
            start.Environment["DOTNET_CLI_HOME"] = content.Scratch;
        }
        foreach (var argument in new[]
        {
            Path.Combine(binaries, "Verdicts.Web.dll"),
            "--urls", $"http://127.0.0.1:{port}",
            $"--Verdicts:ContentPath={content.Root}",
            $"--Verdicts:DatabasePath={Path.Combine(content.Scratch, "verdicts.db")}",
            $"--Verdicts:MailPickupPath={Path.Combine(content.Scratch, "mail")}",
            "--Serilog:MinimumLevel:Default=Warning",
        }.Concat(EverySitePostgres(content, settings)).Concat(settings))
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start)!;
        var site = new SiteProcess(process, $"http://127.0.0.1:{port}");
        // Drain the output so a chatty server never blocks on a full pipe, keeping it for tests that read the log.
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) site.output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) site.output.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        // A safety net against a site that never comes up, not a measure of start-up: on a loaded 2-core machine a cold
        // start (JIT, migrations, import) took over 30 s, so a tighter limit failed tests that were right.
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            try
            {
                if ((await client.GetAsync(new Uri(site.BaseUrl + "/healthz"))).IsSuccessStatusCode || !expectHealthy)
                    return site;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                site.Dispose();
                throw new InvalidOperationException("the site did not start:\n" + string.Join('\n', site.Output.TakeLast(15)));
            }
            await Task.Delay(50);
        }
    }

    /// <summary>
    /// When the whole suite runs on PostgreSQL (<see cref="PostgresServer.EverySite"/>), the database of the content's
    /// scratch folder, as <see cref="VerdictsApp"/> takes it, unless the test names one itself.
    /// </summary>
    private static string[] EverySitePostgres(TestContent content, string[] settings) =>
        PostgresServer.EverySite && !settings.Any(s => s.StartsWith("--Verdicts:Postgres=", StringComparison.Ordinal))
            ? [$"--Verdicts:Postgres={PostgresServer.Shared.DatabaseFor(content.Scratch)}"]
            : [];

    /// <summary>
    /// The site's binaries where an unprivileged user can read them: a checkout may sit under a folder only root
    /// may enter (a fresh clone in a mktemp folder is mode 0700).
    /// </summary>
    private static readonly Lazy<string> ReadableCopy = new(() =>
    {
        var target = Path.Combine("/tmp", $"verdicts-site-{Environment.ProcessId}");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(target, recursive: true);
        CopyFolder(AppContext.BaseDirectory, target);
        // The static files are read through the build's manifest of them, which names their folders in the checkout:
        // copied as well, and the manifest pointed at the copies.
        var manifestPath = Path.Combine(target, "Verdicts.Web.staticwebassets.runtime.json");
        var manifest = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(manifestPath))!;
        var roots = manifest["ContentRoots"]!.AsArray();
        for (var i = 0; i < roots.Count; i++)
        {
            var copy = Path.Combine(target, "staticwebassets", i.ToString(System.Globalization.CultureInfo.InvariantCulture)) + "/";
            CopyFolder(roots[i]!.GetValue<string>(), copy);
            roots[i] = copy;
        }
        File.WriteAllText(manifestPath, manifest.ToJsonString());
        return target;
    });

    private static void CopyFolder(string source, string target)
    {
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy, overwrite: true);
        }
    }

    /// <summary>SIGKILL: no shutdown code runs, exactly like a crash or the OOM killer.</summary>
    public void Kill()
    {
        if (!process.HasExited)
            process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    public void Dispose()
    {
        Kill();
        process.Dispose();
    }
}
