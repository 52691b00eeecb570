using System.Diagnostics;
using System.Net.Sockets;

namespace Verdicts.Tests.Infrastructure;

/// <summary>
/// Debian's nginx run as the current user, balancing round-robin over site nodes on loopback, with its own config,
/// pid, logs and temp paths in a temporary folder. It forwards the client's address as a proxy in front of the site would.
/// </summary>
public sealed class NginxServer : IDisposable
{
    public const string Missing = "nginx is not installed: run `apt-get install -y nginx` as root (.ci/run does this)";

    private readonly Process process;
    private readonly string folder;

    public int Port { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public static string? Binary() =>
        new[] { "/usr/sbin/nginx", "/usr/bin/nginx", "/usr/local/sbin/nginx" }.FirstOrDefault(File.Exists);

    public NginxServer(int port, params int[] upstreams)
    {
        var binary = Binary() ?? throw new InvalidOperationException(Missing);
        Port = port;
        folder = Path.Combine(Path.GetTempPath(), "verdicts-nginx-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        var config = Path.Combine(folder, "nginx.conf");
        // One process in the foreground (no master, no daemon): killing it leaves nothing behind. As root it would
        // otherwise hand requests to workers running as nobody, who may not write the temp folder.
        File.WriteAllText(config, $$"""
            daemon off;
            master_process off;
            {{(Environment.UserName == "root" ? "user root;" : "")}}
            pid {{folder}}/nginx.pid;
            error_log {{folder}}/error.log warn;
            events { worker_connections 1024; }
            http {
              access_log off;
              client_body_temp_path {{folder}}/client_body;
              proxy_temp_path {{folder}}/proxy;
              fastcgi_temp_path {{folder}}/fastcgi;
              uwsgi_temp_path {{folder}}/uwsgi;
              scgi_temp_path {{folder}}/scgi;
              upstream nodes {
                {{string.Join("\n    ", upstreams.Select(u => $"server 127.0.0.1:{u} max_fails=1 fail_timeout=1s;"))}}
              }
              server {
                listen 127.0.0.1:{{port}};
                location / {
                  proxy_pass http://nodes;
                  proxy_set_header Host $host;
                  proxy_set_header X-Forwarded-For $remote_addr;
                  proxy_next_upstream error timeout;
                }
              }
            }
            """);
        var start = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = folder };
        foreach (var argument in new[] { "-p", folder, "-c", config, "-e", Path.Combine(folder, "error.log") })
            start.ArgumentList.Add(argument);
        process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        WaitUntilListening();
    }

    /// <summary>What nginx logged: upstreams it could not reach, and anything worse.</summary>
    public string ErrorLog => File.Exists(Path.Combine(folder, "error.log")) ? File.ReadAllText(Path.Combine(folder, "error.log")) : "";

    private void WaitUntilListening()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect("127.0.0.1", Port);
                return;
            }
            catch (SocketException) when (!process.HasExited && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(50);
            }
            catch (SocketException)
            {
                var log = ErrorLog;
                Dispose();
                throw new InvalidOperationException("nginx did not start:\n" + log);
            }
        }
    }

    public void Dispose()
    {
        if (!process.HasExited)
            process.Kill(entireProcessTree: true);
        process.WaitForExit();
        process.Dispose();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
