using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Dapper;
using SmtpServer;
using SmtpServer.Authentication;
using SmtpServer.Protocol;
using SmtpServer.Storage;
using Microsoft.Extensions.DependencyInjection;
using Verdicts.Tests.Infrastructure;
using Verdicts.Web.Newsletter;

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
            Port = LoopbackPort.Free();
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

    /// <summary>
    /// A loopback port in front of the SMTP server that, as the test says, holds each connection silent (as a server
    /// that never answers), closes it at once (as one that is down), or passes it through.
    /// </summary>
    private sealed class Gate : IAsyncDisposable
    {
        public enum Mode { Hold, Refuse, Pass }

        private readonly TcpListener listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource stop = new();
        private readonly TaskCompletionSource passing = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly int target;
        private readonly Task accepting;
        private volatile Mode mode;
        private int connections;

        public Gate(int target, Mode mode)
        {
            this.target = target;
            Set(mode);
            listener.Start();
            Port = ((IPEndPoint)listener.LocalEndpoint).Port;
            accepting = AcceptAsync();
        }

        public int Port { get; }

        public int Connections => Volatile.Read(ref connections);

        public void Set(Mode value)
        {
            mode = value;
            if (value == Mode.Pass)
                passing.TrySetResult();
        }

        private async Task AcceptAsync()
        {
            while (true)
            {
                TcpClient client;
                try
                {
                    client = await listener.AcceptTcpClientAsync(stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                Interlocked.Increment(ref connections);
                _ = HandleAsync(client);
            }
        }

        private async Task HandleAsync(TcpClient client)
        {
            using (client)
            {
                if (mode == Mode.Refuse)
                    return;
                try
                {
                    await passing.Task.WaitAsync(stop.Token);
                    using var upstream = new TcpClient();
                    await upstream.ConnectAsync(IPAddress.Loopback, target, stop.Token);
                    var (near, far) = (client.GetStream(), upstream.GetStream());
                    await Task.WhenAny(near.CopyToAsync(far, stop.Token), far.CopyToAsync(near, stop.Token));
                }
                catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException)
                {
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            listener.Stop();
            await accepting;
            stop.Dispose();
        }
    }

    private static VerdictsApp App(TestContent content, int port, string password, bool startTls = false, TestClock? clock = null) => new(content, new Dictionary<string, string?>
    {
        ["Verdicts:Smtp:Host"] = "127.0.0.1",
        ["Verdicts:Smtp:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Verdicts:Smtp:UserName"] = User,
        ["Verdicts:Smtp:Password"] = password,
        ["Verdicts:Smtp:UseStartTls"] = startTls ? "true" : "false",
        ["Verdicts:MailFrom"] = "Verdicts <weekly@verdicts.test>",
    }) { Clock = clock };

    private sealed record OutboxRow
    {
        public required long Attempts { get; init; }
        public string? Outcome { get; init; }
        public string? LastError { get; init; }
    }

    private static OutboxRow Outbox(VerdictsApp app)
    {
        using var connection = app.Database.ReadWrites();
        return connection.QuerySingle<OutboxRow>("SELECT attempts, outcome, last_error AS LastError FROM mail_outbox");
    }

    private static Task Tried(VerdictsApp app, long attempts) =>
        VerdictsApp.Eventually(() => Task.FromResult(Outbox(app).Attempts == attempts), $"the outbox has tried {attempts} times");

    private static async Task<HttpResponseMessage> SignUp(VerdictsApp app, string email)
    {
        var client = app.NoRedirects();
        var form = (await client.GetPage("/")).QuerySelector(".newsletter form")!;
        return await client.Submit(form, null, null, ("email", email));
    }

    private static string? State(VerdictsApp app, string email)
    {
        using var connection = app.Database.ReadWrites();
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
        var link = SubscribeTests.LinkIn(message, "/subscribe/confirm?token=");

        var page = await SubscribeTests.PressTheButton(app.CreateClient(), link);

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
        await Tried(app, 1);
        Assert.NotNull(Outbox(app).LastError);
        Assert.Empty(smtp.Received);
        Assert.Empty(app.Mail());
    }

    [Fact]
    public async Task A_sign_up_is_answered_while_the_smtp_server_is_silent_and_the_mail_goes_out_once_it_answers()
    {
        using var content = TestContent.Sample();
        await using var smtp = new LoopbackSmtp(requireAuthentication: true);
        await using var gate = new Gate(smtp.Port, Gate.Mode.Hold);
        await using var app = App(content, gate.Port, Password);

        // The limit only keeps a request that waits on the mail server from hanging the run; it measures nothing.
        using var response = await SignUp(app, "reader@example.com").WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/subscribe/thanks", response.Headers.Location?.OriginalString);
        Assert.Equal("pending", State(app, "reader@example.com"));
        await VerdictsApp.Eventually(() => Task.FromResult(gate.Connections > 0), "the site is waiting on the silent server");
        Assert.Empty(smtp.Received);

        gate.Set(Gate.Mode.Pass);

        await VerdictsApp.Eventually(() => Task.FromResult(!smtp.Received.IsEmpty), "the SMTP server has the message");
        var (to, message) = Assert.Single(smtp.Received);
        Assert.Equal(["reader@example.com"], to);
        Assert.Equal("Confirm your Verdicts subscription", message.Subject);
    }

    [Fact]
    public async Task A_message_the_server_refused_is_tried_again_later_and_goes_out_once_it_is_back()
    {
        using var content = TestContent.Sample();
        var clock = new TestClock(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        await using var smtp = new LoopbackSmtp(requireAuthentication: true);
        await using var gate = new Gate(smtp.Port, Gate.Mode.Refuse);
        await using var app = App(content, gate.Port, Password, clock: clock);
        using (var response = await SignUp(app, "reader@example.com"))
            Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        await Tried(app, 1);
        Assert.Null(Outbox(app).Outcome);

        gate.Set(Gate.Mode.Pass);
        clock.Now += MailOutbox.RetryDelay(1);
        app.Services.GetRequiredService<MailOutbox>().Wake();

        await VerdictsApp.Eventually(() => Task.FromResult(Outbox(app).Outcome == "sent"), "the outbox records the message as sent");
        Assert.Equal(2, Outbox(app).Attempts);
        var (to, _) = Assert.Single(smtp.Received);
        Assert.Equal(["reader@example.com"], to);
    }

    [Fact]
    public async Task A_message_the_server_keeps_refusing_is_given_up_after_a_bounded_number_of_tries()
    {
        using var content = TestContent.Sample();
        var clock = new TestClock(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        await using var smtp = new LoopbackSmtp(requireAuthentication: true);
        await using var gate = new Gate(smtp.Port, Gate.Mode.Refuse);
        await using var app = App(content, gate.Port, Password, clock: clock);
        var outbox = app.Services.GetRequiredService<MailOutbox>();
        using (await SignUp(app, "refused@example.com"))
        {
        }

        for (var attempt = 1; attempt < MailOutbox.MaxAttempts; attempt++)
        {
            await Tried(app, attempt);
            Assert.Null(Outbox(app).Outcome);
            clock.Now += MailOutbox.RetryDelay(attempt);
            outbox.Wake();
        }
        await VerdictsApp.Eventually(() => Task.FromResult(Outbox(app).Outcome == "failed"), "the outbox gives the message up");
        Assert.Equal(MailOutbox.MaxAttempts, Outbox(app).Attempts);

        // Long after, another address's message is tried; the given-up one is not tried again.
        clock.Now += TimeSpan.FromDays(1);
        using (await SignUp(app, "other@example.com"))
        {
        }
        await VerdictsApp.Eventually(async () =>
        {
            using var connection = app.Database.ReadWrites();
            return await connection.ExecuteScalarAsync<long>("SELECT attempts FROM mail_outbox o JOIN subscribers s ON s.id = o.subscriber_id WHERE s.email = 'other@example.com'") == 1;
        }, "the other address's message has been tried");
        Assert.Equal(MailOutbox.MaxAttempts + 1, gate.Connections);
        Assert.Equal("pending", State(app, "refused@example.com"));
        Assert.Empty(smtp.Received);
    }
}
