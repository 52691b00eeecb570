using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Http;
using Verdicts.Tests.Infrastructure;
using Verdicts.Web.Security;

namespace Verdicts.Tests.Security;

/// <summary>
/// Requests Kestrel refuses itself, before the site's middleware runs, sent over a raw socket to the real server: the
/// refusal carries the same security headers as a page.
/// </summary>
public sealed class KestrelRejectionsTests(SampleSiteProcess shared) : IClassFixture<SampleSiteProcess>
{
    public static TheoryData<string, string, int> Rejected => new()
    {
        { "a malformed request line", "GARBAGE\r\n\r\n", 400 },
        { "a NUL in the path", "GET /tools/%00 HTTP/1.1\r\nHost: localhost\r\n\r\n", 400 },
        { "a malformed header line", "GET / HTTP/1.1\r\nHost: localhost\r\nNo colon here\r\n\r\n", 400 },
        { "a 20 KB address", $"GET /search?q={new string('a', 20 * 1024)} HTTP/1.1\r\nHost: localhost\r\n\r\n", 414 },
        { "40 KB of headers", "GET / HTTP/1.1\r\nHost: localhost\r\n"
            + string.Concat(Enumerable.Range(0, 40).Select(i => $"X-Padding-{i}: {new string('p', 1024)}\r\n")) + "\r\n", 431 },
    };

    [Theory]
    [MemberData(nameof(Rejected))]
    public async Task A_request_kestrel_refuses_itself_still_gets_the_security_headers(string what, string request, int status)
    {
        var port = new Uri(shared.Site.BaseUrl).Port;

        var (pageStatus, pageHeaders) = await Exchange(port, "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        var (rejectedStatus, rejectedHeaders) = await Exchange(port, request);

        Assert.Equal(200, pageStatus);
        Assert.True(status == rejectedStatus, $"{what}: expected {status}, got {rejectedStatus}");
        // The site's own list, and the values a page carries: the refusal must match both.
        var expected = new HeaderDictionary();
        SecurityHeaders.Set(expected);
        Assert.NotEmpty(expected);
        foreach (var (name, value) in expected)
        {
            Assert.Equal(value.ToString(), pageHeaders.GetValueOrDefault(name));
            Assert.True(value.ToString() == rejectedHeaders.GetValueOrDefault(name), $"{what}: {name} is missing or differs on the {rejectedStatus}");
        }
    }

    [Fact]
    public async Task A_head_request_gets_the_headers_of_a_get_and_no_body()
    {
        var parts = (await Send(new Uri(shared.Site.BaseUrl).Port,
            "HEAD /feed.xml HTTP/1.1\r\nHost: localhost\r\n\r\nHEAD /api/tools HTTP/1.1\r\nHost: localhost\r\n\r\n"
            + "GET /robots.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")).Split("\r\n\r\n");

        // Each HEAD answer is its headers alone: the next answer's status line follows at once.
        Assert.Equal(4, parts.Length);
        Assert.StartsWith("HTTP/1.1 200 OK", parts[0], StringComparison.Ordinal);
        Assert.Contains("application/atom+xml", parts[0], StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 200 OK", parts[1], StringComparison.Ordinal);
        Assert.Contains("application/json", parts[1], StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 200 OK", parts[2], StringComparison.Ordinal);
        Assert.StartsWith("User-agent: *", parts[3], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pipelined_requests_after_a_page_are_answered_unchanged()
    {
        var answer = await Send(new Uri(shared.Site.BaseUrl).Port,
            "GET /tools/alpha HTTP/1.1\r\nHost: localhost\r\n\r\nGET /nope HTTP/1.1\r\nHost: localhost\r\n\r\nGARBAGE\r\n\r\n");

        // A page's body ends in "\n" alone, so the next answer's status line follows a bare line feed.
        var statusLines = answer.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.StartsWith("HTTP/1.1 ", StringComparison.Ordinal)).ToList();
        Assert.Equal(["HTTP/1.1 200 OK", "HTTP/1.1 404 Not Found", "HTTP/1.1 400 Bad Request"], statusLines);
        // Each answer has the headers once: the site's answers are passed on as they are.
        Assert.Equal(3, answer.Split("\r\nContent-Security-Policy: ").Length - 1);
    }

    private static async Task<(int Status, Dictionary<string, string> Headers)> Exchange(int port, string request)
    {
        var answer = await Send(port, request);
        var head = answer[..answer.IndexOf("\r\n\r\n", StringComparison.Ordinal)].Split("\r\n");
        var headers = head.Skip(1).Select(l => l.Split(": ", 2)).ToDictionary(p => p[0], p => p[1], StringComparer.OrdinalIgnoreCase);
        return (int.Parse(head[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture), headers);
    }

    /// <summary>
    /// Writes <paramref name="requests"/> as they are on one connection and reads until the server closes it: Kestrel
    /// closes after refusing a request, and the last page asked for says Connection: close.
    /// </summary>
    private static async Task<string> Send(int port, string requests)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(requests));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, timeout.Token);
        return Encoding.Latin1.GetString(buffer.ToArray());
    }
}
