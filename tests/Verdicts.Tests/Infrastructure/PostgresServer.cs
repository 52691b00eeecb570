using System.Diagnostics;
using Npgsql;

[assembly: AssemblyFixture(typeof(Verdicts.Tests.Infrastructure.SharedServerLifetime))]

namespace Verdicts.Tests.Infrastructure;

/// <summary>
/// A PostgreSQL server of Debian's <c>postgresql</c> package, initialised in a temporary folder and listening on
/// loopback only. One is shared by the whole run (<see cref="Shared"/>), each test taking a database of its own; a test
/// that stops its server starts one of its own. Where PostgreSQL is missing the tests report as skipped with the install
/// hint; they never pass silently.
/// </summary>
public sealed class PostgresServer : IDisposable
{
    public const string Missing = "PostgreSQL is not installed: run `apt-get install -y postgresql` as root (.ci/run does this)";

    /// <summary>Set to 1 to run every <see cref="VerdictsApp"/> on a fresh PostgreSQL database of the shared server.</summary>
    public const string EverySiteVariable = "VERDICTS_TEST_POSTGRES";

    private static readonly Lazy<PostgresServer> SharedServer = new(() => new PostgresServer(PortFrom("VERDICTS_TEST_POSTGRES_PORT")));

    private readonly string folder;
    private readonly string binaries;
    private readonly string runAs;
    private int databases;

    public int Port { get; }

    public static bool EverySite => Environment.GetEnvironmentVariable(EverySiteVariable) == "1";

    /// <summary>The server every test of this run shares; skips the calling test where PostgreSQL is missing.</summary>
    public static PostgresServer Shared
    {
        get
        {
            SkipIfMissing();
            return SharedServer.Value;
        }
    }

    /// <summary>Stops the shared server, if this run started one (at the end of the run: <see cref="SharedServerLifetime"/>).</summary>
    internal static void StopShared()
    {
        if (SharedServer.IsValueCreated)
            SharedServer.Value.Dispose();
    }

    public static string? Binaries() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")))
                .OrderByDescending(d => d, StringComparer.Ordinal).FirstOrDefault()
            : null;

    public static void SkipIfMissing()
    {
        if (Binaries() is null)
            Assert.Skip(Missing);
    }

    /// <summary>Initialises a server in a new temporary folder and starts it on this port (or a free one).</summary>
    public PostgresServer(int? port = null)
    {
        binaries = Binaries() ?? throw new InvalidOperationException(Missing);
        Port = port ?? LoopbackPort.Free();
        folder = Path.Combine(Path.GetTempPath(), "verdicts-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        // PostgreSQL refuses to run as root; as root the server runs as Debian's postgres user, which owns the folder.
        runAs = Environment.UserName == "root" ? "postgres" : "";
        if (runAs.Length > 0)
            Run("chown", "-R", runAs, folder);
        var data = Path.Combine(folder, "data");
        Run(Path.Combine(binaries, "initdb"), "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync", "--no-instructions");
        // Loopback TCP only, no socket file. No fsync: the tests stop the server, never the machine. But each commit's
        // log is written before it is acknowledged (synchronous_commit on): the outage tests stop the server at once
        // (-m immediate), and with it off, a migration committed a moment before was lost, and the site met a database
        // without its tables after the restart.
        File.AppendAllText(Path.Combine(data, "postgresql.conf"), $"""

            port = {Port}
            listen_addresses = '127.0.0.1'
            unix_socket_directories = ''
            fsync = off
            synchronous_commit = on
            full_page_writes = off
            max_connections = 500
            """);
        Start();
    }

    public string Admin => ConnectionString("postgres");

    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = "postgres",
        Database = database,
        // A stopped server refuses at once; a hung one should fail a request in seconds, not fifteen.
        Timeout = 5,
    }.ToString();

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<string>> byFolder = new(StringComparer.Ordinal);

    /// <summary>
    /// The database of a test's scratch folder, made on first use: sites started again on one folder find their
    /// written data again, as they find their SQLite file.
    /// </summary>
    public string DatabaseFor(string folder) => byFolder.GetOrAdd(folder, _ => new Lazy<string>(CreateDatabase)).Value;

    /// <summary>A new, empty database; returns its connection string.</summary>
    public string CreateDatabase()
    {
        var name = $"verdicts_{Environment.ProcessId}_{Interlocked.Increment(ref databases)}";
        using (var connection = new NpgsqlConnection(Admin))
        {
            connection.Open();
            using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            command.ExecuteNonQuery();
        }
        return ConnectionString(name);
    }

    public void Start() => PgCtl("start", "-w", "-t", "60", "-l", Path.Combine(folder, "server.log"));

    /// <summary>Stops at once, as a crashed or unreachable server would look to the site.</summary>
    public void Stop() => PgCtl("stop", "-w", "-m", "immediate");

    public void Dispose()
    {
        try
        {
            Stop();
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }
        Directory.Delete(folder, recursive: true);
    }

    private void PgCtl(params string[] arguments) => Run(Path.Combine(binaries, "pg_ctl"), ["-D", Path.Combine(folder, "data"), .. arguments]);

    private void Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(runAs.Length > 0 && program != "chown" ? "runuser" : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // The postgres user may not enter the test's working directory.
            WorkingDirectory = folder,
        };
        if (runAs.Length > 0 && program != "chown")
        {
            foreach (var argument in new[] { "-u", runAs, "--", program })
                start.ArgumentList.Add(argument);
        }
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}): {error}{output.Result}");
    }

    private static int? PortFrom(string variable) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), out var port) ? port : null;
}

/// <summary>Stops the shared server when the run ends (an xunit assembly fixture; it starts nothing itself).</summary>
public sealed class SharedServerLifetime : IDisposable
{
    public void Dispose() => PostgresServer.StopShared();
}
