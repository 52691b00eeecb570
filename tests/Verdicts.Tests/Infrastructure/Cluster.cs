using System.Net;
using System.Net.Sockets;
using Npgsql;
using Verdicts.Web.Admin;

namespace Verdicts.Tests.Infrastructure;

/// <summary>
/// The deployment of issue 29 on loopback, started once for a test class: a PostgreSQL server in a temporary folder, a
/// bare git repository holding the content, two site nodes (each with its own data folder and content clone) and nginx
/// balancing round-robin between them. Where PostgreSQL, nginx or git is missing nothing starts and
/// <see cref="SkipIfMissing"/> skips each test with the install hint.
/// </summary>
public sealed class Cluster : IAsyncLifetime
{
    public const string MissingHint = "the cluster test needs PostgreSQL, nginx and git: run `apt-get install -y nginx postgresql git` as root (.ci/run does this)";

    /// <summary>Set to move the cluster's four ports (7401-7404 by default), for runs side by side on one machine.</summary>
    public const string FirstPortVariable = "VERDICTS_TEST_CLUSTER_PORT";

    // Fixed rather than free ports: node A must come back on its address, and nginx names both nodes in its config.
    private static readonly int FirstPort = int.TryParse(Environment.GetEnvironmentVariable(FirstPortVariable), out var port) ? port : 7401;
    private static readonly int PostgresPort = FirstPort;
    private static readonly int NodeAPort = FirstPort + 1;
    private static readonly int NodeBPort = FirstPort + 2;
    private static readonly int ProxyPort = FirstPort + 3;

    /// <summary>Set for every node, so the test can compute the stored voter of a visitor cookie itself.</summary>
    public const string VoterKey = "cluster-test-voter-key";

    private readonly List<SiteProcess> startedA = [];
    private readonly string scratch = Path.Combine(Path.GetTempPath(), "verdicts-tests", "cluster-" + Guid.NewGuid().ToString("N"));
    private TestContent? contentA;
    private TestContent? contentB;
    private string[] settings = [];

    public PostgresServer? Postgres { get; private set; }

    public string ConnectionString { get; private set; } = "";

    public SiteProcess NodeA { get; private set; } = null!;

    public SiteProcess NodeB { get; private set; } = null!;

    public NginxServer Proxy { get; private set; } = null!;

    /// <summary>The bare repository every node clones and pushes to.</summary>
    public string Remote => Path.Combine(scratch, "content.git");

    public static string? Missing() =>
        PostgresServer.Binaries() is null || NginxServer.Binary() is null || !GitCommand.IsInstalled() ? MissingHint : null;

    public static void SkipIfMissing()
    {
        if (Missing() is { } hint)
            Assert.Skip(hint);
    }

    /// <summary>The content every scenario draws on; each scenario votes on or edits tools of its own.</summary>
    private static TestContent Seed() => TestContent.Sample()
        .Tool("delta").Tool("epsilon").Tool("zeta").Tool("eta")
        .Tool("theta").Tool("iota").Tool("kappa").Tool("lambda");

    public async ValueTask InitializeAsync()
    {
        if (Missing() is not null)
            return;
        try
        {
            Postgres = new PostgresServer(PostgresPort);
            ConnectionString = Postgres.CreateDatabase();
            SeedRemote();
            contentA = new TestContent();
            contentB = new TestContent();
            settings =
            [
                $"--Verdicts:Postgres={ConnectionString}",
                $"--Verdicts:ContentRemote={Remote}",
                // Only a push another node announces brings content over within the test's seconds, never the clock.
                "--Verdicts:ContentPullSeconds=3600",
                "--Verdicts:TrustedProxies:0=127.0.0.1",
                $"--Verdicts:VoterKey={VoterKey}",
                $"--Verdicts:Admins:0:Name={AdminSession.Name}",
                $"--Verdicts:Admins:0:PasswordHash={AdminAccounts.Hash(AdminSession.Password)}",
            ];
            // One after the other: both would apply the migrations under the advisory lock, but a second start is quicker.
            NodeA = await SiteProcess.StartOnPortAsync(NodeAPort, contentA, settings);
            startedA.Add(NodeA);
            NodeB = await SiteProcess.StartOnPortAsync(NodeBPort, contentB, settings);
            Proxy = new NginxServer(ProxyPort, NodeAPort, NodeBPort);
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>SIGKILL to node A: no shutdown code runs.</summary>
    public void KillA() => NodeA.Kill();

    /// <summary>Node A again, on its port, data folder and content clone.</summary>
    public async Task RestartAAsync()
    {
        NodeA = await SiteProcess.StartOnPortAsync(NodeAPort, contentA!, settings);
        startedA.Add(NodeA);
    }

    /// <summary>Lines of every node's log (node A's earlier runs included) that show a 500 or an unhandled exception.</summary>
    public IReadOnlyList<string> ServerErrors() =>
        [.. startedA.Append(NodeB).SelectMany(n => n.Output)
            .Where(l => l.Contains("responded 500", StringComparison.Ordinal) || l.Contains("nhandled exception", StringComparison.Ordinal))];

    /// <remarks>Not pooled: a pooled connection kept from before a test stopped the server would fail on its first use after it.</remarks>
    public NpgsqlConnection OpenPostgres()
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString);
        connection.Open();
        return connection;
    }

    /// <summary>A client of one node or of the proxy, without cookies, connecting from <paramref name="source"/> (any 127.x.y.z).</summary>
    public static HttpClient From(string baseUrl, IPAddress source) => new(new SocketsHttpHandler
    {
        UseCookies = false,
        AllowAutoRedirect = false,
        ConnectCallback = async (context, cancellation) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(source, 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellation);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    })
    { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Runs git on the remote (<c>--git-dir</c>), without the machine's own git configuration.</summary>
    public string Git(params string[] arguments) => GitCommand.Run(scratch, ["--git-dir", Remote, .. arguments]);

    public async ValueTask DisposeAsync()
    {
        // Each in its own step: one failing must not leave the others running.
        foreach (var stop in new Action[]
        {
            () => Proxy?.Dispose(),
            () => { foreach (var node in startedA) node.Dispose(); },
            () => NodeB?.Dispose(),
            () => Postgres?.Dispose(),
            () => contentA?.Dispose(),
            () => contentB?.Dispose(),
            () => Directory.Delete(scratch, recursive: true),
        })
        {
            try
            {
                stop();
            }
            catch (Exception ex) when (ex is IOException or InvalidOperationException or UnauthorizedAccessException)
            {
            }
        }
        await Task.CompletedTask;
    }

    private void SeedRemote()
    {
        using var seed = Seed();
        GitCommand.SeedBareRemote(Remote, Path.Combine(scratch, "laptop"), seed.Root, "Seed", "The cluster's content");
    }
}
