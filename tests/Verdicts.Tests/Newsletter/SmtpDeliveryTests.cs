using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Dapper;
using SmtpServer;
using SmtpServer.Authentication;
using SmtpServer.Protocol;
using SmtpServer.Storage;
using Verdicts.Tests.Infrastructure;

namespace Verdicts.Tests.Newsletter;

/// <summary>
/// Mail through <c>Verdicts:Smtp</c>: the site's MailKit client against a real SMTP server on loopback (the SmtpServer
/// package), rather than the pickup folder the other tests read.
/// </summary>
public sealed class SmtpDeliveryTests
{
    private const string User = "verdicts";
    private const string Password = "mail secret";

    /// <summary>An SMTP server on a free loopback port that keeps every message it accepts.</summary>
    private sealed class LoopbackSmtp : IAsyncDisposable
    {
        private readonly CancellationTokenSource stop = new();
        private readonly Task running;

        public LoopbackSmtp(bool requireAuthentication)
        {
            using (var listener = new TcpListener(IPAddress.Loopback, 0))
            {
                listener.Start();
                Port = ((IPEndPoint)listener.LocalEndpoint).Port;
            }
            var options = new SmtpServerOptionsBuilder()
                .ServerName("localhost")
                .Endpoint(endpoint => endpoint.Endpoint(new IPEndPoint(IPAddress.Loopback, Port))
                    .AllowUnsecureAuthentication(true)
                    .AuthenticationRequired(requireAuthentication))
                .Build();
            var services = new SmtpServer.ComponentModel.ServiceProvider();
            services.Add(new Store(Received));
            services.Add(new Credentials());
            running = new SmtpServer.SmtpServer(options, services).StartAsync(stop.Token);
        }

        public int Port { get; }

        public ConcurrentQueue<(IReadOnlyList<string> To, MimeKit.MimeMessage Message)> Received { get; } = new();

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            try
            {
                await running;
            }
            catch (OperationCanceledException)
            {
            }
            stop.Dispose();
        }

        private sealed class Store(ConcurrentQueue<(IReadOnlyList<string>, MimeKit.MimeMessage)> received) : MessageStore
        {
            public override Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer,
                CancellationToken cancellationToken)
            {
                using var stream = new MemoryStream(buffer.ToArray());
                received.Enqueue((transaction.To.Select(m => $"{m.User}@{m.Host}").ToList(), MimeKit.MimeMessage.Load(stream, cancellationToken)));
                return Task.FromResult(SmtpResponse.Ok);
            }
        }

        private sealed class Credentials : IUserAuthenticator
        {
            public Task<bool> AuthenticateAsync(ISessionContext context, string user, string password, CancellationToken token) =>
                Task.FromResult(user == User && password == Password);
        }
    }

    private static VerdictsApp App(TestContent content, int port, string password, bool startTls = false) => new(content, new Dictionary<string, string?>
    {
        ["Verdicts:Smtp:Host"] = "127.0.0.1",
        ["Verdicts:Smtp:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Verdicts:Smtp:UserName"] = User,
        ["Verdicts:Smtp:Password"] = password,
        ["Verdicts:Smtp:UseStartTls"] = startTls ? "true" : "false",
        ["Verdicts:MailFrom"] = "Verdicts <weekly@verdicts.test>",
    });

    private static async Task<HttpResponseMessage> SignUp(VerdictsApp app, string email)
    {
        var client = app.NoRedirects();
        var form = (await client.GetPage("/")).QuerySelector(".newsletter form")!;
        return await client.Submit(form, null, null, ("email", email));
    }

    private static string? State(VerdictsApp app, string email)
    {
        using var connection = app.Database.Open();
        return connection.QuerySingleOrDefault<string>("SELECT state FROM subscribers WHERE email = @email", new { email });
    }

    [Fact]
    public async Task A_confirmation_goes_out_through_the_smtp_server_signed_in_and_its_link_confirms()
    {
        using var content = TestContent.Sample();
        await using var smtp = new LoopbackSmtp(requireAuthentication: true);
        await using var app = App(content, smtp.Port, Password);

        using var response = await SignUp(app, "reader@example.com");

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        await VerdictsApp.Eventually(() => Task.FromResult(!smtp.Received.IsEmpty), "the SMTP server has the message");
        var (to, message) = Assert.Single(smtp.Received);
        Assert.Equal(["reader@example.com"], to);
        Assert.Equal("weekly@verdicts.test", message.From.Mailboxes.Single().Address);
        Assert.Equal("Confirm your Verdicts subscription", message.Subject);
        Assert.Empty(app.Mail());
        var text = message.TextBody ?? "";
        var start = text.IndexOf("/subscribe/confirm?token=", StringComparison.Ordinal);
        Assert.True(start >= 0, text);
        var link = text[start..text.IndexOfAny(['\r', '\n'], start)];

        var page = await app.CreateClient().GetPage(link);

        Assert.Equal("You are subscribed", page.QuerySelector("h1").Text());
        Assert.Equal("confirmed", State(app, "reader@example.com"));
    }

    [Theory]
    [InlineData("wrong password", false)]
    [InlineData(Password, true)]
    public async Task When_the_smtp_server_refuses_the_visitor_gets_the_usual_answer_and_the_address_waits(string password, bool startTls)
    {
        using var content = TestContent.Sample();
        await using var smtp = new LoopbackSmtp(requireAuthentication: true);
        await using var app = App(content, smtp.Port, password, startTls);

        using var response = await SignUp(app, "reader@example.com");

        // Refused sign-in, or no STARTTLS where the settings demand it: the same 303 as a sent message, never a 500.
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/subscribe/thanks", response.Headers.Location?.OriginalString);
        Assert.Equal("pending", State(app, "reader@example.com"));
        Assert.Empty(smtp.Received);
        Assert.Empty(app.Mail());
    }
}
